import { and, asc, desc, eq, inArray, isNull } from "drizzle-orm";
import {
  boardDecision,
  cycleDecision,
  diagnosis,
  imagingStudy,
  labResult,
  protocolTemplate,
  radiopharmaceutical,
  therapyCourse,
  therapyCycle,
  type PatientRow,
} from "@lutetia/db";
import { gradeCanonicalLab } from "@lutetia/protocols";
import type { RequestContext } from "../../graphql/context";
import { toGlobalId } from "../../shared/ids";
import { LAB_CATALOGUE, type Analyte } from "../labs/lab-catalogue";
import { doseSummaryForPatient, type PatientDoseSummary } from "../dosimetry/summary";
import { responseSummaryForPatient, type PatientResponseSummary } from "../response/summary";
import { EligibilityService } from "../pathway/eligibility.service";
import { ageYears } from "../pathway/decisions.service";
import { keyImagesOfPatient, type KeyImage } from "./mip";

/**
 * The case one-pager: one honest picture of a patient for the tumour board, generated from LIVE
 * data by `buildOnePager`. Frozen as-is into `board_case_snapshot.content` at the meeting; the
 * web page, presentation mode and the PDF render the same JSON for live and frozen one-pagers.
 * `schemaVersion` changes whenever a field's meaning changes (old snapshots keep theirs).
 *
 * Nothing in it is computed here: CTCAE grades come from @lutetia/protocols, eligibility from
 * the pathway module, doses from the dosimetry module, response from the response module.
 */
export interface OnePager {
  schemaVersion: 1;
  /** Identity: no more than the board needs to recognise the patient (no birth date, no address). */
  patient: { id: string; mrn: string; name: string; sex: string; ageYears: number; status: string };
  diagnosis: { primarySite: string; histology: string; whoGrade: string; ki67Percent: number | null; differentiation: string; functionalSyndrome: string | null; diagnosedOn: string; stage: string | null } | null;
  timeline: { date: string; kind: "STUDY" | "CYCLE" | "LABS" | "DECISION" | "BOARD_DECISION"; text: string }[];
  eligibility: { template: string; policy: string; overall: string; criteria: { label: string; status: string; value: string | null; unit: string | null; threshold: string; message: string }[]; reasons: string[] } | null;
  eligibilityNote: string | null;
  courses: {
    id: string;
    agent: string;
    intent: string;
    status: string;
    plannedCycles: number;
    template: string | null;
    cycles: { number: number; plannedDate: string; status: string; prescribedGBq: number; administeredGBq: number | null; netGBq: number | null; administeredOn: string | null }[];
    cumulativeNetGBq: number;
  }[];
  dosimetry: PatientDoseSummary | null;
  labs: { analyte: string; label: string; unit: string; points: { date: string; value: number; grade: number | null }[]; latest: { date: string; value: number; grade: number | null; term: string | null } | null; worstGrade: number | null }[];
  response: PatientResponseSummary | null;
  keyImages: KeyImage[];
}

const gbq = (mbq: number | null | undefined) => (mbq === null || mbq === undefined ? null : Math.round(mbq) / 1000);
const day = (d: Date) => d.toISOString().slice(0, 10);

/** Builds the live one-pager of a patient already loaded in the caller's scope (reads are audited). */
export async function buildOnePager(ctx: RequestContext, p: PatientRow, opts: { excludeCaseId?: string } = {}): Promise<OnePager> {
  const actor = ctx.requireActor();
  const db = ctx.db;
  ctx.recordRead("Patient", p.id, p.id);
  const now = new Date();

  const [dx] = await db.select().from(diagnosis).where(and(eq(diagnosis.patientId, p.id), eq(diagnosis.siteId, actor.siteId), isNull(diagnosis.voidedAt))).orderBy(desc(diagnosis.diagnosedOn), desc(diagnosis.createdAt)).limit(1);
  if (dx) ctx.recordRead("Diagnosis", dx.id, p.id);

  const courses = await db.select({ c: therapyCourse, agent: radiopharmaceutical.name, tplName: protocolTemplate.name, tplVersion: protocolTemplate.templateVersion }).from(therapyCourse)
    .innerJoin(radiopharmaceutical, eq(radiopharmaceutical.id, therapyCourse.radiopharmaceuticalId))
    .leftJoin(protocolTemplate, eq(protocolTemplate.id, therapyCourse.protocolTemplateId))
    .where(and(eq(therapyCourse.patientId, p.id), eq(therapyCourse.siteId, actor.siteId))).orderBy(asc(therapyCourse.createdAt));
  const cycles = courses.length ? await db.select().from(therapyCycle).where(inArray(therapyCycle.courseId, courses.map((c) => c.c.id))).orderBy(asc(therapyCycle.number)) : [];
  for (const c of courses) ctx.recordRead("TherapyCourse", c.c.id, p.id);

  const studies = await db.select({ s: imagingStudy, tracer: radiopharmaceutical.name }).from(imagingStudy).leftJoin(radiopharmaceutical, eq(radiopharmaceutical.id, imagingStudy.tracerId))
    .where(and(eq(imagingStudy.patientId, p.id), eq(imagingStudy.siteId, actor.siteId), isNull(imagingStudy.voidedAt))).orderBy(asc(imagingStudy.performedAt));
  for (const s of studies) ctx.recordRead("ImagingStudy", s.s.id, p.id);

  const labs = await db.select().from(labResult).where(and(eq(labResult.patientId, p.id), eq(labResult.siteId, actor.siteId), isNull(labResult.voidedAt))).orderBy(asc(labResult.sampledAt));
  for (const l of labs) ctx.recordRead("LabResult", l.id, p.id);

  const goNoGo = await db.select().from(cycleDecision).where(and(eq(cycleDecision.patientId, p.id), eq(cycleDecision.siteId, actor.siteId))).orderBy(asc(cycleDecision.decidedAt));
  // Signed board decisions (those of the case being presented are its outcome, not its input).
  const boardSigned = (await db.select().from(boardDecision).where(and(eq(boardDecision.patientId, p.id), eq(boardDecision.siteId, actor.siteId), eq(boardDecision.status, "SIGNED"))).orderBy(asc(boardDecision.signedAt)))
    .filter((d) => d.caseId !== opts.excludeCaseId);

  // Cycles with activities (prescribed = the course's planned activity, or the go/no-go REDUCE activity).
  const reduceOf = new Map<string, number>();
  for (const d of goNoGo) if (d.action === "REDUCE" && d.activityMBq) reduceOf.set(d.cycleId, d.activityMBq);
  const courseOut = courses.map(({ c, agent, tplName, tplVersion }) => {
    const cs = cycles.filter((y) => y.courseId === c.id).map((y) => ({
      number: y.number, plannedDate: y.plannedDate, status: y.status,
      prescribedGBq: gbq(reduceOf.get(y.id) ?? c.plannedActivityMBq)!,
      administeredGBq: gbq(y.calibratedActivityMBq), netGBq: gbq(y.netActivityMBq),
      administeredOn: y.infusionStart ? day(y.infusionStart) : null,
    }));
    return {
      id: toGlobalId("TherapyCourse", c.id), agent, intent: c.intent, status: c.status, plannedCycles: c.plannedCycles,
      template: tplName ? `${tplName} v${tplVersion}` : null, cycles: cs,
      cumulativeNetGBq: Math.round(cs.reduce((s, y) => s + (y.netGBq ?? 0) * 1000, 0)) / 1000,
    };
  });

  // Labs with CTCAE v5.0 grades (@lutetia/protocols gradeCanonicalLab; creatinine graded against
  // the last value before the first administration, as the go/no-go does).
  const firstAdmin = cycles.filter((y) => y.infusionStart).map((y) => y.infusionStart!).sort((a, b) => a.getTime() - b.getTime())[0] ?? null;
  const baselineCreat = labs.filter((l) => l.analyte === "CREATININE" && (!firstAdmin || l.sampledAt < firstAdmin)).at(-1)?.value;
  const byAnalyte = new Map<Analyte, OnePager["labs"][number]>();
  for (const l of labs) {
    const info = LAB_CATALOGUE[l.analyte as Analyte];
    let row = byAnalyte.get(l.analyte as Analyte);
    if (!row) {
      row = { analyte: l.analyte, label: info?.label ?? l.analyte, unit: l.unit, points: [], latest: null, worstGrade: null };
      byAnalyte.set(l.analyte as Analyte, row);
    }
    const g = gradeCanonicalLab(l.analyte, l.value, { baselineCreatinine: baselineCreat });
    const grade = g ? g.result.grade : null;
    row.points.push({ date: day(l.sampledAt), value: l.value, grade });
    row.latest = { date: day(l.sampledAt), value: l.value, grade, term: g ? g.result.term : null };
    if (grade !== null) row.worstGrade = Math.max(row.worstGrade ?? 0, grade);
  }

  // Timeline (oldest first): studies, administered cycles, lab draws (one line per day), decisions.
  const timeline: OnePager["timeline"] = [];
  for (const { s, tracer } of studies) timeline.push({ date: day(s.performedAt), kind: "STUDY", text: `${s.modality}${tracer ? ` ${tracer}` : ""} — ${s.purpose.toLowerCase().replace("_", "-")}` });
  for (const y of cycles) if (y.infusionStart) timeline.push({ date: day(y.infusionStart), kind: "CYCLE", text: `Cycle ${y.number} administered${y.netActivityMBq ? `, net ${(y.netActivityMBq / 1000).toFixed(2)} GBq` : ""}` });
  const labDays = new Map<string, string[]>();
  for (const l of labs) {
    const d = day(l.sampledAt);
    labDays.set(d, [...(labDays.get(d) ?? []), LAB_CATALOGUE[l.analyte as Analyte]?.label ?? l.analyte]);
  }
  for (const [d, names] of labDays) timeline.push({ date: d, kind: "LABS", text: `Labs: ${[...new Set(names)].join(", ")}` });
  const cycleNo = new Map(cycles.map((y) => [y.id, y.number] as const));
  for (const d of goNoGo) timeline.push({ date: day(d.decidedAt), kind: "DECISION", text: `Cycle ${cycleNo.get(d.cycleId) ?? "?"} go/no-go: ${d.action}${d.activityMBq && d.action === "REDUCE" ? ` ${(d.activityMBq / 1000).toFixed(2)} GBq` : ""}` });
  for (const d of boardSigned) timeline.push({ date: day(d.signedAt!), kind: "BOARD_DECISION", text: `Tumour board: ${d.outcome.replace(/_/g, " ")}${d.amendsId ? " (amendment)" : ""}` });
  timeline.sort((a, b) => a.date.localeCompare(b.date) || a.kind.localeCompare(b.kind));

  // Eligibility (pathway module, the course's template, else the shipped standard template).
  let eligibility: OnePager["eligibility"] = null;
  let eligibilityNote: string | null = null;
  const tplId = courses.at(-1)?.c.protocolTemplateId ?? (await db.select({ id: protocolTemplate.id }).from(protocolTemplate).where(and(isNull(protocolTemplate.siteId), eq(protocolTemplate.templateKey, "lu177-dotatate-standard"))).orderBy(desc(protocolTemplate.templateVersion)).limit(1))[0]?.id;
  if (tplId) {
    try {
      const r = await EligibilityService.evaluate(ctx, { patientId: toGlobalId("Patient", p.id), templateId: toGlobalId("ProtocolTemplate", tplId) });
      eligibility = {
        template: `${r.template.name} v${r.template.templateVersion}`, policy: r.policyId, overall: r.overall, reasons: r.reasons,
        // Display rounding only (4 significant digits); the eligibility service keeps the exact value.
        criteria: r.criteria.map((c) => ({ label: c.label, status: c.status, value: c.numericValue !== null ? String(+c.numericValue.toPrecision(4)) : c.value, unit: c.unit, threshold: c.threshold, message: c.message })),
      };
    } catch (e) {
      eligibilityNote = `eligibility could not be evaluated: ${e instanceof Error ? e.message : String(e)}`;
    }
  } else eligibilityNote = "no protocol template available";

  const dosimetry = await doseSummaryForPatient(ctx, p.id);
  const response = await responseSummaryForPatient(ctx, p.id);
  const keyImages = await keyImagesOfPatient(db, actor.siteId, p.id);
  for (const k of keyImages) ctx.recordRead("DicomSeries", k.seriesId, p.id);

  return {
    schemaVersion: 1,
    patient: { id: toGlobalId("Patient", p.id), mrn: p.mrn, name: `${p.familyName}, ${p.givenName}`, sex: p.sex, ageYears: ageYears(p.birthDate, now), status: p.status },
    diagnosis: dx ? { primarySite: dx.primarySite, histology: dx.histology, whoGrade: dx.whoGrade, ki67Percent: dx.ki67Percent, differentiation: dx.differentiation, functionalSyndrome: dx.functionalSyndrome, diagnosedOn: dx.diagnosedOn, stage: null } : null,
    timeline,
    eligibility,
    eligibilityNote,
    courses: courseOut,
    dosimetry,
    labs: [...byAnalyte.values()],
    response,
    keyImages: keyImages.map((k) => ({ ...k, seriesId: toGlobalId("DicomSeries", k.seriesId) })),
  };
}
