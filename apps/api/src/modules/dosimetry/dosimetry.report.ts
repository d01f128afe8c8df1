/**
 * Exports of the dosimetry module: the per-cycle (and cumulative) PDF report a physicist files,
 * drawn with pdfkit (tables + a vector time–activity plot), and the dose-ledger CSV (RFC 4180).
 * Numbers come from the stored/computed results; nothing is recomputed differently here.
 */
import PDFDocument from "pdfkit";
import type { DosimetryRecordRow, PatientRow } from "@lutetia/db";
import { csvField, pdfBuffer, pdfText } from "../../shared/exports";
import { hoursPostInjection, type RecordResults, type VoiResult } from "./dosimetry.compute";
import { ORGAN_OF_KEY, type PatientLedger } from "./dosimetry.ledger";

const f = (x: number | null | undefined, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? "-" : x.toFixed(d));
/** Activities keep 4 significant digits (blood concentrations are ~0.001 MBq/mL). */
const fa = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? "-" : Math.abs(x) >= 1000 ? x.toFixed(0) : x.toPrecision(4));
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString().replace("T", " ").slice(0, 16) + " UTC" : "-");
const MODEL_LABEL: Record<string, string> = {
  MONO_EXP: "mono-exponential",
  BI_EXP: "bi-exponential",
  TRAPEZOID_TAIL: "trapezoid + tail",
  SINGLE_TIME_POINT: "single time point (Hanscheid)",
};

export interface ReportPatient {
  patient: PatientRow;
}

type Doc = PDFKit.PDFDocument;
const LEFT = 50;
const WIDTH = 495;

function ensure(doc: Doc, h: number) {
  if (doc.y + h > doc.page.height - 70) doc.addPage();
}

function heading(doc: Doc, text: string) {
  ensure(doc, 40);
  doc.moveDown(0.6).font("Helvetica-Bold").fontSize(12).fillColor("#000").text(pdfText(text), LEFT, doc.y, { width: WIDTH });
  doc.moveDown(0.2).font("Helvetica").fontSize(9);
}

/** A simple table: header row + rows, fixed column widths (pt), page breaks repeat the header. */
function table(doc: Doc, headers: string[], widths: number[], rows: string[][]) {
  const rowH = (cells: string[], font: string) => {
    doc.font(font).fontSize(8);
    return Math.max(12, ...cells.map((c, i) => doc.heightOfString(pdfText(c), { width: (widths[i] as number) - 4 }) + 4));
  };
  const draw = (cells: string[], bold: boolean) => {
    const font = bold ? "Helvetica-Bold" : "Helvetica";
    const h = rowH(cells, font);
    if (doc.y + h > doc.page.height - 70) {
      doc.addPage();
      if (!bold) draw(headers, true);
    }
    const y = doc.y;
    let x = LEFT;
    if (bold) doc.rect(LEFT, y, widths.reduce((a, b) => a + b, 0), h).fill("#eeeeee").fillColor("#000");
    cells.forEach((c, i) => {
      doc.font(font).fontSize(8).fillColor("#000").text(pdfText(c), x + 2, y + 2, { width: (widths[i] as number) - 4 });
      x += widths[i] as number;
    });
    doc.moveTo(LEFT, y + h).lineTo(LEFT + widths.reduce((a, b) => a + b, 0), y + h).lineWidth(0.3).strokeColor("#999").stroke();
    doc.y = y + h;
  };
  draw(headers, true);
  for (const r of rows) draw(r, false);
  doc.x = LEFT;
  doc.moveDown(0.3);
}

/** Vector time–activity plot: measured points (circles) and the fitted curve (polyline). */
function tacPlot(doc: Doc, v: VoiResult, x0: number, y0: number, w: number, h: number) {
  const pts = v.points;
  const curve = v.curve;
  const all = [...pts, ...curve];
  const tMax = Math.max(1, ...all.map((p) => p.timeH));
  const aMax = Math.max(1e-9, ...all.map((p) => p.value)) * 1.1;
  const X = (t: number) => x0 + 30 + ((w - 40) * t) / tMax;
  const Y = (a: number) => y0 + h - 20 - ((h - 35) * a) / aMax;
  doc.font("Helvetica-Bold").fontSize(8).fillColor("#000").text(pdfText(`${v.label} – ${MODEL_LABEL[v.model] ?? v.model}`), x0, y0, { width: w });
  doc.lineWidth(0.5).strokeColor("#000").moveTo(X(0), Y(0)).lineTo(X(tMax), Y(0)).stroke();
  doc.moveTo(X(0), Y(0)).lineTo(X(0), Y(aMax)).stroke();
  doc.font("Helvetica").fontSize(6);
  for (let i = 0; i <= 4; i++) {
    const t = (tMax * i) / 4;
    doc.text(t.toFixed(0), X(t) - 8, Y(0) + 2, { width: 16, align: "center" });
    const a = (aMax * i) / 4;
    doc.text(a.toPrecision(3), x0, Y(a) - 3, { width: 28, align: "right" });
  }
  doc.text(pdfText(v.kind === "BONE_MARROW" ? "h p.i. / MBq/mL" : "h p.i. / MBq"), X(tMax) - 60, Y(0) + 9, { width: 60, align: "right" });
  if (curve.length > 1) {
    doc.lineWidth(1).strokeColor("#1f5fa8");
    curve.forEach((p, i) => (i === 0 ? doc.moveTo(X(p.timeH), Y(p.value)) : doc.lineTo(X(p.timeH), Y(p.value))));
    doc.stroke();
  }
  doc.fillColor("#c0392b");
  for (const p of pts) doc.circle(X(p.timeH), Y(p.value), 2).fill();
  doc.fillColor("#000");
}

function patientBlock(doc: Doc, p: PatientRow) {
  doc.font("Helvetica").fontSize(9).text(pdfText(`Patient: ${p.familyName}, ${p.givenName}    MRN: ${p.mrn}    Born: ${p.birthDate}    Sex: ${p.sex}`), LEFT, doc.y, { width: WIDTH });
}

function ledgerTable(doc: Doc, l: PatientLedger) {
  const rows = l.ledger.organs.map((o) => {
    const proj = l.projected.organs.find((x) => x.organ === o.organ);
    return [
      ORGAN_OF_KEY[o.organ] ?? o.organ,
      String(o.cycles),
      f(o.cumulativeAbsorbedGy),
      o.absorbed ? `${f(o.absorbed.limitGy, 1)} / ${f(o.absorbed.remainingGy)}` : "-",
      f(o.cumulativeBedGy),
      o.bed ? `${f(o.bed.limitGy, 1)} / ${f(o.bed.remainingGy)}` : "-",
      proj ? `${f(proj.cumulativeAbsorbedGy)}${proj.cumulativeBedGy !== null ? ` (BED ${f(proj.cumulativeBedGy)})` : ""}` : "-",
    ];
  });
  table(doc, ["Organ", "Signed cycles", "Cumulative dose (Gy)", "Dose limit / remaining (Gy)", "Cumulative BED (Gy)", "BED limit / remaining (Gy)", "Incl. unsigned (Gy)"], [70, 50, 70, 85, 70, 85, 65], rows);
  doc.font("Helvetica").fontSize(8).text(pdfText(`Limit policy: ${l.policy.name}. ${l.next ? l.next.message : (l.nextError ?? "")}`), LEFT, doc.y, { width: WIDTH });
  for (const lim of l.policy.limits) doc.fontSize(7).fillColor("#444").text(pdfText(`${ORGAN_OF_KEY[lim.organ] ?? lim.organ}: ${lim.source}`), LEFT, doc.y, { width: WIDTH });
  doc.fillColor("#000");
}

function footer(doc: Doc, generatedAt: Date) {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font("Helvetica").fontSize(7).fillColor("#555").text(pdfText(`Lutetia dosimetry report – generated ${iso(generatedAt)} – page ${i + 1} of ${range.count}`), LEFT, doc.page.height - 40, { width: WIDTH, align: "center" });
    doc.page.margins.bottom = bottom;
  }
}

export interface CycleReportInput {
  patient: PatientRow;
  record: DosimetryRecordRow;
  results: RecordResults;
  cycleNumber: number;
  courseOrdinal: number;
  signedByName: string | null;
  ledger: PatientLedger;
  lesionLabels: Record<string, string>;
  generatedAt?: Date;
}

/** The per-cycle dosimetry report (PDF bytes). */
export async function cycleReportPdf(input: CycleReportInput): Promise<Buffer> {
  const { record: r, results } = input;
  const generatedAt = input.generatedAt ?? new Date();
  const doc = new PDFDocument({ size: "A4", margin: 50, bufferPages: true, info: { Title: "Dosimetry report", Producer: "Lutetia" } });
  const done = pdfBuffer(doc);
  doc.font("Helvetica-Bold").fontSize(16).text("Dosimetry report – 177Lu therapy cycle", LEFT, 50, { width: WIDTH });
  doc.moveDown(0.3);
  patientBlock(doc, input.patient);
  doc.text(pdfText(`Course ${input.courseOrdinal}, cycle ${input.cycleNumber}    Administered activity: ${f(r.administeredActivityMBq / 1000, 3)} GBq (${f(r.administeredActivityMBq, 0)} MBq)    Administration start: ${iso(r.administeredAt)}`), { width: WIDTH });
  doc.text(pdfText(`Record revision ${r.revision} – ${r.status}${r.amendReason ? ` – amendment: ${r.amendReason}` : ""}    Phantom: ICRP ${r.phantomSex ?? "-"}    SPECT calibration factor: ${r.calibrationFactorCpsPerMBq ? `${r.calibrationFactorCpsPerMBq} cps/MBq` : "-"}`), { width: WIDTH });
  doc.text(pdfText(`Uncertainty inputs (1 SD, relative): activity ${r.activityRelSd}, calibration ${r.calibrationRelSd}, mass ${r.massRelSd}`), { width: WIDTH });

  heading(doc, "Imaging time points");
  table(
    doc,
    ["Key", "Label", "Acquired", "Hours p.i. (h)", "Source study"],
    [50, 120, 130, 80, 115],
    r.timepoints.map((t) => [t.key, t.label ?? "-", iso(t.acquiredAt), f(hoursPostInjection(r.administeredAt, t.acquiredAt), 1), t.imagingStudyId ? "imaging study" : "entered by hand"]),
  );

  heading(doc, "Activities per VOI (MBq; bone marrow: blood MBq/mL)");
  table(
    doc,
    ["VOI", "Source", ...r.timepoints.map((t) => `${t.key} (${f(hoursPostInjection(r.administeredAt, t.acquiredAt), 1)} h)`)],
    [95, 90, ...r.timepoints.map(() => Math.floor(310 / Math.max(1, r.timepoints.length)))],
    r.vois.map((v) => [v.label + (v.lesionId ? ` [${input.lesionLabels[v.lesionId] ?? "lesion"}]` : ""), v.source, ...r.timepoints.map((t) => fa(v.activities[t.key]))]),
  );

  heading(doc, "Fits, time-integrated activity and absorbed dose");
  table(
    doc,
    ["VOI", "Model", "Parameters", "R²", "T_eff (h)", "TIA (MBq·h)", "Mass (g)", "Dose (Gy) ± 1 SD", "BED (Gy)"],
    [70, 60, 105, 30, 40, 55, 40, 55, 40],
    results.vois.map((v) => [
      v.label,
      MODEL_LABEL[v.model] ?? v.model,
      v.error ? `ERROR: ${v.error}` : v.parameters.map((p) => `${p.name} = ${p.value.toPrecision(4)} ${p.unit}`).join("; "),
      f(v.rSquared, 3),
      f(v.effectiveHalfLifeH, 1),
      f(v.tiaMBqH, 0),
      f(v.massG, 0),
      v.doseGy === null ? "-" : `${f(v.doseGy, 3)} ± ${f(v.doseSdGy, 3)}`,
      v.bedGy === null ? "-" : `${f(v.bedGy, 3)} ± ${f(v.bedSdGy, 3)}`,
    ]),
  );
  for (const v of results.vois) {
    if (v.flags.length || v.method) {
      ensure(doc, 20);
      doc.font("Helvetica").fontSize(7).fillColor("#444").text(pdfText(`${v.label}: ${v.method}${v.flags.length ? ` Flags: ${v.flags.map((x) => `${x.code} – ${x.message}`).join("; ")}` : ""}`), LEFT, doc.y, { width: WIDTH });
    }
  }
  doc.fillColor("#000");

  heading(doc, "Organ doses of this cycle (ledger values)");
  table(
    doc,
    ["Organ", "Dose (Gy)", "1 SD (Gy)", "BED (Gy)", "T_eff (h)", "Gy/GBq"],
    [100, 80, 80, 80, 80, 75],
    results.organs.map((o) => [o.organ, f(o.doseGy, 3), f(o.doseSdGy, 3), f(o.bedGy, 3), f(o.effectiveHalfLifeH, 1), f(o.doseGy / results.administeredActivityGBq, 3)]),
  );

  const plotted = results.vois.filter((v) => !v.error && v.points.length > 0);
  if (plotted.length) {
    heading(doc, "Time–activity curves (points measured, line fitted)");
    const w = 240;
    const h = 140;
    plotted.forEach((v, i) => {
      if (i % 2 === 0) ensure(doc, h + 10);
      const x = i % 2 === 0 ? LEFT : LEFT + w + 15;
      const y = doc.y;
      tacPlot(doc, v, x, y, w, h);
      if (i % 2 === 1 || i === plotted.length - 1) doc.y = y + h + 10;
      else doc.y = y;
    });
    doc.x = LEFT;
  }

  heading(doc, "Cumulative ledger (signed cycles of record)");
  ledgerTable(doc, input.ledger);

  heading(doc, "Sign-off");
  doc.font("Helvetica").fontSize(9);
  if (r.status === "SIGNED") doc.text(pdfText(`Signed by medical physicist ${input.signedByName ?? "-"} on ${iso(r.signedAt)}. This revision is immutable; corrections are amendments (new revision).`), LEFT, doc.y, { width: WIDTH });
  else doc.font("Helvetica-Bold").text("DRAFT – NOT SIGNED. Not a dosimetry result of record.", LEFT, doc.y, { width: WIDTH });
  if (r.notes) doc.font("Helvetica").text(pdfText(`Notes: ${r.notes}`), { width: WIDTH });
  footer(doc, generatedAt);
  doc.end();
  return done;
}

/** The cumulative report across cycles and courses (PDF bytes). */
export async function cumulativeReportPdf(input: { patient: PatientRow; ledger: PatientLedger; generatedAt?: Date }): Promise<Buffer> {
  const generatedAt = input.generatedAt ?? new Date();
  const doc = new PDFDocument({ size: "A4", margin: 50, bufferPages: true, info: { Title: "Cumulative dosimetry report", Producer: "Lutetia" } });
  const done = pdfBuffer(doc);
  doc.font("Helvetica-Bold").fontSize(16).text("Cumulative dosimetry report – dose ledger", LEFT, 50, { width: WIDTH });
  doc.moveDown(0.3);
  patientBlock(doc, input.patient);
  heading(doc, "Cycles");
  table(
    doc,
    ["Course / cycle", "Administered", "Activity (GBq)", "Status", "Kidneys (Gy)", "Kidney BED (Gy)", "Marrow (Gy)", "Liver (Gy)", "Spleen (Gy)"],
    [55, 80, 50, 65, 50, 50, 50, 45, 50],
    input.ledger.cycles.map((c) => {
      const o = (k: string) => c.organs.find((x) => x.organ === k);
      return [
        `${c.courseOrdinal} / ${c.cycleNumber}`,
        iso(c.administeredAt),
        f(c.administeredActivityGBq, 2),
        c.signed ? `signed r${c.record.revision}${c.pendingAmendment ? " (amendment pending)" : ""}` : "UNSIGNED draft",
        f(o("KIDNEYS")?.doseGy, 2),
        f(o("KIDNEYS")?.bedGy, 2),
        f(o("BONE_MARROW")?.doseGy, 3),
        f(o("LIVER")?.doseGy, 2),
        f(o("SPLEEN")?.doseGy, 2),
      ];
    }),
  );
  heading(doc, "Ledger against limits (signed cycles only)");
  ledgerTable(doc, input.ledger);
  footer(doc, generatedAt);
  doc.end();
  return done;
}


/** The dose ledger as CSV (CRLF line ends, header row): one row per cycle × organ, then cumulative rows. */
export function ledgerCsv(l: PatientLedger, courseLabel: (courseId: string) => string): string {
  const head = ["row_type", "course", "course_ordinal", "cycle_number", "administered_at", "activity_GBq", "status", "revision", "signed_at", "organ", "dose_Gy", "dose_sd_Gy", "bed_Gy", "t_eff_h", "limit_dose_Gy", "limit_bed_Gy", "remaining_dose_Gy", "remaining_bed_Gy", "policy"];
  const lines = [head.join(",")];
  for (const c of l.cycles) {
    for (const o of c.organs) {
      lines.push(
        [
          "CYCLE", courseLabel(c.courseId), c.courseOrdinal, c.cycleNumber, c.administeredAt.toISOString(), c.administeredActivityGBq,
          c.signed ? "SIGNED" : "UNSIGNED", c.record.revision, c.record.signedAt ? c.record.signedAt.toISOString() : "", o.organ,
          o.doseGy, o.doseSdGy, o.bedGy, o.effectiveHalfLifeH, "", "", "", "", l.policy.name,
        ].map(csvField).join(","),
      );
    }
  }
  for (const o of l.ledger.organs) {
    lines.push(
      [
        "CUMULATIVE_SIGNED", "", "", "", "", l.ledger.totalActivityGBq, "SIGNED", "", "", ORGAN_OF_KEY[o.organ] ?? o.organ,
        o.cumulativeAbsorbedGy, Number.isFinite(o.cumulativeAbsorbedSdGy) ? o.cumulativeAbsorbedSdGy : null, o.cumulativeBedGy, "",
        o.absorbed?.limitGy ?? null, o.bed?.limitGy ?? null, o.absorbed?.remainingGy ?? null, o.bed?.remainingGy ?? null, l.policy.name,
      ].map(csvField).join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}
