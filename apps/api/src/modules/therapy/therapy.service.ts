import { and, asc, count, eq, gte, inArray, lte, ne, type SQL } from "drizzle-orm";
import { z } from "zod";
import {
  careEvent,
  patient,
  radiopharmaceutical,
  therapyCourse,
  therapyCycle,
  type TherapyCourseRow,
  type TherapyCycleRow,
  type PatientRow,
  type Tx,
} from "@lutetia/db";
import { netAdministeredActivity } from "@lutetia/quantification";
import type { RequestContext } from "../../graphql/context";
import { appendAudit, type AuditEntry } from "../../audit/audit.service";
import { UserInputProblem } from "../../shared/errors";
import { idOf } from "../../shared/ids";
import { decodeCursor, loadInScope, pageSize, toConnection } from "../../shared/records";
import { parseInput } from "../../shared/validation";
import { changeRecord, updateVersioned } from "../../shared/versioned";
import { isoDate, nonEmpty, pastInstant, version } from "../../shared/zod";
import { ACTIVITY_LIMITS_MBQ, CYCLE_LIMITS } from "./therapy.policy";
import { DecisionService } from "../pathway/decisions.service";
import { localDateTime, ScheduleService } from "../pathway/schedule.service";
import { localDate, siteOf } from "../pathway/pathway.repo";

const T = ACTIVITY_LIMITS_MBQ.THERAPY;
const therapyActivity = z
  .number()
  .min(T.min, `must be a therapeutic activity between ${T.min} and ${T.max} MBq`)
  .max(T.max, `must be a therapeutic activity between ${T.min} and ${T.max} MBq`);

const intervalDays = z.number().int("must be an integer").min(CYCLE_LIMITS.minIntervalDays, `must be ${CYCLE_LIMITS.minIntervalDays}–${CYCLE_LIMITS.maxIntervalDays} days`).max(CYCLE_LIMITS.maxIntervalDays, `must be ${CYCLE_LIMITS.minIntervalDays}–${CYCLE_LIMITS.maxIntervalDays} days`);
const CourseCreate = z
  .object({
    patientId: z.string(),
    radiopharmaceuticalId: z.string(),
    intent: z.enum(["STANDARD", "DOSIMETRY_GUIDED", "RETREATMENT", "CLINICAL_TRIAL"]),
    plannedCycles: z.number().int("must be an integer").min(CYCLE_LIMITS.minCycles, `must be ${CYCLE_LIMITS.minCycles}–${CYCLE_LIMITS.maxCycles}`).max(CYCLE_LIMITS.maxCycles, `must be ${CYCLE_LIMITS.minCycles}–${CYCLE_LIMITS.maxCycles}`).nullish(),
    plannedActivityMBq: therapyActivity.nullish(),
    intervalDays: intervalDays.nullish(),
    firstCycleDate: isoDate.nullish(),
    /** Care pathway: plan cycles and care events from a protocol template version. */
    protocolTemplateId: z.string().nullish(),
    firstAdministrationAt: localDateTime.nullish(),
  })
  .superRefine((v, c) => {
    const required = (path: string, why: string) => c.addIssue({ code: "custom", path: [path], message: `is required ${why}` });
    if (v.protocolTemplateId) {
      if (!v.firstAdministrationAt) required("firstAdministrationAt", "with protocolTemplateId");
      if (v.firstCycleDate) c.addIssue({ code: "custom", path: ["firstCycleDate"], message: "is not used with protocolTemplateId (give firstAdministrationAt)" });
    } else {
      for (const f of ["plannedCycles", "plannedActivityMBq", "intervalDays", "firstCycleDate"] as const) if (v[f] === null || v[f] === undefined) required(f, "without protocolTemplateId");
    }
  });

const CourseUpdate = z.object({
  id: z.string(),
  version,
  status: z.enum(["PLANNED", "ACTIVE", "COMPLETED", "STOPPED"]).nullish(),
  plannedActivityMBq: therapyActivity.nullish(),
  stopReason: z.string().trim().max(500).nullish(),
});

const CycleUpdate = z.object({
  id: z.string(),
  version,
  plannedDate: isoDate.nullish(),
  status: z.enum(["PLANNED", "READY", "DELAYED", "CANCELLED"], { message: "must be PLANNED, READY, DELAYED or CANCELLED (record an administration to set ADMINISTERED)" }).nullish(),
  notes: z.string().max(2000).nullish(),
});

const Administration = z
  .object({
    id: z.string(),
    version,
    calibratedActivityMBq: therapyActivity,
    calibrationTime: z.date(),
    residualActivityMBq: z.number().min(0, "must be ≥ 0 MBq"),
    residualTime: pastInstant,
    infusionStart: pastInstant,
    infusionEnd: pastInstant,
    aminoAcidInfusion: z.boolean(),
    lastLongActingSsaDate: isoDate.nullish(),
    lot: nonEmpty(100),
    notes: z.string().max(2000).nullish(),
    goOverrideReason: z.string().trim().max(500, "must be at most 500 characters").nullish(),
  })
  .superRefine((v, ctx) => {
    if (v.residualActivityMBq >= v.calibratedActivityMBq) {
      ctx.addIssue({ code: "custom", path: ["residualActivityMBq"], message: `must be less than calibratedActivityMBq ${v.calibratedActivityMBq}` });
    }
    if (v.infusionEnd < v.infusionStart) {
      ctx.addIssue({ code: "custom", path: ["infusionEnd"], message: `must not be before infusionStart ${v.infusionStart.toISOString()}` });
    }
    if (v.residualTime < v.infusionStart) {
      ctx.addIssue({ code: "custom", path: ["residualTime"], message: `must not be before infusionStart ${v.infusionStart.toISOString()}` });
    }
  });

/**
 * The patient's pathway status follows the treatment (changes kept in record history):
 * a first administration moves REFERRED / IN_WORKUP to ON_TREATMENT; completing the last
 * active course moves ON_TREATMENT to FOLLOW_UP. CLOSED and manual states are never overridden.
 */
async function advancePatientStatus(tx: Tx, actor: { userId: string; siteId: string }, patientId: string, completedCourseId: string | null, cycleNumber: number) {
  const [p] = await tx.select({ status: patient.status, version: patient.version }).from(patient).where(eq(patient.id, patientId));
  if (!p) return;
  let next: PatientRow["status"] | null = null;
  if (p.status === "REFERRED" || p.status === "IN_WORKUP") next = "ON_TREATMENT";
  if (completedCourseId && (next ?? p.status) === "ON_TREATMENT") {
    const [other] = await tx
      .select({ n: count() })
      .from(therapyCourse)
      .where(and(eq(therapyCourse.patientId, patientId), eq(therapyCourse.status, "ACTIVE"), ne(therapyCourse.id, completedCourseId)));
    if ((other?.n ?? 0) === 0) next = "FOLLOW_UP";
  }
  if (!next || next === p.status) return;
  await updateVersioned(tx, patient, "Patient", {
    id: patientId, siteId: actor.siteId, expectedVersion: p.version, patch: { status: next }, actorUserId: actor.userId,
    reason: next === "FOLLOW_UP" ? `course completed with cycle ${cycleNumber}` : `cycle ${cycleNumber} administered`,
  });
}

const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const PENDING = ["PLANNED", "READY", "DELAYED"] as const;

export const TherapyService = {
  /**
   * Creates a course and plans its cycles every intervalDays from firstCycleDate (or from a
   * protocol template). `opts.linked` runs inside the same transaction (e.g. the tumour board's
   * decision → course link), so the course and what it was started from land together or not at all.
   */
  async createCourse(ctx: RequestContext, input: unknown, opts: { linked?: (tx: Tx, course: TherapyCourseRow) => Promise<AuditEntry[]> } = {}) {
    const actor = ctx.authorize("course:write");
    const v = parseInput(CourseCreate, input);
    const p = await loadInScope(ctx, patient, "Patient", v.patientId, ["input", "patientId"]);
    const rpId = idOf(v.radiopharmaceuticalId, "Radiopharmaceutical");
    const rp = rpId ? await ctx.loaders.radiopharmaceutical.load(rpId) : null;
    if (!rp) throw UserInputProblem.of(["input", "radiopharmaceuticalId"], "Radiopharmaceutical not found", "NOT_FOUND");
    if (rp.use !== "THERAPY" || !rp.active) {
      throw UserInputProblem.of(["input", "radiopharmaceuticalId"], `must be an active therapy agent (got ${rp.name}, use ${rp.use})`);
    }
    if (p.status === "CLOSED") throw UserInputProblem.of(["input", "patientId"], "patient record is closed");
    if (v.protocolTemplateId && v.firstAdministrationAt) {
      const plan = await ScheduleService.prepareCoursePlan(ctx, {
        templateId: v.protocolTemplateId, firstAdministrationAt: v.firstAdministrationAt, plannedCycles: v.plannedCycles,
        plannedActivityMBq: v.plannedActivityMBq, intervalDays: v.intervalDays, nuclide: rp.nuclide,
      });
      return ctx.db.transaction(async (tx) => {
        const [course] = await tx
          .insert(therapyCourse)
          .values({
            siteId: actor.siteId, patientId: p.id, radiopharmaceuticalId: rp.id, intent: v.intent, plannedCycles: plan.cycles,
            plannedActivityMBq: plan.activityMBq, intervalDays: plan.intervalDays, protocolTemplateId: plan.templateRowId,
            protocolSnapshot: plan.template as unknown as Record<string, unknown>,
          })
          .returning();
        const { cycles, events } = await ScheduleService.insertCoursePlan(tx, ctx, course!, plan);
        await appendAudit(tx, [
          ctx.writeEntry("course.create", "TherapyCourse", course!.id, p.id, { plannedCycles: plan.cycles, template: `${plan.template.id}@${plan.template.version}`, careEvents: events }),
          ...cycles.map((c) => ctx.writeEntry("cycle.plan", "TherapyCycle", c.id, p.id)),
          ...(opts.linked ? await opts.linked(tx, course!) : []),
        ]);
        return course!;
      });
    }
    const plannedCycles = v.plannedCycles as number;
    const plannedActivityMBq = v.plannedActivityMBq as number;
    const interval = v.intervalDays as number;
    const firstCycleDate = v.firstCycleDate as string;
    return ctx.db.transaction(async (tx) => {
      const [course] = await tx
        .insert(therapyCourse)
        .values({
          siteId: actor.siteId, patientId: p.id, radiopharmaceuticalId: rp.id, intent: v.intent, plannedCycles,
          plannedActivityMBq, intervalDays: interval,
        })
        .returning();
      const cycles = await tx
        .insert(therapyCycle)
        .values(
          Array.from({ length: plannedCycles }, (_, k) => ({
            siteId: actor.siteId, patientId: p.id, courseId: course!.id, number: k + 1,
            plannedDate: addDays(firstCycleDate, k * interval),
          })),
        )
        .returning({ id: therapyCycle.id });
      await appendAudit(tx, [
        ctx.writeEntry("course.create", "TherapyCourse", course!.id, p.id, { plannedCycles }),
        ...cycles.map((c) => ctx.writeEntry("cycle.plan", "TherapyCycle", c.id, p.id)),
        ...(opts.linked ? await opts.linked(tx, course!) : []),
      ]);
      return course!;
    });
  },

  /** `opts.linked` runs in the update's transaction (e.g. the tumour-board decision applied). */
  async updateCourse(ctx: RequestContext, input: unknown, opts: { linked?: (tx: Tx, course: TherapyCourseRow) => Promise<AuditEntry[]> } = {}) {
    ctx.authorize("course:write");
    const v = parseInput(CourseUpdate, input);
    const patch: Partial<TherapyCourseRow> = {};
    if (v.status) patch.status = v.status;
    if (v.plannedActivityMBq) patch.plannedActivityMBq = v.plannedActivityMBq;
    if (v.stopReason) patch.stopReason = v.stopReason;
    if (v.status === "STOPPED" && !v.stopReason) throw UserInputProblem.of(["input", "stopReason"], "is required when stopping a course");
    const ending = v.status === "STOPPED" || v.status === "COMPLETED";
    if (ending) patch.endedOn = new Date().toISOString().slice(0, 10);
    return changeRecord(ctx, {
      table: therapyCourse, type: "TherapyCourse", action: "course.update", globalId: v.id, version: v.version, patch,
      // An ended course leaves nothing pending: its open cycles and their open care events are
      // cancelled in the same transaction (with history and audit), so they leave cyclesDue,
      // the worklist and the calendar. Administered cycles and done events are untouched.
      after: async (tx, course) => [
        ...(ending ? await closeOpenSchedule(tx, ctx, course, `course ${v.status === "STOPPED" ? "stopped" : "completed"}${v.stopReason ? `: ${v.stopReason}` : ""}`) : []),
        ...(opts.linked ? await opts.linked(tx, course) : []),
      ],
    });
  },

  async updateCycle(ctx: RequestContext, input: unknown) {
    ctx.authorize("cycle:schedule");
    const v = parseInput(CycleUpdate, input);
    const patch: Partial<TherapyCycleRow> = {};
    if (v.plannedDate) patch.plannedDate = v.plannedDate;
    if (v.status) patch.status = v.status;
    if (v.notes !== undefined && v.notes !== null) patch.notes = v.notes;
    if (v.plannedDate) {
      // Care pathway: a template-planned cycle moves with its care events (cycleReschedule).
      const cid = idOf(v.id, "TherapyCycle");
      const [planned] = cid
        ? await ctx.db.select({ t: therapyCourse.protocolTemplateId }).from(therapyCycle).innerJoin(therapyCourse, eq(therapyCourse.id, therapyCycle.courseId)).where(and(eq(therapyCycle.id, cid), eq(therapyCycle.siteId, ctx.requireActor().siteId)))
        : [];
      if (planned?.t) throw UserInputProblem.of(["input", "plannedDate"], "the course is planned from a protocol template: move the cycle with cycleReschedule so its care events move and the constraints are re-checked");
    }
    return changeRecord(ctx, {
      table: therapyCycle, type: "TherapyCycle", action: "cycle.update", globalId: v.id, version: v.version, patch,
      check: (cur) => {
        if (cur.status === "ADMINISTERED") throw UserInputProblem.of(["input", "id"], "an administered cycle cannot be rescheduled or re-statused");
      },
    });
  },

  /**
   * Records an administration. Net activity = calibrated activity decay-corrected to infusion
   * start minus residual decay-corrected back to infusion start (reference/radionuclides.md §3),
   * computed by @lutetia/quantification with the agent's half-life.
   */
  async recordAdministration(ctx: RequestContext, input: unknown) {
    const actor = ctx.authorize("cycle:administer");
    const v = parseInput(Administration, input);
    const id = idOf(v.id, "TherapyCycle");
    if (!id) throw UserInputProblem.of(["input", "id"], "TherapyCycle not found", "NOT_FOUND");
    return ctx.db
      .transaction(async (tx) => {
        const [row] = await tx
          .select({ cycle: therapyCycle, course: therapyCourse, halfLifeS: radiopharmaceutical.halfLifeS })
          .from(therapyCycle)
          .innerJoin(therapyCourse, eq(therapyCourse.id, therapyCycle.courseId))
          .innerJoin(radiopharmaceutical, eq(radiopharmaceutical.id, therapyCourse.radiopharmaceuticalId))
          .where(and(eq(therapyCycle.id, id), eq(therapyCycle.siteId, actor.siteId)));
        if (!row) throw UserInputProblem.of(["input", "id"], "TherapyCycle not found", "NOT_FOUND");
        if (row.cycle.status === "ADMINISTERED" || row.cycle.status === "CANCELLED") {
          throw UserInputProblem.of(["input", "id"], `cycle ${row.cycle.number} is ${row.cycle.status}; correct it through a new record, not by re-administering`);
        }
        let net;
        try {
          net = netAdministeredActivity({
            calibratedMBq: v.calibratedActivityMBq, calibrationTime: v.calibrationTime, residualMBq: v.residualActivityMBq,
            residualTime: v.residualTime, administrationTime: v.infusionStart, halfLifeS: row.halfLifeS,
          });
        } catch (e) {
          throw UserInputProblem.of(["input", "residualActivityMBq"], (e as Error).message);
        }
        const cycle = await updateVersioned(tx, therapyCycle, "TherapyCycle", {
          id, siteId: actor.siteId, expectedVersion: v.version, actorUserId: actor.userId,
          patch: {
            status: "ADMINISTERED", calibratedActivityMBq: v.calibratedActivityMBq, calibrationTime: v.calibrationTime,
            residualActivityMBq: v.residualActivityMBq, residualTime: v.residualTime, infusionStart: v.infusionStart,
            infusionEnd: v.infusionEnd, netActivityMBq: net.netMBq, aminoAcidInfusion: v.aminoAcidInfusion,
            lastLongActingSsaDate: v.lastLongActingSsaDate ?? null, lot: v.lot, notes: v.notes ?? null, administeredBy: actor.userId,
          },
        });
        // Care pathway gate (after the version check; a refusal rolls the whole transaction back):
        // a GO / REDUCE decision, or an override reason that is stored and audited.
        const gate = await DecisionService.gate(tx, ctx, row.cycle, { netMBq: net.netMBq, overrideReason: v.goOverrideReason });
        const [pending] = await tx
          .select({ n: count() })
          .from(therapyCycle)
          .where(and(eq(therapyCycle.courseId, row.course.id), inArray(therapyCycle.status, [...PENDING])));
        const coursePatch: Partial<TherapyCourseRow> = {};
        if (row.course.status === "PLANNED") coursePatch.status = "ACTIVE";
        if (!row.course.startedOn) coursePatch.startedOn = v.infusionStart.toISOString().slice(0, 10);
        if ((pending?.n ?? 0) === 0) {
          coursePatch.status = "COMPLETED";
          coursePatch.endedOn = v.infusionStart.toISOString().slice(0, 10);
        }
        if (Object.keys(coursePatch).length) {
          await updateVersioned(tx, therapyCourse, "TherapyCourse", {
            id: row.course.id, siteId: actor.siteId, expectedVersion: row.course.version, patch: coursePatch, actorUserId: actor.userId,
            reason: `cycle ${row.cycle.number} administered`,
          });
        }
        await advancePatientStatus(tx, actor, row.cycle.patientId, coursePatch.status === "COMPLETED" ? row.course.id : null, row.cycle.number);
        await ScheduleService.markAdministered(tx, ctx, cycle, v.infusionStart);
        await appendAudit(tx, [
          ctx.writeEntry("cycle.administer", "TherapyCycle", id, row.cycle.patientId, { netActivityMBq: Math.round(net.netMBq * 10) / 10, version: cycle.version, goOverride: gate.override }),
        ]);
        return cycle;
      })
      .catch((e) => {
        if (e instanceof UserInputProblem) {
          if (e.errors[0]?.code === "NOT_FOUND") ctx.recordOutOfScope("TherapyCycle", id, "cycle.administer");
          throw new UserInputProblem(e.errors.map((x) => ({ ...x, field: x.field[0] === "input" ? x.field : ["input", ...x.field] })));
        }
        throw e;
      });
  },

  /** The site's pending cycles planned in [from, to] (default: today .. today + 7 days). */
  async cyclesDue(
    ctx: RequestContext,
    args: { first?: number | null; after?: string | null; filter?: { from?: string | null; to?: string | null; status?: TherapyCycleRow["status"][] | null } | null },
  ) {
    const actor = ctx.authorize("patient:read");
    const first = pageSize(args.first);
    const offset = decodeCursor(args.after);
    // "Today" is the site's calendar day (a site east or west of UTC sees its own week).
    const today = localDate(new Date(), (await siteOf(ctx.db, actor.siteId)).timeZone);
    const from = args.filter?.from ?? today;
    const to = args.filter?.to ?? addDays(today, 7);
    if (from > to) throw UserInputProblem.of(["filter", "to"], `must not be before from ${from} (got ${to})`);
    const where: SQL[] = [
      eq(therapyCycle.siteId, actor.siteId),
      gte(therapyCycle.plannedDate, from),
      lte(therapyCycle.plannedDate, to),
      inArray(therapyCycle.status, args.filter?.status?.length ? args.filter.status : [...PENDING]),
    ];
    const [rows, [total]] = await Promise.all([
      ctx.db.select().from(therapyCycle).where(and(...where)).orderBy(asc(therapyCycle.plannedDate), asc(therapyCycle.id)).offset(offset).limit(first + 1),
      ctx.db.select({ n: count() }).from(therapyCycle).where(and(...where)),
    ]);
    for (const r of rows.slice(0, first)) ctx.recordRead("TherapyCycle", r.id, r.patientId);
    return toConnection(rows, offset, first, total?.n ?? 0);
  },
};

/** Cancels a course's open cycles (PLANNED/READY/DELAYED) and open care events (PLANNED/BOOKED). */
async function closeOpenSchedule(tx: Tx, ctx: RequestContext, course: TherapyCourseRow, reason: string) {
  const actor = ctx.requireActor();
  const entries = [];
  const cycles = await tx
    .select({ id: therapyCycle.id, version: therapyCycle.version })
    .from(therapyCycle)
    .where(and(eq(therapyCycle.courseId, course.id), inArray(therapyCycle.status, ["PLANNED", "READY", "DELAYED"])));
  for (const c of cycles) {
    await updateVersioned(tx, therapyCycle, "TherapyCycle", { id: c.id, siteId: actor.siteId, expectedVersion: c.version, patch: { status: "CANCELLED" }, actorUserId: actor.userId, reason });
    entries.push(ctx.writeEntry("cycle.cancel", "TherapyCycle", c.id, course.patientId, { reason: "course ended" }));
  }
  const events = await tx
    .select({ id: careEvent.id, version: careEvent.version })
    .from(careEvent)
    .where(and(eq(careEvent.courseId, course.id), inArray(careEvent.status, ["PLANNED", "BOOKED"])));
  for (const e of events) {
    await updateVersioned(tx, careEvent, "CareEvent", { id: e.id, siteId: actor.siteId, expectedVersion: e.version, patch: { status: "CANCELLED", statusReason: reason }, actorUserId: actor.userId, reason });
    entries.push(ctx.writeEntry("care_event.cancel", "CareEvent", e.id, course.patientId, { reason: "course ended" }));
  }
  return entries;
}
