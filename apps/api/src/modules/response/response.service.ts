/**
 * Response assessment (issue 7, physician): suggest and check the studies, build the lesion
 * table, compute every criterion with @lutetia/quantification, confirm / override, sign
 * (immutable; amend as a new linked version), site waterfall, lesion dose vs response, CSV.
 * Every read is audited (ctx.recordRead); every write goes through createRecord/changeRecord.
 */
import { and, asc, desc, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import {
  appUser,
  dicomStudy,
  imagingStudy,
  lesion,
  lesionMeasurement,
  patient,
  radiopharmaceutical,
  referenceValue,
  responseAssessment,
  therapyCycle,
  type ResponseAssessmentRow,
} from "@lutetia/db";
import { bestRelativeChange } from "@lutetia/quantification";
import type { RequestContext } from "../../graphql/context";
import { lesionDosesForPatient } from "../dosimetry/summary";
import { UserInputProblem } from "../../shared/errors";
import { idOf, toGlobalId } from "../../shared/ids";
import { loadInScope } from "../../shared/records";
import { parseInput } from "../../shared/validation";
import { changeRecord, createRecord } from "../../shared/versioned";
import { nonEmpty, version } from "../../shared/zod";
import {
  CATEGORIES,
  checkTargets,
  comparability,
  computeResults,
  CRITERIA,
  currentCourseStart,
  defaultTargets,
  fdgWindowDays,
  joinLesionDoses,
  lesionTable,
  lesionTableCsv,
  suggestStudies,
  withinDays,
  type AssessmentInputs,
  type Criterion,
  type CriterionResult,
  type CycleInfo,
  type LesionDoseResponseRow,
  type LesionInfo,
  type LesionRowOut,
  type LiverReference,
  type MeasurementInfo,
  type StudyInfo,
  type Suggestion,
  type Warning,
} from "./response.logic";

export interface PatientData {
  patientId: string;
  studies: StudyInfo[];
  lesions: LesionInfo[];
  measurements: MeasurementInfo[];
  cycles: CycleInfo[];
  liverByStudy: Map<string, LiverReference>;
}

export interface AssessmentView {
  row: ResponseAssessmentRow;
  frozen: boolean;
  computedAt: string;
  warnings: Warning[];
  lesionTable: LesionRowOut[];
  results: CriterionResult[];
  inputs: Record<string, unknown>;
}

const NON_TARGET = ["CR", "NON_CR_NON_PD", "PD", "NE"] as const;
const liverValue = z.number().min(0, "must be ≥ 0 (SUV, g/mL)").max(50, "must be ≤ 50 (implausible liver SUV)");

/** Loads everything the assessment needs for one patient (site-scoped; voided rows excluded). */
async function loadPatientData(ctx: RequestContext, patientId: string): Promise<PatientData> {
  const siteId = ctx.requireActor().siteId;
  const studies = await ctx.db
    .select({ s: imagingStudy, tracerName: radiopharmaceutical.name, tracerTarget: radiopharmaceutical.target })
    .from(imagingStudy)
    .leftJoin(radiopharmaceutical, eq(radiopharmaceutical.id, imagingStudy.tracerId))
    .where(and(eq(imagingStudy.patientId, patientId), eq(imagingStudy.siteId, siteId), isNull(imagingStudy.voidedAt)))
    .orderBy(asc(imagingStudy.performedAt));
  const lesions = await ctx.db.select().from(lesion).where(and(eq(lesion.patientId, patientId), eq(lesion.siteId, siteId), isNull(lesion.voidedAt)));
  const meas = await ctx.db
    .select()
    .from(lesionMeasurement)
    .where(and(eq(lesionMeasurement.patientId, patientId), eq(lesionMeasurement.siteId, siteId), isNull(lesionMeasurement.voidedAt)));
  const cycles = await ctx.db.select().from(therapyCycle).where(and(eq(therapyCycle.patientId, patientId), eq(therapyCycle.siteId, siteId)));
  const refs = await ctx.db
    .select({ r: referenceValue, imagingStudyId: dicomStudy.imagingStudyId })
    .from(referenceValue)
    .innerJoin(dicomStudy, eq(dicomStudy.id, referenceValue.studyId))
    .where(and(eq(referenceValue.patientId, patientId), eq(referenceValue.siteId, siteId), eq(referenceValue.organ, "LIVER"), eq(referenceValue.current, true)));
  const liverByStudy = new Map<string, LiverReference>();
  for (const r of refs) if (r.imagingStudyId) liverByStudy.set(r.imagingStudyId, { suvMean: r.r.suvMean, suvSd: r.r.suvSd, source: "liver VOI of the quantification" });
  return {
    patientId,
    studies: studies.map(({ s, tracerName, tracerTarget }) => ({
      id: s.id, performedAt: s.performedAt, injectedAt: s.injectedAt, modality: s.modality, purpose: s.purpose, tracerName: tracerName ?? null,
      tracerKind: !s.tracerId ? "NONE" : tracerTarget === "GLUCOSE" ? "FDG" : tracerTarget === "SSTR" ? "SSTR" : "OTHER",
    })),
    lesions: lesions.map((l) => ({ id: l.id, label: l.label, organ: l.organ, firstSeenOn: l.firstSeenOn })),
    measurements: meas.map((m) => ({
      lesionId: m.lesionId, studyId: m.studyId, longAxisMm: m.longAxisMm, shortAxisMm: m.shortAxisMm, suvMax: m.suvMax, suvPeak: m.suvPeak, suvMean: m.suvMean,
      mtvMl: m.mtvMl, tlg: m.tlg, krenningScore: m.krenningScore, isTarget: m.isTarget, provenance: m.provenance ?? null,
    })),
    cycles: cycles.map((c) => ({ courseId: c.courseId, number: c.number, status: c.status, at: c.infusionStart ?? new Date(`${c.plannedDate}T12:00:00Z`) })),
    liverByStudy,
  };
}

function inputsOf(d: PatientData, row: ResponseAssessmentRow): AssessmentInputs {
  const baseline = d.studies.find((s) => s.id === row.baselineStudyId)!;
  const followUp = d.studies.find((s) => s.id === row.followUpStudyId)!;
  const measured = new Set(d.measurements.map((m) => m.studyId));
  const intermediate = d.studies.filter(
    (s) => measured.has(s.id) && s.performedAt > baseline.performedAt && s.performedAt < followUp.performedAt &&
      s.modality === baseline.modality && (s.tracerName ?? "") === (baseline.tracerName ?? "") && s.purpose !== "POST_THERAPY",
  );
  const entered = (mean: number | null, sd: number | null): LiverReference | null => (mean !== null ? { suvMean: mean, suvSd: sd ?? 0, source: "entered by the physician" } : null);
  const fdg = d.studies
    .filter((s) => s.modality === "PET" && s.tracerKind === "FDG" && measured.has(s.id) && withinDays(s.performedAt, followUp.performedAt, fdgWindowDays))
    .sort((a, b) => Math.abs(a.performedAt.getTime() - followUp.performedAt.getTime()) - Math.abs(b.performedAt.getTime() - followUp.performedAt.getTime()))[0];
  return {
    baseline, followUp, intermediate, lesions: d.lesions, measurements: d.measurements, targetIds: row.targetLesionIds,
    nonTargetResponse: (row.nonTargetResponse as AssessmentInputs["nonTargetResponse"]) ?? null, nonTargetPdReason: row.nonTargetPdReason,
    liver: {
      baseline: d.liverByStudy.get(baseline.id) ?? entered(row.baselineLiverSuvMean, row.baselineLiverSuvSd),
      followUp: d.liverByStudy.get(followUp.id) ?? entered(row.followUpLiverSuvMean, row.followUpLiverSuvSd),
    },
    cyclesGiven: d.cycles.filter((c) => c.status === "ADMINISTERED" && c.at > baseline.performedAt && c.at < followUp.performedAt).length,
    fdgStudy: fdg && fdg.id !== followUp.id ? fdg : null,
  };
}

/** Builds the live view of a draft (or any row before signing). */
function liveView(d: PatientData, row: ResponseAssessmentRow): AssessmentView {
  // A draft whose baseline or follow-up study was voided since cannot be evaluated: say so
  // (the physician picks another pair) instead of computing on a study that no longer counts.
  const gone = [["baseline", row.baselineStudyId], ["follow-up", row.followUpStudyId]].filter(([, id]) => !d.studies.some((s) => s.id === id)).map(([which]) => which!);
  if (gone.length) {
    return {
      row, frozen: false, computedAt: new Date().toISOString(),
      warnings: [{ code: "STUDY_VOIDED", message: `the ${gone.join(" and ")} study of this assessment was voided: choose another study pair` }],
      lesionTable: [], results: [], inputs: { voidedStudies: gone },
    };
  }
  const x = inputsOf(d, row);
  const rows = lesionTable(d.lesions, d.measurements, row.baselineStudyId, row.followUpStudyId, row.targetLesionIds);
  const firstCycleAt = currentCourseStart(d.cycles);
  const warnings = comparability(x.baseline, x.followUp, firstCycleAt);
  const usedStudies = new Set([x.baseline.id, x.followUp.id, ...x.intermediate.map((s) => s.id), ...(x.fdgStudy ? [x.fdgStudy.id] : [])]);
  return {
    row, frozen: false, computedAt: new Date().toISOString(), warnings, lesionTable: rows, results: computeResults(x),
    inputs: {
      baselineStudy: x.baseline, followUpStudy: x.followUp, intermediateStudies: x.intermediate, fdgStudy: x.fdgStudy,
      targetLesions: row.targetLesionIds.map((id) => ({ id, label: d.lesions.find((l) => l.id === id)?.label ?? id })),
      nonTargetResponse: x.nonTargetResponse, nonTargetPdReason: x.nonTargetPdReason, liver: x.liver, cyclesGiven: x.cyclesGiven,
      measurements: d.measurements.filter((m) => usedStudies.has(m.studyId)),
      engine: "@lutetia/quantification (default policies: RECIST_1_1_DEFAULT_POLICY, PERCIST_DEFAULT_POLICY, EORTC_1999_DEFAULT_POLICY, SWOG_KWEKKEBOOM_DEFAULT_POLICY, SSTR_PET_DEFAULT_POLICY, NETPET_DEFAULT_POLICY)",
    },
  };
}

function frozenView(row: ResponseAssessmentRow): AssessmentView {
  const c = row.computed as unknown as { computedAt: string; warnings: Warning[]; lesionTable: LesionRowOut[]; results: CriterionResult[]; inputs: Record<string, unknown> };
  return { row, frozen: true, computedAt: c.computedAt, warnings: c.warnings, lesionTable: c.lesionTable, results: c.results, inputs: c.inputs };
}

const cache = new WeakMap<RequestContext, Map<string, Promise<PatientData>>>();
function patientData(ctx: RequestContext, patientId: string): Promise<PatientData> {
  let m = cache.get(ctx);
  if (!m) cache.set(ctx, (m = new Map()));
  let p = m.get(patientId);
  if (!p) m.set(patientId, (p = loadPatientData(ctx, patientId)));
  return p;
}

async function view(ctx: RequestContext, row: ResponseAssessmentRow, fresh = false): Promise<AssessmentView> {
  ctx.recordRead("ResponseAssessment", row.id, row.patientId);
  if (row.status === "SIGNED" && row.computed) return frozenView(row);
  const d = fresh ? await loadPatientData(ctx, row.patientId) : await patientData(ctx, row.patientId);
  return liveView(d, row);
}

const studyIn = (d: PatientData, globalId: string, field: string): StudyInfo => {
  const id = idOf(globalId, "ImagingStudy");
  const s = id ? d.studies.find((x) => x.id === id) : undefined;
  if (!s) throw UserInputProblem.of(["input", field], `is not a study of this patient (got ${JSON.stringify(globalId)})`, "NOT_FOUND");
  return s;
};

function checkPair(d: PatientData, b: StudyInfo, f: StudyInfo) {
  if (b.id === f.id) throw UserInputProblem.of(["input", "followUpStudyId"], "must be a different study than the baseline");
  if (f.performedAt <= b.performedAt) {
    throw UserInputProblem.of(["input", "followUpStudyId"], `must be after the baseline (baseline ${b.performedAt.toISOString().slice(0, 10)}, got ${f.performedAt.toISOString().slice(0, 10)})`);
  }
  for (const [field, s] of [["baselineStudyId", b], ["followUpStudyId", f]] as const) {
    if (!d.measurements.some((m) => m.studyId === s.id)) throw UserInputProblem.of(["input", field], "has no lesion measurements: measure the lesions on this study first");
  }
}

function targetIdsFrom(d: PatientData, globalIds: readonly string[], baselineId: string): string[] {
  const ids = globalIds.map((g, i) => {
    const id = idOf(g, "Lesion");
    if (!id || !d.lesions.some((l) => l.id === id)) throw UserInputProblem.of(["input", "targetLesionIds", String(i)], `is not a lesion of this patient (got ${JSON.stringify(g)})`, "NOT_FOUND");
    return id;
  });
  const problems = checkTargets(ids, d.lesions, d.measurements, baselineId);
  if (problems.length) {
    throw new UserInputProblem(problems.map((p) => ({ field: ["input", "targetLesionIds"], message: `RECIST 1.1 target selection: ${p.message}`, code: "INVALID" as const })));
  }
  return ids;
}

const mustBeDraft = (row: ResponseAssessmentRow) => {
  if (row.status === "SIGNED") throw UserInputProblem.of(["input", "id"], "this response assessment is signed and immutable; amend it to make a new version", "CONFLICT");
};

export const ResponseService = {
  async suggestion(ctx: RequestContext, patientGlobalId: string): Promise<Suggestion & { patientId: string }> {
    ctx.authorize("patient:read");
    const p = await loadInScope(ctx, patient, "Patient", patientGlobalId, ["patientId"]);
    ctx.recordRead("Patient", p.id, p.id);
    const d = await patientData(ctx, p.id);
    return { ...suggestStudies(d.studies, new Set(d.measurements.map((m) => m.studyId)), d.cycles), patientId: p.id };
  },

  /** Comparability warnings of a candidate pair of studies of one patient (same checks as the assessment). */
  async comparability(ctx: RequestContext, baselineGlobalId: string, followUpGlobalId: string): Promise<Warning[]> {
    ctx.authorize("patient:read");
    const b = await loadInScope(ctx, imagingStudy, "ImagingStudy", baselineGlobalId, ["baselineStudyId"]);
    const f = await loadInScope(ctx, imagingStudy, "ImagingStudy", followUpGlobalId, ["followUpStudyId"]);
    if (b.patientId !== f.patientId) return [{ code: "DIFFERENT_PATIENTS", message: "the two studies belong to different patients" }];
    ctx.recordRead("ImagingStudy", b.id, b.patientId);
    ctx.recordRead("ImagingStudy", f.id, f.patientId);
    const d = await patientData(ctx, b.patientId);
    const bs = d.studies.find((s) => s.id === b.id);
    const fs = d.studies.find((s) => s.id === f.id);
    if (!bs || !fs) return [{ code: "VOIDED", message: "a study is voided" }];
    const w = comparability(bs, fs, currentCourseStart(d.cycles));
    if (fs.performedAt <= bs.performedAt) w.unshift({ code: "FOLLOW_UP_NOT_AFTER_BASELINE", message: "the follow-up must be after the baseline" });
    return w;
  },

  async create(ctx: RequestContext, input: unknown) {
    const actor = ctx.authorize("response:write");
    const v = parseInput(
      z.object({ patientId: z.string(), baselineStudyId: z.string(), followUpStudyId: z.string(), targetLesionIds: z.array(z.string()).max(50).nullish(), selectionNote: z.string().trim().max(1000).nullish() }),
      input,
    );
    const p = await loadInScope(ctx, patient, "Patient", v.patientId, ["input", "patientId"]);
    const d = await loadPatientData(ctx, p.id);
    const b = studyIn(d, v.baselineStudyId, "baselineStudyId");
    const f = studyIn(d, v.followUpStudyId, "followUpStudyId");
    checkPair(d, b, f);
    const targets = v.targetLesionIds ? targetIdsFrom(d, v.targetLesionIds, b.id) : defaultTargets(d.lesions, d.measurements, b.id);
    return createRecord(ctx, {
      table: responseAssessment, type: "ResponseAssessment", action: "response_assessment.create",
      values: { siteId: actor.siteId, patientId: p.id, baselineStudyId: b.id, followUpStudyId: f.id, targetLesionIds: targets, selectionNote: v.selectionNote ?? null, createdBy: actor.userId },
      patientIdOf: (r) => r.patientId,
    });
  },

  /** Changes a DRAFT: studies, targets, non-target reading, entered liver reference. Clears the conclusion (to be confirmed again). */
  async update(ctx: RequestContext, input: unknown) {
    ctx.authorize("response:write");
    const v = parseInput(
      z.object({
        id: z.string(), version,
        baselineStudyId: z.string().nullish(), followUpStudyId: z.string().nullish(), targetLesionIds: z.array(z.string()).max(50).nullish(),
        nonTargetResponse: z.enum(NON_TARGET).nullish(), nonTargetPdReason: z.string().trim().max(500).nullish(),
        baselineLiverSuvMean: liverValue.nullish(), baselineLiverSuvSd: liverValue.nullish(), followUpLiverSuvMean: liverValue.nullish(), followUpLiverSuvSd: liverValue.nullish(),
      }),
      input,
    );
    if (v.nonTargetResponse === "PD" && !v.nonTargetPdReason) throw UserInputProblem.of(["input", "nonTargetPdReason"], "is required when the non-target response is PD (unequivocal progression needs the reader's reason)");
    const patch: Partial<ResponseAssessmentRow> = {};
    return changeRecord(ctx, {
      table: responseAssessment, type: "ResponseAssessment", action: "response_assessment.update", globalId: v.id, version: v.version, patch,
      check: async (cur) => {
        mustBeDraft(cur);
        const d = await loadPatientData(ctx, cur.patientId);
        const b = v.baselineStudyId ? studyIn(d, v.baselineStudyId, "baselineStudyId") : d.studies.find((s) => s.id === cur.baselineStudyId)!;
        const f = v.followUpStudyId ? studyIn(d, v.followUpStudyId, "followUpStudyId") : d.studies.find((s) => s.id === cur.followUpStudyId)!;
        if (v.baselineStudyId || v.followUpStudyId) checkPair(d, b, f);
        patch.baselineStudyId = b.id;
        patch.followUpStudyId = f.id;
        if (v.targetLesionIds) patch.targetLesionIds = targetIdsFrom(d, v.targetLesionIds, b.id);
        else if (b.id !== cur.baselineStudyId) patch.targetLesionIds = defaultTargets(d.lesions, d.measurements, b.id);
        if (v.nonTargetResponse !== undefined) {
          patch.nonTargetResponse = v.nonTargetResponse;
          patch.nonTargetPdReason = v.nonTargetResponse === "PD" ? (v.nonTargetPdReason ?? null) : null;
        }
        for (const k of ["baselineLiverSuvMean", "baselineLiverSuvSd", "followUpLiverSuvMean", "followUpLiverSuvSd"] as const) if (v[k] !== undefined) patch[k] = v[k];
        Object.assign(patch, { conclusionCriterion: null, conclusionCategory: null, conclusionComputedCategory: null, conclusionOverridden: false, conclusionReason: null, concludedBy: null, concludedAt: null });
      },
    });
  },

  /**
   * Confirms the computed category of one criterion, or overrides it (another category + a
   * required reason). The computed category seen is stored; signing refuses if it changed since.
   */
  async conclude(ctx: RequestContext, input: unknown) {
    const actor = ctx.authorize("response:write");
    const v = parseInput(
      z.object({ id: z.string(), version, criterion: z.enum(CRITERIA), category: z.string().trim().max(20).nullish(), reason: z.string().trim().max(1000).nullish() }),
      input,
    );
    const patch: Partial<ResponseAssessmentRow> = {};
    return changeRecord(ctx, {
      table: responseAssessment, type: "ResponseAssessment", action: "response_assessment.conclude", globalId: v.id, version: v.version, patch,
      check: async (cur) => {
        mustBeDraft(cur);
        const vw = liveView(await loadPatientData(ctx, cur.patientId), cur);
        const r = vw.results.find((x) => x.criterion === v.criterion)!;
        const category = v.category ?? r.category;
        if (!CATEGORIES[v.criterion].includes(category)) {
          throw UserInputProblem.of(["input", "category"], `must be one of ${CATEGORIES[v.criterion].join(", ")} for ${v.criterion} (got ${JSON.stringify(category)})`);
        }
        const overridden = category !== r.category;
        if (overridden && (!v.reason || v.reason.length < 3)) {
          throw UserInputProblem.of(["input", "reason"], `is required to override the computed ${v.criterion} category ${r.category} with ${category} (got ${JSON.stringify(v.reason ?? "")})`);
        }
        if (!overridden && !r.evaluable) {
          throw UserInputProblem.of(["input", "category"], `${v.criterion} is not evaluable here (${r.reasons[0]?.message ?? "NE"}): give a category and a reason to override, or conclude on another criterion`);
        }
        Object.assign(patch, {
          conclusionCriterion: v.criterion, conclusionCategory: category, conclusionComputedCategory: r.category, conclusionOverridden: overridden,
          conclusionReason: v.reason ?? null, concludedBy: actor.userId, concludedAt: new Date(),
        });
      },
    });
  },

  /** Signs a DRAFT with a conclusion: freezes results, lesion table and inputs (what the physician saw). */
  async sign(ctx: RequestContext, input: unknown) {
    const actor = ctx.authorize("response:sign");
    const v = parseInput(z.object({ id: z.string(), version }), input);
    const patch: Partial<ResponseAssessmentRow> = {};
    return changeRecord(ctx, {
      table: responseAssessment, type: "ResponseAssessment", action: "response_assessment.sign", globalId: v.id, version: v.version, patch,
      check: async (cur) => {
        mustBeDraft(cur);
        if (!cur.conclusionCriterion || !cur.conclusionCategory) throw UserInputProblem.of(["input", "id"], "confirm or override a criterion's category before signing");
        const vw = liveView(await loadPatientData(ctx, cur.patientId), cur);
        const r = vw.results.find((x) => x.criterion === cur.conclusionCriterion);
        if (!r || r.category !== cur.conclusionComputedCategory) {
          throw UserInputProblem.of(["input", "id"], `the computed ${cur.conclusionCriterion} category changed since you confirmed (${cur.conclusionComputedCategory ?? "none"} → ${r?.category ?? "none"}): review and confirm again`, "CONFLICT");
        }
        const now = new Date();
        Object.assign(patch, {
          status: "SIGNED", signedAt: now, signedBy: actor.userId,
          computed: { computedAt: now.toISOString(), warnings: vw.warnings, lesionTable: vw.lesionTable, results: vw.results, inputs: JSON.parse(JSON.stringify(vw.inputs)) as Record<string, unknown> },
        });
      },
    });
  },

  /** A new DRAFT linked to a SIGNED assessment (same studies, targets, readings); the signed one stays untouched. */
  async amend(ctx: RequestContext, input: unknown) {
    const actor = ctx.authorize("response:write");
    const v = parseInput(z.object({ id: z.string(), reason: nonEmpty(500) }), input);
    const cur = await loadInScope(ctx, responseAssessment, "ResponseAssessment", v.id, ["input", "id"]);
    if (cur.status !== "SIGNED") throw UserInputProblem.of(["input", "id"], "only a signed assessment is amended; edit the draft instead");
    const [later] = await ctx.db.select({ revision: responseAssessment.revision }).from(responseAssessment).where(eq(responseAssessment.amendsId, cur.id)).limit(1);
    if (later) throw UserInputProblem.of(["input", "id"], `is already amended by revision ${later.revision}; amend the latest version`, "CONFLICT");
    return createRecord(ctx, {
      table: responseAssessment, type: "ResponseAssessment", action: "response_assessment.amend",
      values: {
        siteId: actor.siteId, patientId: cur.patientId, baselineStudyId: cur.baselineStudyId, followUpStudyId: cur.followUpStudyId, targetLesionIds: cur.targetLesionIds,
        nonTargetResponse: cur.nonTargetResponse, nonTargetPdReason: cur.nonTargetPdReason,
        baselineLiverSuvMean: cur.baselineLiverSuvMean, baselineLiverSuvSd: cur.baselineLiverSuvSd, followUpLiverSuvMean: cur.followUpLiverSuvMean, followUpLiverSuvSd: cur.followUpLiverSuvSd,
        selectionNote: `Amendment of revision ${cur.revision}: ${v.reason}`, amendsId: cur.id, revision: cur.revision + 1, createdBy: actor.userId,
      },
      patientIdOf: (r) => r.patientId,
    });
  },

  async get(ctx: RequestContext, globalId: string) {
    ctx.authorize("patient:read");
    const id = idOf(globalId, "ResponseAssessment");
    if (!id) return null;
    const [row] = await ctx.db.select().from(responseAssessment).where(and(eq(responseAssessment.id, id), eq(responseAssessment.siteId, ctx.requireActor().siteId)));
    if (!row) {
      ctx.recordOutOfScope("ResponseAssessment", id, "ResponseAssessment.access");
      return null;
    }
    ctx.recordRead("ResponseAssessment", row.id, row.patientId);
    return row;
  },

  /** For `node(id:)`: the row in the caller's site (read audited) or null. */
  async byId(ctx: RequestContext, id: string) {
    ctx.authorize("patient:read");
    const [row] = await ctx.db.select().from(responseAssessment).where(and(eq(responseAssessment.id, id), eq(responseAssessment.siteId, ctx.requireActor().siteId)));
    if (row) ctx.recordRead("ResponseAssessment", row.id, row.patientId);
    return row ?? null;
  },

  async forPatient(ctx: RequestContext, patientId: string) {
    ctx.authorize("patient:read");
    const rows = await ctx.db
      .select()
      .from(responseAssessment)
      .where(and(eq(responseAssessment.patientId, patientId), eq(responseAssessment.siteId, ctx.requireActor().siteId)))
      .orderBy(desc(responseAssessment.createdAt));
    for (const r of rows) ctx.recordRead("ResponseAssessment", r.id, r.patientId);
    return rows;
  },

  /** Drafts of the site (physician home: awaiting signature), oldest first. */
  async awaitingSignature(ctx: RequestContext) {
    ctx.authorize("patient:read");
    const rows = await ctx.db
      .select()
      .from(responseAssessment)
      .where(and(eq(responseAssessment.siteId, ctx.requireActor().siteId), eq(responseAssessment.status, "DRAFT")))
      .orderBy(asc(responseAssessment.createdAt))
      .limit(200);
    for (const r of rows) ctx.recordRead("ResponseAssessment", r.id, r.patientId);
    return rows;
  },

  view,

  async amendedBy(ctx: RequestContext, row: ResponseAssessmentRow) {
    const [r] = await ctx.db.select().from(responseAssessment).where(and(eq(responseAssessment.amendsId, row.id), eq(responseAssessment.siteId, row.siteId)));
    return r ?? null;
  },

  async amends(ctx: RequestContext, row: ResponseAssessmentRow) {
    if (!row.amendsId) return null;
    const [r] = await ctx.db.select().from(responseAssessment).where(and(eq(responseAssessment.id, row.amendsId), eq(responseAssessment.siteId, row.siteId)));
    return r ?? null;
  },

  async userName(ctx: RequestContext, userId: string | null) {
    if (!userId) return null;
    const [u] = await ctx.db.select({ n: appUser.displayName }).from(appUser).where(eq(appUser.id, userId));
    return u?.n ?? null;
  },

  /** Lesion dose vs response: dosimetry module's lesion doses joined with this lesion table. */
  async lesionDoses(ctx: RequestContext, row: ResponseAssessmentRow): Promise<LesionDoseResponseRow[]> {
    const vw = await view(ctx, row);
    const doses = await lesionDosesForPatient(ctx, row.patientId);
    return joinLesionDoses(vw.lesionTable, doses, (id) => toGlobalId("Lesion", id));
  },

  /**
   * Waterfall of BEST response across the site's patients: per patient and criterion, the most
   * negative relative change over their assessments (signed preferred: drafts only when the patient
   * has no signed one), with the category of the assessment that gave it.
   */
  async waterfall(ctx: RequestContext, criterion: Criterion | null | undefined) {
    ctx.authorize("patient:read");
    const siteId = ctx.requireActor().siteId;
    const rows = await ctx.db.select().from(responseAssessment).where(eq(responseAssessment.siteId, siteId)).orderBy(asc(responseAssessment.createdAt));
    const byPatient = new Map<string, ResponseAssessmentRow[]>();
    for (const r of rows) byPatient.set(r.patientId, [...(byPatient.get(r.patientId) ?? []), r]);
    const superseded = new Set(rows.map((r) => r.amendsId).filter((x): x is string => !!x));
    const pats = byPatient.size ? await ctx.db.select().from(patient).where(and(eq(patient.siteId, siteId), inArray(patient.id, [...byPatient.keys()]))) : [];
    const bars = [];
    for (const p of pats) {
      const all = (byPatient.get(p.id) ?? []).filter((r) => !superseded.has(r.id));
      const signed = all.filter((r) => r.status === "SIGNED");
      const use = signed.length ? signed : all;
      ctx.recordRead("Patient", p.id, p.id);
      const views = await Promise.all(use.map((r) => view(ctx, r)));
      for (const c of criterion ? [criterion] : CRITERIA) {
        const cand = views.flatMap((vw) => {
          const res = vw.results.find((x) => x.criterion === c);
          return res?.metric && res.metric.change !== null ? [{ vw, res, change: res.metric.change }] : [];
        });
        const best = bestRelativeChange(cand.map((x) => x.change));
        const hit = cand.find((x) => x.change === best);
        if (!hit) continue;
        bars.push({
          patient: p, criterion: c, metricLabel: hit.res.metric!.label, bestChange: best!, category: hit.res.category,
          concludedCategory: hit.vw.row.conclusionCriterion === c ? hit.vw.row.conclusionCategory : null,
          signed: hit.vw.row.status === "SIGNED", assessment: hit.vw.row,
        });
      }
    }
    return bars;
  },

  /** CSV of the lesion table (authorised, site-scoped, audited as an export). */
  async csv(ctx: RequestContext, globalId: string): Promise<{ filename: string; body: string } | null> {
    ctx.authorize("patient:read");
    const row = await ResponseService.get(ctx, globalId);
    if (!row) return null;
    const vw = await view(ctx, row);
    ctx.recordRead("ResponseAssessmentExport", row.id, row.patientId);
    return { filename: `lesion-table-r${row.revision}.csv`, body: lesionTableCsv(vw.lesionTable) };
  },

  loadPatientData,
};
