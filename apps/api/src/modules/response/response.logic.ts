/**
 * Pure parts of the response-assessment module (no I/O): study suggestion and comparability
 * checks, lesion matching across time points, RECIST target-selection checks, assembling the
 * inputs of the @lutetia/quantification response criteria (all maths there), lesion-dose join,
 * CSV. Every threshold used here is a named policy with its source.
 */
import {
  assessEortc,
  assessPercist,
  assessRecist,
  assessSstrPet,
  assessSwogKwekkeboom,
  cumulativeAbsorbedDoseGy,
  DISCORDANCE_DEFAULT_POLICY,
  detectDiscordance,
  netpetGrade,
  PERCIST_DEFAULT_POLICY,
  RECIST_1_1_DEFAULT_POLICY,
  relativeChange,
  totalLesionGlycolysis,
  validateRecistBaseline,
  type PairedLesion,
  type RecistNewLesion,
  type RecistTargetLesion,
  type RecistTargetMeasurement,
  type RecistTimePoint,
  type ResponseReason,
  type SstrPetLesion,
} from "@lutetia/quantification";
import { FDG_POSITIVE_SUVMAX } from "../pathway/pathway.policy";
import { csvField } from "../../shared/exports";

export type TracerKind = "FDG" | "SSTR" | "OTHER" | "NONE";

export interface StudyInfo {
  id: string;
  performedAt: Date;
  injectedAt: Date | null;
  modality: "PET" | "SPECT" | "CT" | "MRI";
  purpose: string;
  tracerName: string | null;
  tracerKind: TracerKind;
}

export interface LesionInfo {
  id: string;
  label: string;
  organ: string;
  firstSeenOn: string;
}

export interface MeasurementInfo {
  lesionId: string;
  studyId: string;
  longAxisMm: number | null;
  shortAxisMm: number | null;
  suvMax: number | null;
  suvPeak: number | null;
  suvMean: number | null;
  mtvMl: number | null;
  tlg: number | null;
  krenningScore: number | null;
  isTarget: boolean;
  provenance: Record<string, unknown> | null;
}

export interface CycleInfo {
  courseId: string;
  number: number;
  status: string;
  /** Infusion start when administered, else the planned date. */
  at: Date;
}

export interface LiverReference {
  suvMean: number;
  suvSd: number;
  /** "quantification" (liver VOI of the study) or "entered" (by the physician on the assessment). */
  source: string;
}

export const CRITERIA = ["RECIST_1_1", "PERCIST_1_0", "EORTC", "SWOG", "SSTR_PET", "NETPET"] as const;
export type Criterion = (typeof CRITERIA)[number];

/** Categories a physician may choose per criterion (confirm / override). */
export const CATEGORIES: Record<Criterion, readonly string[]> = {
  RECIST_1_1: ["CR", "PR", "SD", "PD", "NON_CR_NON_PD", "NE"],
  PERCIST_1_0: ["CMR", "PMR", "SMD", "PMD", "NE"],
  EORTC: ["CMR", "PMR", "SMD", "PMD", "NE"],
  SWOG: ["CR", "PR", "MR", "SD", "PD", "NE"],
  SSTR_PET: ["DECREASE", "STABLE", "INCREASE", "MIXED", "NE"],
  NETPET: ["P0", "P1", "P2", "P3", "P4a", "P4b", "P5", "NE"],
};

export const CRITERION_LABEL: Record<Criterion, string> = {
  RECIST_1_1: "RECIST 1.1",
  PERCIST_1_0: "PERCIST 1.0",
  EORTC: "EORTC 1999",
  SWOG: "SWOG / Kwekkeboom",
  SSTR_PET: "SSTR-PET (Krenning / SUV / T-L)",
  NETPET: "NETPET",
};

/** PERCIST quality gate: uptake times must differ by < 15 min (response-criteria.md §4.1). */
export const MAX_UPTAKE_DIFFERENCE_MIN = PERCIST_DEFAULT_POLICY.maxUptakeTimeDifferenceMin;

// ---------------------------------------------------------------------------------------------
// Study suggestion and comparability

const DAY = 86_400_000;
const dateOf = (d: Date) => d.toISOString().slice(0, 10);
export const studyLabel = (s: StudyInfo) => `${s.modality}${s.tracerName ? ` ${s.tracerName}` : ""} of ${dateOf(s.performedAt)}`;
const uptakeMin = (s: StudyInfo) => (s.injectedAt ? (s.performedAt.getTime() - s.injectedAt.getTime()) / 60_000 : null);

export interface Warning {
  code: string;
  message: string;
}

/**
 * Comparable-study checks shown as warnings (never silently accepted): same modality, same
 * tracer, uptake-time difference < 15 min when both are known (PERCIST quality gate,
 * response-criteria.md §4.1), post-therapy scans (dosimetry SPECT) are not response scans,
 * baseline after the first cycle.
 */
export function comparability(b: StudyInfo, f: StudyInfo, firstCycleAt: Date | null): Warning[] {
  const w: Warning[] = [];
  if (b.modality !== f.modality) w.push({ code: "MODALITY_DIFFERS", message: `modality differs: baseline ${b.modality}, follow-up ${f.modality}` });
  if ((b.tracerName ?? "") !== (f.tracerName ?? "")) {
    w.push({ code: "TRACER_DIFFERS", message: `tracer differs: baseline ${b.tracerName ?? "none"}, follow-up ${f.tracerName ?? "none"}` });
  }
  const ub = uptakeMin(b);
  const uf = uptakeMin(f);
  if (ub !== null && uf !== null && Math.abs(ub - uf) >= MAX_UPTAKE_DIFFERENCE_MIN) {
    w.push({
      code: "UPTAKE_TIME_DIFFERS",
      message: `uptake times differ by ${Math.round(Math.abs(ub - uf))} min (baseline ${Math.round(ub)} min, follow-up ${Math.round(uf)} min; PERCIST requires < ${MAX_UPTAKE_DIFFERENCE_MIN} min)`,
    });
  } else if (b.modality === "PET" && f.modality === "PET" && (ub === null || uf === null)) {
    w.push({ code: "UPTAKE_TIME_UNKNOWN", message: `uptake time unknown at ${ub === null ? "baseline" : "follow-up"} (injection time not recorded)` });
  }
  for (const [name, s] of [["baseline", b], ["follow-up", f]] as const) {
    if (s.purpose === "POST_THERAPY") w.push({ code: "POST_THERAPY_SCAN", message: `${name} is a post-therapy scan (dosimetry imaging), not a response scan` });
  }
  if (firstCycleAt && b.performedAt.getTime() > firstCycleAt.getTime()) {
    w.push({ code: "BASELINE_AFTER_FIRST_CYCLE", message: `baseline (${dateOf(b.performedAt)}) is after the first cycle of the course (${dateOf(firstCycleAt)})` });
  }
  return w;
}

export interface Suggestion {
  baseline: StudyInfo | null;
  followUp: StudyInfo | null;
  explanation: string[];
  warnings: Warning[];
  firstCycleAt: Date | null;
}

/**
 * The first administered cycle of the current course: the latest course with an administered
 * cycle (retreatment = a new course), its earliest administration.
 */
export function currentCourseStart(cycles: readonly CycleInfo[]): Date | null {
  const administered = cycles.filter((c) => c.status === "ADMINISTERED");
  if (!administered.length) return null;
  const firstByCourse = new Map<string, Date>();
  for (const c of administered) {
    const cur = firstByCourse.get(c.courseId);
    if (!cur || c.at < cur) firstByCourse.set(c.courseId, c.at);
  }
  return [...firstByCourse.values()].sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
}

/**
 * Suggests the studies to compare: baseline = last measured study (not a post-therapy scan)
 * before the first cycle of the current course; follow-up = latest measured study of the same
 * modality and tracer after it. Without an administered cycle: baseline = earliest measured
 * study, follow-up = latest comparable one. Explains the choice.
 */
export function suggestStudies(studies: readonly StudyInfo[], measuredStudyIds: ReadonlySet<string>, cycles: readonly CycleInfo[]): Suggestion {
  const usable = studies
    .filter((s) => measuredStudyIds.has(s.id) && s.purpose !== "POST_THERAPY")
    .sort((a, b) => a.performedAt.getTime() - b.performedAt.getTime());
  const firstCycleAt = currentCourseStart(cycles);
  const explanation: string[] = [];
  let baseline: StudyInfo | null;
  if (firstCycleAt) {
    const before = usable.filter((s) => s.performedAt < firstCycleAt);
    baseline = before[before.length - 1] ?? null;
    explanation.push(
      baseline
        ? `Baseline: ${studyLabel(baseline)}, the last study with lesion measurements before the first cycle of the current course (${dateOf(firstCycleAt)}).`
        : `No study with lesion measurements before the first cycle of the current course (${dateOf(firstCycleAt)}).`,
    );
  } else {
    baseline = usable[0] ?? null;
    explanation.push(
      baseline
        ? `No administered cycle yet: baseline is the earliest study with lesion measurements (${studyLabel(baseline)}).`
        : "No study with lesion measurements.",
    );
  }
  let followUp: StudyInfo | null = null;
  if (baseline) {
    const b = baseline;
    const after = usable.filter((s) => s.performedAt > b.performedAt && (!firstCycleAt || s.performedAt > firstCycleAt));
    const same = after.filter((s) => s.modality === b.modality && (s.tracerName ?? "") === (b.tracerName ?? ""));
    followUp = same[same.length - 1] ?? null;
    if (followUp) {
      explanation.push(`Follow-up: ${studyLabel(followUp)}, the latest study of the same modality and tracer after ${firstCycleAt ? "the first cycle" : "the baseline"}.`);
    } else if (after.length) {
      followUp = after[after.length - 1]!;
      explanation.push(`No later ${b.modality}${b.tracerName ? ` ${b.tracerName}` : ""} study: the latest measured study (${studyLabel(followUp)}) is proposed — check comparability.`);
    } else {
      explanation.push("No measured study after the baseline yet: a follow-up cannot be suggested.");
    }
  }
  return { baseline, followUp, explanation, warnings: baseline && followUp ? comparability(baseline, followUp, firstCycleAt) : [], firstCycleAt };
}

// ---------------------------------------------------------------------------------------------
// Lesion table

export type LesionStatus = "MATCHED" | "NEW" | "DISAPPEARED" | "BASELINE_ONLY";

export interface LesionValues {
  longAxisMm: number | null;
  shortAxisMm: number | null;
  suvMax: number | null;
  suvPeak: number | null;
  mtvMl: number | null;
  tlg: number | null;
  krenningScore: number | null;
}

export interface LesionRowOut {
  lesionId: string;
  label: string;
  organ: string;
  nodal: boolean;
  isTarget: boolean;
  status: LesionStatus;
  baseline: LesionValues | null;
  followUp: LesionValues | null;
  /** Relative changes (fractions): diameter = short axis for nodes, long axis otherwise. */
  change: { diameter: number | null; suvMax: number | null; suvPeak: number | null; mtv: number | null };
}

/** RECIST 1.1 counts lymph nodes by short axis (response-criteria.md §1.1); organ names it. */
export const isNodal = (organ: string) => /lymph|node|nodal/i.test(organ);

/**
 * A follow-up measurement recording the lesion as gone: long axis 0 mm or MTV 0 mL (RECIST
 * "disappeared → 0 mm", response-criteria.md §1.2 edge case 3). A lesion simply not measured at
 * follow-up is BASELINE_ONLY (not evaluated), never assumed gone.
 */
export const isZero = (m: LesionValues) => m.longAxisMm === 0 || m.mtvMl === 0;

const values = (m: MeasurementInfo): LesionValues => ({
  longAxisMm: m.longAxisMm, shortAxisMm: m.shortAxisMm, suvMax: m.suvMax, suvPeak: m.suvPeak, mtvMl: m.mtvMl, tlg: m.tlg, krenningScore: m.krenningScore,
});

export function lesionTable(lesions: readonly LesionInfo[], measurements: readonly MeasurementInfo[], baselineId: string, followUpId: string, targetIds: readonly string[]): LesionRowOut[] {
  const at = (lesionId: string, studyId: string) => measurements.find((m) => m.lesionId === lesionId && m.studyId === studyId);
  const rows: LesionRowOut[] = [];
  for (const l of lesions) {
    const b = at(l.id, baselineId);
    const f = at(l.id, followUpId);
    if (!b && !f) continue;
    const bv = b ? values(b) : null;
    const fv = f ? values(f) : null;
    const status: LesionStatus = bv && fv ? (isZero(fv) ? "DISAPPEARED" : "MATCHED") : bv ? "BASELINE_ONLY" : "NEW";
    const nodal = isNodal(l.organ);
    const diam = (v: LesionValues | null) => (v ? (nodal ? v.shortAxisMm : v.longAxisMm) : null);
    rows.push({
      lesionId: l.id, label: l.label, organ: l.organ, nodal, isTarget: targetIds.includes(l.id), status, baseline: bv, followUp: fv,
      change: {
        diameter: relativeChange(diam(bv), diam(fv)),
        suvMax: relativeChange(bv?.suvMax, fv?.suvMax),
        suvPeak: relativeChange(bv?.suvPeak, fv?.suvPeak),
        mtv: relativeChange(bv?.mtvMl, fv?.mtvMl),
      },
    });
  }
  const order: Record<LesionStatus, number> = { MATCHED: 0, DISAPPEARED: 1, BASELINE_ONLY: 2, NEW: 3 };
  return rows.sort((a, b) => Number(b.isTarget) - Number(a.isTarget) || order[a.status] - order[b.status] || a.label.localeCompare(b.label, undefined, { numeric: true }));
}

// ---------------------------------------------------------------------------------------------
// RECIST target selection

export interface TargetProblem {
  message: string;
}

/**
 * Checks a RECIST 1.1 target selection with validateRecistBaseline (≤ 5 in total, ≤ 2 per organ,
 * nodes as one organ, measured and measurable at baseline — response-criteria.md §1.1). Returns
 * the problems (empty = valid), each naming the lesions by label and the values.
 */
export function checkTargets(targetIds: readonly string[], lesions: readonly LesionInfo[], measurements: readonly MeasurementInfo[], baselineId: string): TargetProblem[] {
  const byId = new Map(lesions.map((l) => [l.id, l]));
  const problems: TargetProblem[] = [];
  const seen = new Set<string>();
  for (const id of targetIds) {
    if (seen.has(id)) problems.push({ message: `lists ${byId.get(id)?.label ?? id} twice` });
    seen.add(id);
  }
  if (problems.length) return problems;
  const targets: RecistTargetLesion[] = targetIds.map((id) => {
    const l = byId.get(id)!;
    return { lesionId: l.label, organ: l.organ.trim().toLowerCase(), nodal: isNodal(l.organ) };
  });
  const base: RecistTargetMeasurement[] = targetIds.flatMap((id) => {
    const m = measurements.find((x) => x.lesionId === id && x.studyId === baselineId);
    return m ? [{ lesionId: byId.get(id)!.label, longAxisMm: m.longAxisMm, shortAxisMm: m.shortAxisMm }] : [];
  });
  const v = validateRecistBaseline(targets, base);
  return v.issues.map((i) => ({ message: i.message }));
}

/**
 * Default target selection when an assessment is created: the lesions flagged as targets on
 * their baseline measurement, largest first, keeping the RECIST 1.1 limits (5, 2 per organ;
 * response-criteria.md §1.1) and only measurable ones (non-nodal LD ≥ 10 mm, node SA ≥ 15 mm).
 */
export function defaultTargets(lesions: readonly LesionInfo[], measurements: readonly MeasurementInfo[], baselineId: string): string[] {
  const p = RECIST_1_1_DEFAULT_POLICY;
  const cands = lesions
    .map((l) => ({ l, m: measurements.find((x) => x.lesionId === l.id && x.studyId === baselineId) }))
    .filter((x) => x.m?.isTarget)
    .map((x) => ({ ...x, d: (isNodal(x.l.organ) ? x.m!.shortAxisMm : x.m!.longAxisMm) ?? null }))
    .filter((x) => x.d !== null && x.d >= (isNodal(x.l.organ) ? p.minMeasurableNodeShortAxisMm : p.minMeasurableLongAxisMm))
    .sort((a, b) => (b.d ?? 0) - (a.d ?? 0));
  const perOrgan = new Map<string, number>();
  const out: string[] = [];
  for (const c of cands) {
    const organ = isNodal(c.l.organ) ? "lymph node" : c.l.organ.trim().toLowerCase();
    if (out.length >= p.maxTargets || (perOrgan.get(organ) ?? 0) >= p.maxTargetsPerOrgan) continue;
    perOrgan.set(organ, (perOrgan.get(organ) ?? 0) + 1);
    out.push(c.l.id);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Criteria

export interface Reason {
  code: string;
  message: string;
  rule: string | null;
}

export interface CriterionResult {
  criterion: Criterion;
  label: string;
  /** Category, or "NE" when the criterion cannot be evaluated. */
  category: string;
  evaluable: boolean;
  ruleSet: string;
  reasons: Reason[];
  /** The waterfall measure of this criterion: what it is and its relative change (fraction). */
  metric: { label: string; change: number | null } | null;
}

export interface AssessmentInputs {
  baseline: StudyInfo;
  followUp: StudyInfo;
  /** Comparable studies strictly between baseline and follow-up (RECIST nadir), chronological. */
  intermediate: StudyInfo[];
  lesions: LesionInfo[];
  measurements: MeasurementInfo[];
  targetIds: string[];
  nonTargetResponse: "CR" | "NON_CR_NON_PD" | "PD" | "NE" | null;
  nonTargetPdReason: string | null;
  liver: { baseline: LiverReference | null; followUp: LiverReference | null };
  /** Administered cycles between the two scans (EORTC's cycle-dependent PMR threshold). */
  cyclesGiven: number;
  /** FDG PET nearest to the follow-up SSTR PET (NETPET), with its measurements' study id. */
  fdgStudy: StudyInfo | null;
}

const toReason = (r: ResponseReason): Reason => ({ code: r.code, message: r.message, rule: r.rule ?? null });
const ne = (criterion: Criterion, message: string, code = "NOT_EVALUABLE"): CriterionResult => ({
  criterion, label: CRITERION_LABEL[criterion], category: "NE", evaluable: false, ruleSet: CRITERION_LABEL[criterion],
  reasons: [{ code, message, rule: null }], metric: null,
});
const errMsg = (e: unknown) => (e instanceof Error ? e.message : String(e));

function recist(x: AssessmentInputs, label: (id: string) => string): CriterionResult {
  const C: Criterion = "RECIST_1_1";
  if (x.targetIds.length === 0) return ne(C, "no RECIST target lesions selected (select up to 5, at most 2 per organ)");
  const at = (lesionId: string, studyId: string) => x.measurements.find((m) => m.lesionId === lesionId && m.studyId === studyId);
  const targets = x.targetIds.map((id) => {
    const l = x.lesions.find((y) => y.id === id)!;
    return { lesionId: l.label, organ: l.organ.trim().toLowerCase(), nodal: isNodal(l.organ) };
  });
  for (const id of x.targetIds) {
    const m = at(id, x.baseline.id);
    const nodal = isNodal(x.lesions.find((l) => l.id === id)!.organ);
    if (!m || (nodal ? m.shortAxisMm : m.longAxisMm) === null) {
      return ne(C, `target ${label(id)} has no ${nodal ? "short" : "long"} axis at baseline`);
    }
  }
  const baselineIds = new Set(x.measurements.filter((m) => m.studyId === x.baseline.id).map((m) => m.lesionId));
  const tp = (s: StudyInfo, isFinal: boolean): RecistTimePoint => ({
    timePointId: studyLabel(s),
    date: s.performedAt.toISOString(),
    targets: x.targetIds.flatMap((id) => {
      const m = at(id, s.id);
      if (!m) return [];
      const zero = isZero(values(m));
      return [{ lesionId: label(id), state: zero ? ("disappeared" as const) : ("measured" as const), longAxisMm: m.longAxisMm, shortAxisMm: m.shortAxisMm }];
    }),
    nonTarget: isFinal ? (x.nonTargetResponse ?? (nonTargets(x).length ? "NE" : "NONE")) : "NE",
    nonTargetPdReason: isFinal ? (x.nonTargetPdReason ?? undefined) : undefined,
    newLesions: x.measurements
      .filter((m) => m.studyId === s.id && !baselineIds.has(m.lesionId) && !isZero(values(m)))
      .map((m): RecistNewLesion => ({
        lesionId: label(m.lesionId),
        modality: s.modality === "CT" ? "CT" : s.modality === "MRI" ? "MRI" : s.modality === "PET" && s.tracerKind === "FDG" ? "FDG_PET" : "OTHER",
        unequivocal: true,
        baselineFdgPet: x.baseline.modality === "PET" && x.baseline.tracerKind === "FDG" ? "negative" : "not_done",
        anatomicallyConfirmed: m.longAxisMm !== null && m.longAxisMm > 0,
      })),
  });
  const baseTp: RecistTimePoint = {
    timePointId: studyLabel(x.baseline), date: x.baseline.performedAt.toISOString(),
    targets: x.targetIds.map((id) => ({ lesionId: label(id), longAxisMm: at(id, x.baseline.id)!.longAxisMm, shortAxisMm: at(id, x.baseline.id)!.shortAxisMm })),
    nonTarget: "NONE", newLesions: [],
  };
  try {
    const r = assessRecist({ targets, baseline: baseTp, followUps: [...x.intermediate.map((s) => tp(s, false)), tp(x.followUp, true)] });
    const last = r.timePoints[r.timePoints.length - 1]!;
    const reasons = [
      ...r.baselineValidation.issues.map(toReason),
      ...(x.intermediate.length ? [{ code: "NADIR_TIME_POINTS", message: `nadir from baseline and ${x.intermediate.length} intermediate study(ies): ${x.intermediate.map(studyLabel).join(", ")}; nadir SoD ${last.nadirSodMm} mm`, rule: "response-criteria.md §1.2 (nadir)" }] : []),
      ...last.reasons.map(toReason),
    ];
    return {
      criterion: C, label: CRITERION_LABEL[C], category: last.category, evaluable: last.category !== "NE", ruleSet: last.ruleSet, reasons,
      metric: { label: "Δ sum of diameters vs baseline", change: last.target.changeFromBaseline },
    };
  } catch (e) {
    return ne(C, errMsg(e));
  }
}

/** Lesions measured at baseline that are not RECIST targets. */
const nonTargets = (x: AssessmentInputs) => x.measurements.filter((m) => m.studyId === x.baseline.id && !x.targetIds.includes(m.lesionId));

function needPet(x: AssessmentInputs, C: Criterion, kind: TracerKind | null): CriterionResult | null {
  for (const [name, s] of [["baseline", x.baseline], ["follow-up", x.followUp]] as const) {
    if (s.modality !== "PET") return ne(C, `${CRITERION_LABEL[C]} needs PET at both time points; ${name} is ${s.modality}`);
    if (kind && s.tracerKind !== kind) return ne(C, `${CRITERION_LABEL[C]} needs ${kind === "FDG" ? "FDG" : "SSTR"} PET; ${name} tracer is ${s.tracerName ?? "not recorded"}`);
  }
  return null;
}

function percist(x: AssessmentInputs, label: (id: string) => string): CriterionResult {
  const C: Criterion = "PERCIST_1_0";
  const gate = needPet(x, C, null);
  if (gate) return gate;
  for (const [name, ref] of [["baseline", x.liver.baseline], ["follow-up", x.liver.followUp]] as const) {
    if (!ref) return ne(C, `no liver reference at ${name} (no liver VOI from the quantification and none entered)`, "NO_LIVER_REFERENCE");
  }
  for (const [name, s] of [["baseline", x.baseline], ["follow-up", x.followUp]] as const) {
    if (!s.injectedAt) return ne(C, `uptake time unknown at ${name} (injection time not recorded)`, "NO_UPTAKE_TIME");
  }
  const lesionsAt = (studyId: string) =>
    x.measurements.filter((m) => m.studyId === studyId && m.suvPeak !== null && !isZero(values(m))).map((m) => ({ lesionId: label(m.lesionId), sulPeak: m.suvPeak! }));
  const bl = lesionsAt(x.baseline.id);
  if (!bl.length) return ne(C, "no SUVpeak measured at baseline");
  const baselineIds = new Set(x.measurements.filter((m) => m.studyId === x.baseline.id).map((m) => m.lesionId));
  const newLesions = x.measurements.some((m) => m.studyId === x.followUp.id && !baselineIds.has(m.lesionId) && !isZero(values(m)));
  const tlg = (studyId: string) => totalLesionGlycolysis(x.measurements.filter((m) => m.studyId === studyId).map((m) => m.tlg)) ?? undefined;
  const tracer = (s: StudyInfo) => (s.tracerKind === "FDG" ? "FDG" : s.tracerKind === "SSTR" ? "SSTR" : "OTHER") as "FDG" | "SSTR" | "OTHER";
  try {
    const r = assessPercist(
      { tracer: tracer(x.baseline), uptakeTimeMin: uptakeMin(x.baseline)!, liver: { sulMean: x.liver.baseline!.suvMean, sulSd: x.liver.baseline!.suvSd }, lesions: bl, newLesions: false, tlg: tlg(x.baseline.id) },
      { tracer: tracer(x.followUp), uptakeTimeMin: uptakeMin(x.followUp)!, liver: { sulMean: x.liver.followUp!.suvMean, sulSd: x.liver.followUp!.suvSd }, lesions: lesionsAt(x.followUp.id), newLesions, tlg: tlg(x.followUp.id) },
    );
    const reasons = [
      ...r.reasons.map(toReason),
      { code: "SUV_AS_STORED", message: `SULpeak taken from the stored SUVpeak of each lesion and liver SUVmean/SD (${x.liver.baseline!.source} at baseline, ${x.liver.followUp!.source} at follow-up); PERCIST is defined on SUL (lean body mass)`, rule: "response-criteria.md §4.2" },
    ];
    return { criterion: C, label: CRITERION_LABEL[C], category: r.category, evaluable: r.category !== "NE", ruleSet: r.ruleSet, reasons, metric: { label: "Δ SULpeak (hottest lesion)", change: r.relativeChange } };
  } catch (e) {
    return ne(C, errMsg(e));
  }
}

function eortc(x: AssessmentInputs, label: (id: string) => string): CriterionResult {
  const C: Criterion = "EORTC";
  const gate = needPet(x, C, null);
  if (gate) return gate;
  const base = x.measurements.filter((m) => m.studyId === x.baseline.id && m.suvMax !== null && m.suvMax > 0);
  if (!base.length) return ne(C, "no SUVmax measured at baseline");
  // The lesion region defined at baseline: the hottest baseline lesion (response-criteria.md §5).
  const hot = base.reduce((a, b) => (b.suvMax! > a.suvMax! ? b : a));
  const f = x.measurements.find((m) => m.studyId === x.followUp.id && m.lesionId === hot.lesionId);
  if (!f) return ne(C, `the hottest baseline lesion ${label(hot.lesionId)} is not measured at follow-up`);
  const gone = isZero(values(f));
  if (!gone && f.suvMax === null) return ne(C, `${label(hot.lesionId)} has no SUVmax at follow-up`);
  const baselineIds = new Set(base.map((m) => m.lesionId));
  const follow = x.measurements.filter((m) => m.studyId === x.followUp.id);
  const newLesions = follow.some((m) => !baselineIds.has(m.lesionId) && !isZero(values(m)));
  const allGone = [...baselineIds].every((id) => follow.some((m) => m.lesionId === id && isZero(values(m))));
  try {
    const r = assessEortc({
      baselineSuv: hot.suvMax!, followUpSuv: f.suvMax ?? 0, cyclesGiven: x.cyclesGiven,
      extentIncrease: gone ? undefined : (relativeChange(hot.longAxisMm, f.longAxisMm) ?? undefined),
      newLesions, completeResolution: allGone && !newLesions, suvVariant: "SUVbw as stored",
    });
    const reasons = [
      { code: "EORTC_REGION", message: `region defined at baseline: hottest lesion ${label(hot.lesionId)} (SUVmax ${Number(hot.suvMax!.toFixed(2))}); ${x.cyclesGiven} cycle(s) given between the scans`, rule: "response-criteria.md §5" },
      ...r.reasons.map(toReason),
    ];
    return { criterion: C, label: CRITERION_LABEL[C], category: r.category, evaluable: true, ruleSet: r.ruleSet, reasons, metric: { label: "Δ SUVmax (hottest baseline lesion)", change: r.suvChange } };
  } catch (e) {
    return ne(C, errMsg(e));
  }
}

function swog(x: AssessmentInputs, label: (id: string) => string): CriterionResult {
  const C: Criterion = "SWOG";
  if (x.targetIds.length === 0) return ne(C, "no measurable (target) lesions selected");
  const at = (lesionId: string, studyId: string) => x.measurements.find((m) => m.lesionId === lesionId && m.studyId === studyId);
  const baseline = [];
  for (const id of x.targetIds) {
    const m = at(id, x.baseline.id);
    if (!m || m.longAxisMm === null || m.shortAxisMm === null) return ne(C, `target ${label(id)} needs both diameters at baseline (bidimensional product)`);
    baseline.push({ lesionId: label(id), longestDiameterMm: m.longAxisMm, perpendicularDiameterMm: m.shortAxisMm });
  }
  const current = x.targetIds.flatMap((id) => {
    const m = at(id, x.followUp.id);
    if (!m) return [];
    const zero = isZero(values(m));
    return [{ lesionId: label(id), longestDiameterMm: zero ? 0 : m.longAxisMm, perpendicularDiameterMm: zero ? 0 : m.shortAxisMm }];
  });
  const baselineIds = new Set(x.measurements.filter((m) => m.studyId === x.baseline.id).map((m) => m.lesionId));
  const newLesions = x.measurements.some((m) => m.studyId === x.followUp.id && !baselineIds.has(m.lesionId) && !isZero(values(m)));
  try {
    const r = assessSwogKwekkeboom({ baseline, current, newLesions });
    return { criterion: C, label: CRITERION_LABEL[C], category: r.category, evaluable: r.category !== "NE", ruleSet: r.ruleSet, reasons: r.reasons.map(toReason), metric: { label: "Δ sum of products vs baseline", change: r.change } };
  } catch (e) {
    return ne(C, errMsg(e));
  }
}

function sstrPet(x: AssessmentInputs, label: (id: string) => string): CriterionResult {
  const C: Criterion = "SSTR_PET";
  const gate = needPet(x, C, "SSTR");
  if (gate) return gate;
  for (const [name, ref] of [["baseline", x.liver.baseline], ["follow-up", x.liver.followUp]] as const) {
    if (!ref) return ne(C, `no liver reference at ${name} (tumour-to-liver ratio needs liver SUVmean)`, "NO_LIVER_REFERENCE");
  }
  const ids = [...new Set(x.measurements.filter((m) => m.studyId === x.baseline.id || m.studyId === x.followUp.id).map((m) => m.lesionId))];
  const krenning = (k: number | null) => (k === null ? undefined : (k as 0 | 1 | 2 | 3 | 4));
  const lesions: SstrPetLesion[] = [];
  for (const id of ids) {
    const b = x.measurements.find((m) => m.lesionId === id && m.studyId === x.baseline.id);
    const f = x.measurements.find((m) => m.lesionId === id && m.studyId === x.followUp.id);
    if (b && b.suvMax === null) return ne(C, `${label(id)} has no SUVmax at baseline`);
    if (f && f.suvMax === null && !isZero(values(f))) return ne(C, `${label(id)} has no SUVmax at follow-up`);
    lesions.push({
      lesionId: label(id),
      baseline: b ? { suvMax: b.suvMax!, liverSuvMean: x.liver.baseline!.suvMean, krenning: krenning(b.krenningScore) } : null,
      followUp: f ? { suvMax: f.suvMax ?? 0, liverSuvMean: x.liver.followUp!.suvMean, krenning: krenning(f.krenningScore) } : null,
    });
  }
  try {
    const r = assessSstrPet(lesions);
    return {
      criterion: C, label: CRITERION_LABEL[C], category: r.category, evaluable: r.category !== "NE", ruleSet: r.ruleSet, reasons: r.reasons.map(toReason),
      metric: { label: "Δ tumour-to-liver ratio (mean of lesions)", change: r.meanChange },
    };
  } catch (e) {
    return ne(C, errMsg(e));
  }
}

/** FDG-positive: reader's `fdgPositive` in the measurement provenance, else SUVmax ≥ 2.5 (pathway.policy FDG_POSITIVE_SUVMAX). */
const fdgPositive = (m: MeasurementInfo) => {
  const explicit = m.provenance?.fdgPositive;
  return typeof explicit === "boolean" ? explicit : (m.suvMax ?? 0) >= FDG_POSITIVE_SUVMAX;
};

function netpet(x: AssessmentInputs, label: (id: string) => string): CriterionResult {
  const C: Criterion = "NETPET";
  const sstr = x.followUp;
  if (sstr.modality !== "PET" || sstr.tracerKind !== "SSTR") return ne(C, `NETPET grades paired SSTR and FDG PET; the follow-up is ${studyLabel(sstr)}`);
  if (!x.fdgStudy) return ne(C, `no FDG PET within ${DISCORDANCE_DEFAULT_POLICY.maxScanIntervalDays} days of the follow-up SSTR PET`, "NO_FDG_PET");
  const fdg = x.fdgStudy;
  const s = x.measurements.filter((m) => m.studyId === sstr.id);
  const f = x.measurements.filter((m) => m.studyId === fdg.id);
  const ids = [...new Set([...s, ...f].map((m) => m.lesionId))];
  const paired: PairedLesion[] = [];
  for (const id of ids) {
    const ms = s.find((m) => m.lesionId === id);
    const mf = f.find((m) => m.lesionId === id);
    if (ms && ms.krenningScore === null) return ne(C, `${label(id)} has no Krenning score on the SSTR PET`);
    const fpos = mf ? fdgPositive(mf) : false;
    const rel = mf?.provenance?.fdgVsSstr;
    paired.push({
      lesionId: label(id), krenning: ms?.krenningScore ?? 0, fdgPositive: fpos,
      fdgVsSstr: rel === "lower" || rel === "equal" || rel === "higher" ? rel : undefined,
      diameterMm: ms?.longAxisMm ?? mf?.longAxisMm ?? undefined,
    });
  }
  try {
    const r = netpetGrade(paired);
    // FDG+/SSTR− discordance per lesion (§7.3): the lesion list, not only the grade (a single discordant lesion may be treated locally).
    const disc = detectDiscordance(paired, { sstr: sstr.performedAt.toISOString(), fdg: fdg.performedAt.toISOString() });
    return {
      criterion: C, label: CRITERION_LABEL[C], category: r.category, evaluable: true, ruleSet: r.ruleSet,
      reasons: [
        { code: "NETPET_PAIR", message: `SSTR PET ${studyLabel(sstr)} paired with FDG PET ${studyLabel(fdg)}; FDG-positive as recorded, else SUVmax ≥ ${FDG_POSITIVE_SUVMAX}; ${r.suitability}`, rule: "response-criteria.md §7.1" },
        ...r.reasons.map(toReason),
        { code: disc.category, message: disc.discordantLesionIds.length ? `FDG+/SSTR− discordant lesion(s): ${disc.discordantLesionIds.join(", ")}` : "no FDG+/SSTR− discordant lesion", rule: "response-criteria.md §7.3" },
        ...disc.reasons.map(toReason),
      ],
      metric: null,
    };
  } catch (e) {
    const m = errMsg(e);
    const idx = /lesions\[(\d+)\]\.fdgVsSstr/.exec(m);
    return ne(C, idx ? `${paired[Number(idx[1])]!.lesionId} is SSTR- and FDG-positive but FDG vs SSTR avidity is not graded (record fdgVsSstr: lower / equal / higher)` : m);
  }
}

/** Every criterion's result with its reasons (maths in @lutetia/quantification). */
export function computeResults(x: AssessmentInputs): CriterionResult[] {
  const byId = new Map(x.lesions.map((l) => [l.id, l.label]));
  const label = (id: string) => byId.get(id) ?? id;
  return [recist(x, label), percist(x, label), eortc(x, label), swog(x, label), sstrPet(x, label), netpet(x, label)];
}

// ---------------------------------------------------------------------------------------------
// Lesion dose vs response

export interface LesionDoseIn {
  lesionId: string;
  cycleId: string;
  cycleNumber: number;
  absorbedDoseGy: number;
  signed: boolean;
}

export interface LesionDoseResponseRow {
  lesionId: string;
  label: string;
  cumulativeDoseGy: number;
  cycles: { cycleNumber: number; absorbedDoseGy: number; signed: boolean }[];
  allSigned: boolean;
  suvMaxChange: number | null;
  suvPeakChange: number | null;
  mtvChange: number | null;
}

/**
 * Joins per-cycle lesion doses (dosimetry module's lesionDosesForPatient) with the lesion table:
 * one row per lesion with dosimetry that is in the table; doses summed with
 * cumulativeAbsorbedDoseGy. Dose rows may carry the internal or the global lesion id.
 */
export function joinLesionDoses(rows: readonly LesionRowOut[], doses: readonly LesionDoseIn[], globalIdOf: (lesionUuid: string) => string): LesionDoseResponseRow[] {
  const out: LesionDoseResponseRow[] = [];
  for (const r of rows) {
    const mine = doses.filter((d) => d.lesionId === r.lesionId || d.lesionId === globalIdOf(r.lesionId)).sort((a, b) => a.cycleNumber - b.cycleNumber);
    if (!mine.length) continue;
    out.push({
      lesionId: r.lesionId, label: r.label,
      cumulativeDoseGy: cumulativeAbsorbedDoseGy(mine.map((d) => d.absorbedDoseGy))!,
      cycles: mine.map((d) => ({ cycleNumber: d.cycleNumber, absorbedDoseGy: d.absorbedDoseGy, signed: d.signed })),
      allSigned: mine.every((d) => d.signed),
      suvMaxChange: r.change.suvMax, suvPeakChange: r.change.suvPeak, mtvChange: r.change.mtv,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180)


export const CSV_HEADER = [
  "lesion", "organ", "status", "recist_target",
  "baseline_long_axis_mm", "baseline_short_axis_mm", "baseline_suv_max_g_per_ml", "baseline_suv_peak_g_per_ml", "baseline_mtv_ml", "baseline_krenning_0_4",
  "follow_up_long_axis_mm", "follow_up_short_axis_mm", "follow_up_suv_max_g_per_ml", "follow_up_suv_peak_g_per_ml", "follow_up_mtv_ml", "follow_up_krenning_0_4",
  "change_diameter_percent", "change_suv_max_percent", "change_suv_peak_percent", "change_mtv_percent",
];

/** The lesion table as CSV: one header row (units in the names), CRLF line ends (RFC 4180). */
export function lesionTableCsv(rows: readonly LesionRowOut[]): string {
  const pct = (c: number | null) => (c === null ? null : c * 100);
  const v = (x: LesionValues | null) => [x?.longAxisMm, x?.shortAxisMm, x?.suvMax, x?.suvPeak, x?.mtvMl, x?.krenningScore];
  const lines = [
    CSV_HEADER.join(","),
    ...rows.map((r) =>
      [r.label, r.organ, r.status, r.isTarget ? "yes" : "no", ...v(r.baseline), ...v(r.followUp), pct(r.change.diameter), pct(r.change.suvMax), pct(r.change.suvPeak), pct(r.change.mtv)]
        .map((x) => csvField(x, 4))
        .join(","),
    ),
  ];
  return `${lines.join("\r\n")}\r\n`;
}

export const fdgWindowDays = DISCORDANCE_DEFAULT_POLICY.maxScanIntervalDays;
export const withinDays = (a: Date, b: Date, days: number) => Math.abs(a.getTime() - b.getTime()) <= days * DAY;
