import PDFDocument from "pdfkit";
import type { BoardCaseRow, BoardDecisionRow, BoardMeetingRow } from "@lutetia/db";
import { pdfBuffer, pdfText } from "../../shared/exports";
import type { OnePager } from "./onepager";

/**
 * PDF of a case one-pager (pdfkit): A4 portrait, a header with the patient's identifiers and the
 * board question, one section per part of the one-pager (diagnosis, eligibility, treatment with
 * activities, doses vs limits, labs with CTCAE grades, response, key images, timeline, decision),
 * and on every page a footer with the generation time, the snapshot hash (or "LIVE") and
 * "page n of N". Renders exactly the JSON it is given (the snapshot when frozen).
 */
export interface PdfInput {
  pager: OnePager;
  meeting: BoardMeetingRow;
  caseRow: BoardCaseRow;
  contentHash: string;
  frozenAt: Date | null;
  generatedAt: Date;
  decisions: BoardDecisionRow[];
  siteTimeZone: string;
}

const MARGIN = 48;
const FOOTER_H = 28;


const fmt = (v: number | null | undefined, digits = 2) => (v === null || v === undefined ? "—" : v.toFixed(digits));
const humanize = (s: string) => s.replace(/_/g, " ").toLowerCase().replace(/^./, (c) => c.toUpperCase());

function localTime(d: Date, tz: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone: tz, dateStyle: "medium", timeStyle: "short" }).format(d);
}

export function renderOnePagerPdf(input: PdfInput): Promise<Buffer> {
  const { pager } = input;
  const doc = new PDFDocument({ size: "A4", margins: { top: MARGIN, bottom: MARGIN + FOOTER_H, left: MARGIN, right: MARGIN }, bufferPages: true, info: { Title: "Tumour board case one-pager", Producer: "Lutetia", Creator: "Lutetia" } });
  const done = pdfBuffer(doc);
  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN - FOOTER_H;
  const ensure = (h: number) => {
    if (doc.y + h > bottom()) doc.addPage();
  };
  const text = (s: string, opts: PDFKit.Mixins.TextOptions = {}) => doc.text(pdfText(s), opts);
  const heading = (s: string) => {
    ensure(40);
    doc.moveDown(0.6).font("Helvetica-Bold").fontSize(12).fillColor("#1f3a5f");
    text(s, { width });
    doc.moveTo(MARGIN, doc.y + 1).lineTo(MARGIN + width, doc.y + 1).lineWidth(0.5).strokeColor("#9fb3c8").stroke();
    doc.moveDown(0.3).font("Helvetica").fontSize(9).fillColor("black");
  };
  const para = (s: string) => {
    ensure(14);
    doc.font("Helvetica").fontSize(9).fillColor("black");
    text(s, { width });
  };
  /** A simple ruled table; widths are fractions of the text width. */
  const table = (cols: { h: string; w: number; align?: "left" | "right" }[], rows: string[][]) => {
    const xs: number[] = [];
    let x = MARGIN;
    for (const c of cols) {
      xs.push(x);
      x += c.w * width;
    }
    const drawRow = (cells: string[], bold: boolean) => {
      doc.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(8.5);
      const h = Math.max(...cells.map((cell, i) => doc.heightOfString(pdfText(cell), { width: cols[i]!.w * width - 6 }))) + 4;
      if (doc.y + h > bottom()) {
        doc.addPage();
        if (!bold) drawRow(cols.map((c) => c.h), true);
      }
      const y = doc.y;
      if (bold) doc.rect(MARGIN, y - 1, width, h).fillColor("#eef2f6").fill();
      doc.fillColor("black");
      cells.forEach((cell, i) => doc.text(pdfText(cell), xs[i]! + 3, y + 1, { width: cols[i]!.w * width - 6, align: cols[i]!.align ?? "left" }));
      doc.moveTo(MARGIN, y + h - 1).lineTo(MARGIN + width, y + h - 1).lineWidth(0.3).strokeColor("#c8d2dc").stroke();
      doc.x = MARGIN;
      doc.y = y + h;
    };
    ensure(30);
    drawRow(cols.map((c) => c.h), true);
    for (const r of rows) drawRow(r, false);
    doc.moveDown(0.3);
  };

  // ---------------------------------------------------------------- header
  doc.font("Helvetica-Bold").fontSize(16).fillColor("#1f3a5f");
  text("Tumour board — case one-pager", { width });
  doc.font("Helvetica").fontSize(9).fillColor("#444");
  text(`${input.meeting.title} · ${localTime(input.meeting.scheduledAt, input.siteTimeZone)}${input.meeting.location ? ` · ${input.meeting.location}` : ""}`, { width });
  doc.moveDown(0.4).font("Helvetica-Bold").fontSize(12).fillColor("black");
  text(`${pager.patient.name}   MRN ${pager.patient.mrn}`, { width });
  doc.font("Helvetica").fontSize(9);
  text(`${humanize(pager.patient.sex)}, ${pager.patient.ageYears} years · pathway status ${humanize(pager.patient.status)}`, { width });
  text(`Question to the board: ${humanize(input.caseRow.question)}${input.caseRow.questionText ? ` — ${input.caseRow.questionText}` : ""}`, { width });
  doc.fillColor(input.frozenAt ? "#1d5e2e" : "#8a4b00");
  text(input.frozenAt ? `Snapshot frozen ${localTime(input.frozenAt, input.siteTimeZone)} (what the board saw)` : "LIVE data — not frozen", { width });
  doc.fillColor("black");

  // ---------------------------------------------------------------- diagnosis
  heading("Diagnosis");
  const dx = pager.diagnosis;
  if (dx) {
    table(
      [{ h: "Primary", w: 0.22 }, { h: "Histology", w: 0.3 }, { h: "WHO grade", w: 0.12 }, { h: "Ki-67 (%)", w: 0.12, align: "right" }, { h: "Stage", w: 0.1 }, { h: "Diagnosed", w: 0.14 }],
      [[dx.primarySite, dx.histology, dx.whoGrade, fmt(dx.ki67Percent, 1), dx.stage ?? "not recorded", dx.diagnosedOn]],
    );
    if (dx.functionalSyndrome) para(`Functional syndrome: ${dx.functionalSyndrome}`);
  } else para("No diagnosis recorded.");

  // ---------------------------------------------------------------- eligibility
  heading("Eligibility");
  if (pager.eligibility) {
    para(`${pager.eligibility.template} · policy ${pager.eligibility.policy} · overall ${pager.eligibility.overall.replace(/_/g, " ")} (advisory)`);
    table(
      [{ h: "Criterion", w: 0.3 }, { h: "Value", w: 0.18 }, { h: "Threshold", w: 0.22 }, { h: "Status", w: 0.12 }, { h: "Note", w: 0.18 }],
      pager.eligibility.criteria.map((c) => [c.label, c.value === null ? "—" : `${c.value}${c.unit ? ` ${c.unit}` : ""}`, c.threshold, c.status.replace(/_/g, " "), c.status === "PASS" ? "" : c.message]),
    );
  } else para(pager.eligibilityNote ?? "Eligibility not evaluated.");

  // ---------------------------------------------------------------- treatment
  heading("Treatment: cycles and activities (GBq)");
  if (pager.courses.length === 0) para("No PRRT course.");
  for (const c of pager.courses) {
    para(`${c.agent} · ${humanize(c.intent)} · ${humanize(c.status)} · ${c.plannedCycles} cycles planned${c.template ? ` · ${c.template}` : ""} · cumulative net ${fmt(c.cumulativeNetGBq)} GBq`);
    table(
      [{ h: "Cycle", w: 0.1 }, { h: "Planned", w: 0.16 }, { h: "Status", w: 0.16 }, { h: "Prescribed GBq", w: 0.16, align: "right" }, { h: "Administered GBq", w: 0.16, align: "right" }, { h: "Net GBq", w: 0.12, align: "right" }, { h: "Given on", w: 0.14 }],
      c.cycles.map((y) => [String(y.number), y.plannedDate, humanize(y.status), fmt(y.prescribedGBq), fmt(y.administeredGBq), fmt(y.netGBq), y.administeredOn ?? "—"]),
    );
  }

  // ---------------------------------------------------------------- dosimetry
  heading("Cumulative organ doses vs limits (Gy)");
  if (pager.dosimetry && pager.dosimetry.rows.length) {
    table(
      [{ h: "Organ", w: 0.2 }, { h: "Dose Gy", w: 0.13, align: "right" }, { h: "BED Gy", w: 0.13, align: "right" }, { h: "Limit Gy", w: 0.16, align: "right" }, { h: "Remaining Gy", w: 0.14, align: "right" }, { h: "% of limit", w: 0.12, align: "right" }, { h: "Cycles (signed)", w: 0.12 }],
      pager.dosimetry.rows.map((r) => [humanize(r.organ), fmt(r.cumulativeDoseGy), fmt(r.cumulativeBedGy), r.limitGy === null ? "—" : `${fmt(r.limitGy, 1)} (${r.limitQuantity})`, fmt(r.remainingGy), r.fractionOfLimit === null ? "—" : `${(r.fractionOfLimit * 100).toFixed(0)} %`, `${r.cyclesCounted} (${r.cyclesSigned})`]),
    );
    para(`Max next-cycle activity: ${pager.dosimetry.maxNextActivityGBq === null ? "—" : `${fmt(pager.dosimetry.maxNextActivityGBq)} GBq`}${pager.dosimetry.limitingOrgan ? ` (limited by ${humanize(pager.dosimetry.limitingOrgan)})` : ""} · limit policy ${pager.dosimetry.limitPolicy}`);
  } else para("No dosimetry recorded for this patient.");

  // ---------------------------------------------------------------- labs
  heading("Labs (latest value, CTCAE v5.0 grade)");
  if (pager.labs.length) {
    table(
      [{ h: "Analyte", w: 0.24 }, { h: "Latest", w: 0.18, align: "right" }, { h: "Date", w: 0.14 }, { h: "Grade", w: 0.1, align: "right" }, { h: "Worst grade", w: 0.12, align: "right" }, { h: "Trend (oldest → latest)", w: 0.22 }],
      pager.labs.map((l) => [
        l.label,
        l.latest ? `${+l.latest.value.toPrecision(4)} ${l.unit}` : "—",
        l.latest?.date ?? "—",
        l.latest?.grade === null || l.latest?.grade === undefined ? "—" : String(l.latest.grade),
        l.worstGrade === null ? "—" : String(l.worstGrade),
        l.points.slice(-5).map((p) => String(+p.value.toPrecision(3))).join(" → "),
      ]),
    );
  } else para("No lab results.");

  // ---------------------------------------------------------------- response
  heading("Response");
  const r = pager.response;
  if (r) {
    para(`Baseline ${r.baselineDate} → follow-up ${r.followUpDate} · ${r.status}${r.signedByName ? ` by ${r.signedByName}` : ""}${r.conclusion ? ` · conclusion ${r.conclusion.criterion}: ${r.conclusion.category}${r.conclusion.overridden ? ` (overridden: ${r.conclusion.reason ?? ""})` : ""}` : ""}`);
    table([{ h: "Criterion", w: 0.2 }, { h: "Category", w: 0.15 }, { h: "Reasons", w: 0.65 }], r.results.map((x) => [x.criterion, x.category, x.reasons.join("; ")]));
    if (r.lesions.length) {
      const m = (t: typeof r.lesions[number]["baseline"]) => (t ? `${fmt(t.longAxisMm, 0)} mm · SUVmax ${fmt(t.suvMax, 1)}` : "—");
      table([{ h: "Lesion", w: 0.12 }, { h: "Organ", w: 0.14 }, { h: "Target", w: 0.08 }, { h: "Status", w: 0.14 }, { h: "Baseline", w: 0.26 }, { h: "Follow-up", w: 0.26 }], r.lesions.map((l) => [l.label, l.organ, l.isTarget ? "yes" : "", humanize(l.status), m(l.baseline), m(l.followUp)]));
    }
  } else para("No response assessment recorded.");

  // ---------------------------------------------------------------- key images
  heading("Key images (coronal MIP)");
  if (pager.keyImages.length) {
    const boxH = 240;
    ensure(boxH + 20);
    const y0 = doc.y;
    pager.keyImages.forEach((k, i) => {
      const x = MARGIN + i * (width / 2);
      const scale = Math.min((width / 2 - 12) / k.width, boxH / k.height);
      doc.image(Buffer.from(k.pngBase64, "base64"), x, y0, { width: k.width * scale, height: k.height * scale });
      doc.font("Helvetica").fontSize(8).fillColor("#444");
      doc.text(pdfText(`${k.modality ?? ""} ${k.studyDate ?? ""} ${k.description ?? ""}`.trim()), x, y0 + k.height * scale + 3, { width: width / 2 - 12 });
    });
    doc.x = MARGIN;
    doc.y = y0 + boxH + 18;
    doc.fillColor("black");
  } else para("No stored PET/SPECT series.");

  // ---------------------------------------------------------------- timeline
  heading("Timeline");
  if (pager.timeline.length) table([{ h: "Date", w: 0.16 }, { h: "Kind", w: 0.18 }, { h: "Event", w: 0.66 }], pager.timeline.slice(-40).map((t) => [t.date, humanize(t.kind), t.text]));
  else para("Nothing recorded yet.");

  // ---------------------------------------------------------------- decision
  heading("Board decision");
  if (input.decisions.length === 0) para("No decision recorded.");
  for (const d of input.decisions) {
    const details = [
      d.outcome === "START_PRRT" || d.outcome === "RETREATMENT" ? `${d.plannedCycles ?? "?"} cycles × ${fmt(d.activityPerCycleGBq)} GBq` : null,
      d.outcome === "MODIFY_ACTIVITY" ? `new activity ${fmt(d.newActivityGBq)} GBq` : null,
      d.outcome === "DELAY" ? (d.delayUntil ? `until ${d.delayUntil}` : `${d.delayWeeks} weeks`) : null,
      d.consensus ? "consensus" : `votes for ${d.votesFor ?? 0} / against ${d.votesAgainst ?? 0} / abstain ${d.votesAbstain ?? 0}`,
    ].filter(Boolean);
    para(`${d.amendsId ? "Amendment — " : ""}${humanize(d.outcome)} · ${details.join(" · ")} · ${d.status === "SIGNED" ? `signed ${localTime(d.signedAt!, input.siteTimeZone)} · hash ${d.contentHash!.slice(0, 16)}…` : "DRAFT (not signed)"}`);
    para(`Rationale: ${d.rationale}`);
  }

  // ---------------------------------------------------------------- footers
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would start a new page: lift the margin for the footer.
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN - FOOTER_H + 10;
    doc.font("Helvetica").fontSize(7.5).fillColor("#555");
    const state = input.frozenAt ? "snapshot (what the board saw)" : "LIVE data, not frozen";
    doc.text(pdfText(`Generated ${input.generatedAt.toISOString()} · ${state}`), MARGIN, y, { width: width - 70, lineBreak: false });
    doc.text(`Page ${i - range.start + 1} of ${range.count}`, MARGIN + width - 70, y, { width: 70, align: "right", lineBreak: false });
    doc.text(pdfText(`MRN ${pager.patient.mrn} · content sha256 ${input.contentHash}`), MARGIN, y + 10, { width, lineBreak: false });
  }
  doc.end();
  return done;
}
