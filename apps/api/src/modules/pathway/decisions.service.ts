import { and, asc, desc, eq, gte, isNull, lt } from "drizzle-orm";
import { z } from "zod";
import {
  bodyWeight,
  careEvent,
  cycleDecision,
  labResult,
  patient,
  therapyCourse,
  therapyCycle,
  type CycleDecisionRow,
  type DbOrTx,
  type LabResultRow,
  type PatientRow,
  type TherapyCourseRow,
  type TherapyCycleRow,
  type Tx,
} from "@lutetia/db";
import {
  cockcroftGaultCrClMLPerMin,
  creatinineUmolPerLToMgPerDL,
  gradeCanonicalLab,
  recommendGoNoGo,
  type CtcaeResult,
  type GoNoGoInput,
  type GoNoGoResult,
  type ToxicityCategory,
} from "@lutetia/protocols";
import type { RequestContext } from "../../graphql/context";
import { appendAudit } from "../../audit/audit.service";
import { notFound, UserInputProblem } from "../../shared/errors";
import { idOf } from "../../shared/ids";
import { loadInScope } from "../../shared/records";
import { parseInput } from "../../shared/validation";
import { reason } from "../../shared/zod";
import { ACTIVITY_LIMITS_MBQ } from "../therapy/therapy.policy";
import { LAB_REFERENCE_LIMITS as REF, PRE_CYCLE_LAB_MAX_AGE_DAYS } from "./pathway.policy";
import { decisionsOfCycle } from "./pathway.repo";
import type { GoNoGoRecommendationOut, GoNoGoReportOut, LabGradeOut } from "./pathway.types";

const DAY = 86_400_000;
type Analyte = LabResultRow["analyte"];

/** Latest non-voided result per analyte sampled in [since, until). */
export async function latestLabs(db: DbOrTx, siteId: string, patientId: string, since: Date | null, until: Date | null = null): Promise<Map<Analyte, LabResultRow>> {
  const where = [eq(labResult.siteId, siteId), eq(labResult.patientId, patientId), isNull(labResult.voidedAt)];
  if (since) where.push(gte(labResult.sampledAt, since));
  if (until) where.push(lt(labResult.sampledAt, until));
  const rows = await db.select().from(labResult).where(and(...where)).orderBy(desc(labResult.sampledAt));
  const out = new Map<Analyte, LabResultRow>();
  for (const r of rows) if (!out.has(r.analyte)) out.set(r.analyte, r);
  return out;
}

/** Age in whole years at `at`. */
export function ageYears(birthDate: string, at: Date): number {
  const b = new Date(`${birthDate}T00:00:00Z`);
  let age = at.getUTCFullYear() - b.getUTCFullYear();
  const m = at.getUTCMonth() - b.getUTCMonth();
  if (m < 0 || (m === 0 && at.getUTCDate() < b.getUTCDate())) age--;
  return age;
}

/** Cockcroft–Gault CrCl from a creatinine result (µmol/L) with the patient's age, latest weight and sex; null when not computable. */
export async function cockcroftGault(db: DbOrTx, p: PatientRow, creatinine: LabResultRow | undefined): Promise<{ value: number; weightKg: number } | null> {
  if (!creatinine || (p.sex !== "FEMALE" && p.sex !== "MALE")) return null;
  const [w] = await db.select().from(bodyWeight).where(and(eq(bodyWeight.patientId, p.id), isNull(bodyWeight.voidedAt))).orderBy(desc(bodyWeight.measuredAt)).limit(1);
  if (!w) return null;
  try {
    const value = cockcroftGaultCrClMLPerMin({ ageYears: ageYears(p.birthDate, creatinine.sampledAt), weightKg: w.weightKg, serumCreatinineMgPerDL: creatinineUmolPerLToMgPerDL(creatinine.value), sex: p.sex === "FEMALE" ? "F" : "M" });
    return { value, weightKg: w.weightKg };
  } catch {
    return null;
  }
}

/** CTCAE v5.0 grade of one stored result (canonical units) with the reference limit used (@lutetia/protocols). */
function grade(r: LabResultRow, baselineCreatinine?: number): { res: CtcaeResult; limit: number } | null {
  const g = gradeCanonicalLab(r.analyte, r.value, { baselineCreatinine });
  return g ? { res: g.result, limit: g.limit } : null;
}

function shape(r: GoNoGoResult): GoNoGoRecommendationOut {
  return {
    action: r.action,
    recommendedActivityGBq: r.recommendedActivityGBq,
    recommendedActivityMBq: r.recommendedActivityGBq === null ? null : Math.round(r.recommendedActivityGBq * 1000),
    triggers: r.triggers,
    resumeWhen: r.resumeWhen,
    reasons: r.reasons.map((x) => ({ rule: x.rule, message: x.message, value: x.value === null ? null : String(x.value), source: x.source })),
    advisory: r.advisory,
  };
}

async function evaluate(db: DbOrTx, ctx: RequestContext, cycle: TherapyCycleRow, now = new Date()): Promise<GoNoGoReportOut> {
  const actor = ctx.requireActor();
  const [course] = await db.select().from(therapyCourse).where(eq(therapyCourse.id, cycle.courseId));
  const [p] = await db.select().from(patient).where(eq(patient.id, cycle.patientId));
  if (!course || !p) throw new Error("cycle without course or patient");
  const cycles = await db.select().from(therapyCycle).where(eq(therapyCycle.courseId, course.id)).orderBy(asc(therapyCycle.number));
  const prevAdmin = cycles.filter((c) => c.number < cycle.number && c.status === "ADMINISTERED" && c.infusionStart).at(-1)?.infusionStart ?? null;
  const firstAdmin = cycles.find((c) => c.status === "ADMINISTERED" && c.infusionStart)?.infusionStart ?? null;
  const maxAge = new Date(now.getTime() - PRE_CYCLE_LAB_MAX_AGE_DAYS * DAY);
  const since = prevAdmin && prevAdmin > maxAge ? prevAdmin : maxAge;
  const labs = await latestLabs(db, actor.siteId, p.id, since);
  const baseline = firstAdmin ? await latestLabs(db, actor.siteId, p.id, null, firstAdmin) : new Map<Analyte, LabResultRow>();
  const baseCreat = baseline.get("CREATININE")?.value;
  const grades: LabGradeOut[] = [];
  for (const r of labs.values()) {
    const g = grade(r, baseCreat);
    if (!g) continue;
    grades.push({ analyte: r.analyte, term: g.res.term, grade: g.res.grade, rule: g.res.rule, value: r.value, unit: r.unit, referenceLimit: g.limit, referenceSource: REF.source, sampledAt: r.sampledAt, labResult: r, source: g.res.source });
  }
  const count = (a: Analyte, lln: number) => (labs.get(a) ? { value: labs.get(a)!.value, lln } : null);
  const crcl = labs.get("CREATININE_CLEARANCE")?.value ?? (await cockcroftGault(db, p, labs.get("CREATININE")))?.value ?? null;
  const baseCrcl = baseline.get("CREATININE_CLEARANCE")?.value ?? (await cockcroftGault(db, p, baseline.get("CREATININE")))?.value ?? null;
  const creat = labs.get("CREATININE");
  const bili = labs.get("BILIRUBIN");
  const alb = labs.get("ALBUMIN");
  const decisions = await db.select().from(cycleDecision).where(eq(cycleDecision.courseId, course.id)).orderBy(asc(cycleDecision.decidedAt));
  const latestPerCycle = new Map<number, CycleDecisionRow>();
  const numberOf = new Map(cycles.map((c) => [c.id, c.number] as const));
  for (const d of decisions) latestPerCycle.set(numberOf.get(d.cycleId) ?? 0, d);
  const [ev] = await db.select().from(careEvent).where(and(eq(careEvent.cycleId, cycle.id), eq(careEvent.kind, "CYCLE")));
  const due = ev ? ev.originalDueAt : new Date(`${cycle.plannedDate}T00:00:00Z`);
  const current = ev ? (ev.bookedAt ?? ev.dueAt) : due;
  const delayDays = Math.max(0, Math.floor(((now > current ? now : current).getTime() - due.getTime()) / DAY));
  const plannedActivityMBq = course.plannedActivityMBq;
  const input: GoNoGoInput = {
    cycleNumber: cycle.number,
    plannedActivityGBq: Math.min(15, plannedActivityMBq / 1000),
    labs: {
      platelets: count("PLATELETS", REF.PLATELETS.lln!),
      neutrophils: count("NEUTROPHILS", REF.NEUTROPHILS.lln!),
      haemoglobin: count("HAEMOGLOBIN", REF.HAEMOGLOBIN.lln!),
      lymphocytes: count("LYMPHOCYTES", REF.LYMPHOCYTES.lln!),
      creatinineClearanceMLPerMin: crcl,
      baselineCreatinineClearanceMLPerMin: baseCrcl,
      serumCreatinine: creat && baseCreat !== undefined && baseCreat > 0 ? { value: creat.value, baseline: baseCreat } : null,
      bilirubin: bili ? { value: bili.value, uln: REF.BILIRUBIN.uln! } : null,
      albuminGPerDL: alb ? alb.value / 10 : null,
      inr: null,
    },
    toxicities: [],
    previousDecisions: [...latestPerCycle.entries()]
      .filter(([n]) => n <= cycle.number)
      .map(([n, d]) => ({ cycleNumber: n, action: d.action, triggers: (((d.recommendation as { recommendation?: { triggers?: string[] } }).recommendation?.triggers ?? []) as ToxicityCategory[]) })),
    delayDays,
  };
  const missing: string[] = [];
  if (!input.labs.platelets) missing.push("platelets");
  if (!input.labs.neutrophils) missing.push("neutrophils");
  if (!input.labs.haemoglobin) missing.push("haemoglobin");
  if (crcl === null && !input.labs.serumCreatinine) missing.push("renal function (creatinine clearance, or creatinine with weight, age and sex)");
  if (!bili) missing.push("bilirubin");
  if (alb && alb.value / 10 < 3.0) missing.push("INR (not recorded in Lutetia; albumin below 3.0 g/dL)");
  const result = recommendGoNoGo(input);
  const decs = await decisionsOfCycle(db, actor.siteId, cycle.id);
  return { cycle, asOf: now, plannedActivityMBq, delayDays, labsSince: since, grades, missing, recommendation: shape(result), latestDecision: decs[0] ?? null };
}

const DecisionIn = z.object({
  cycleId: z.string(),
  action: z.enum(["GO", "DELAY", "REDUCE", "STOP"]),
  activityMBq: z.number().nullish(),
  reason,
});

export const DecisionService = {
  /** CTCAE grades of the latest labs + recommendGoNoGo for a cycle (advisory). */
  async goNoGo(ctx: RequestContext, cycleGlobalId: string): Promise<GoNoGoReportOut> {
    const actor = ctx.authorize("patient:read");
    const id = idOf(cycleGlobalId, "TherapyCycle");
    const [cycle] = id ? await ctx.db.select().from(therapyCycle).where(and(eq(therapyCycle.id, id), eq(therapyCycle.siteId, actor.siteId))) : [];
    if (!cycle) {
      if (id) ctx.recordOutOfScope("TherapyCycle", id, "cycle.go_no_go");
      throw notFound("TherapyCycle");
    }
    ctx.recordRead("TherapyCycle", cycle.id, cycle.patientId);
    const report = await evaluate(ctx.db, ctx, cycle);
    for (const g of report.grades) ctx.recordRead("LabResult", g.labResult.id, g.labResult.patientId);
    return report;
  },

  /**
   * The physician's decision (GO / DELAY / REDUCE / STOP) with reason, stored with the
   * recommendation it was made against; supersedes the previous decision of the cycle.
   * GO: activity defaults to the planned activity; REDUCE: activity required and below planned;
   * DELAY/STOP: no activity.
   */
  async record(ctx: RequestContext, input: unknown): Promise<CycleDecisionRow> {
    const actor = ctx.authorize("decision:write");
    const v = parseInput(DecisionIn, input);
    const cycle = await loadInScope(ctx, therapyCycle, "TherapyCycle", v.cycleId, ["input", "cycleId"]);
    if (cycle.status === "ADMINISTERED" || cycle.status === "CANCELLED") throw UserInputProblem.of(["input", "cycleId"], `cycle ${cycle.number} is ${cycle.status}; no decision can be recorded`);
    const [course] = await ctx.db.select().from(therapyCourse).where(eq(therapyCourse.id, cycle.courseId));
    const planned = (course as TherapyCourseRow).plannedActivityMBq;
    const L = ACTIVITY_LIMITS_MBQ.THERAPY;
    let activity: number | null = null;
    if (v.action === "GO") activity = v.activityMBq ?? planned;
    if (v.action === "REDUCE") {
      if (v.activityMBq === null || v.activityMBq === undefined) throw UserInputProblem.of(["input", "activityMBq"], "is required for REDUCE (the reduced activity, MBq)");
      if (v.activityMBq >= planned) throw UserInputProblem.of(["input", "activityMBq"], `must be below the planned ${planned} MBq for REDUCE (got ${v.activityMBq})`);
      activity = v.activityMBq;
    }
    if ((v.action === "DELAY" || v.action === "STOP") && v.activityMBq !== null && v.activityMBq !== undefined) {
      throw UserInputProblem.of(["input", "activityMBq"], `must be empty for ${v.action} (got ${v.activityMBq})`);
    }
    if (activity !== null && (activity < L.min || activity > L.max)) throw UserInputProblem.of(["input", "activityMBq"], `must be a therapeutic activity between ${L.min} and ${L.max} MBq (got ${activity})`);
    const report = await evaluate(ctx.db, ctx, cycle);
    return ctx.db.transaction(async (tx) => {
      const [prev] = await decisionsOfCycle(tx, actor.siteId, cycle.id);
      const [row] = await tx
        .insert(cycleDecision)
        .values({
          siteId: actor.siteId, patientId: cycle.patientId, courseId: cycle.courseId, cycleId: cycle.id, action: v.action, activityMBq: activity, reason: v.reason,
          recommendation: {
            recommendation: report.recommendation, delayDays: report.delayDays, labsSince: report.labsSince.toISOString(), missing: report.missing,
            grades: report.grades.map((g) => ({ analyte: g.analyte, grade: g.grade, value: g.value, unit: g.unit, sampledAt: g.sampledAt.toISOString(), labResultId: g.labResult.id })),
          },
          recommendedAction: report.recommendation.action, supersedesId: prev?.id ?? null, decidedBy: actor.userId,
        })
        .returning();
      await appendAudit(tx, [ctx.writeEntry("cycle.decision", "CycleDecision", row!.id, cycle.patientId, { action: v.action, recommended: report.recommendation.action, cycleId: cycle.id, supersedes: prev?.id ?? null })]);
      return row!;
    });
  },

  /**
   * The administration gate (called inside cycleRecordAdministration's transaction): the cycle's
   * latest decision must be GO or REDUCE (net activity within +10 % of a REDUCE activity; EANM
   * ±10 % tolerance, prrt-protocols.md §1), or an override reason is given — then an override GO
   * decision is stored and audited (`cycle.go_override`).
   * @throws UserInputProblem NO_GO_DECISION on `input.id`.
   */
  async gate(tx: Tx, ctx: RequestContext, cycle: TherapyCycleRow, args: { netMBq: number; overrideReason?: string | null }): Promise<{ override: boolean }> {
    const actor = ctx.requireActor();
    const [latest] = await decisionsOfCycle(tx, actor.siteId, cycle.id);
    if (latest && (latest.action === "GO" || latest.action === "REDUCE")) {
      if (latest.action === "REDUCE" && latest.activityMBq !== null && args.netMBq > latest.activityMBq * 1.1) {
        throw UserInputProblem.of(["input", "calibratedActivityMBq"], `net administered activity ${Math.round(args.netMBq)} MBq exceeds the REDUCE decision of ${latest.activityMBq} MBq (+10 % tolerance)`, "INVALID");
      }
      return { override: false };
    }
    const why = args.overrideReason?.trim();
    if (!why) {
      throw UserInputProblem.of(
        ["input", "id"],
        latest
          ? `cycle ${cycle.number}'s latest go/no-go decision is ${latest.action}: record GO or REDUCE (cycleRecordDecision) or give goOverrideReason`
          : `cycle ${cycle.number} has no go/no-go decision: a physician must record GO or REDUCE (cycleRecordDecision) or give goOverrideReason`,
        "NO_GO_DECISION",
      );
    }
    if (why.length > 500) throw UserInputProblem.of(["input", "goOverrideReason"], `must be at most 500 characters (got ${why.length})`);
    const [row] = await tx
      .insert(cycleDecision)
      .values({
        siteId: actor.siteId, patientId: cycle.patientId, courseId: cycle.courseId, cycleId: cycle.id, action: "GO", activityMBq: args.netMBq, reason: why,
        recommendation: { override: true, previousDecision: latest?.action ?? null }, recommendedAction: null, override: true, supersedesId: latest?.id ?? null, decidedBy: actor.userId,
      })
      .returning();
    await appendAudit(tx, [ctx.writeEntry("cycle.go_override", "CycleDecision", row!.id, cycle.patientId, { cycleId: cycle.id, previousDecision: latest?.action ?? null })]);
    return { override: true };
  },
};

