import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, ne, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import {
  careEvent,
  imagingStudy,
  labResult,
  scheduleCheck,
  therapyCourse,
  therapyCycle,
  type CareEventRow,
  type TherapyCourseRow,
  type TherapyCycleRow,
  type Tx,
} from "@lutetia/db";
import {
  checkScheduleConstraints,
  generateCourseSchedule,
  rescheduleCycle,
  type Booking,
  type CourseSchedule,
  type PlannedEvent,
  type ProtocolTemplate,
} from "@lutetia/protocols";
import { Temporal } from "@js-temporal/polyfill";
import type { RequestContext } from "../../graphql/context";
import { appendAudit, type AuditEntry } from "../../audit/audit.service";
import { UserInputProblem, type UserError } from "../../shared/errors";
import { fromGlobalId, idOf } from "../../shared/ids";
import { decodeCursor, loadInScope, pageSize, toConnection } from "../../shared/records";
import { parseInput } from "../../shared/validation";
import { updateVersioned } from "../../shared/versioned";
import { instant, nonEmpty, pastInstant, reason as reasonText, version } from "../../shared/zod";
import { dosimetrySignedAtByCycle } from "../dosimetry/signed-at";
import { FULFILMENT_TYPES } from "./pathway.policy";
import {
  badArgument,
  courseEvents,
  flagsOf,
  inputProblem,
  latestChecks,
  localDate,
  patientCycles,
  patientSsaEvents,
  siteOf,
  templateOf,
  zoned,
} from "./pathway.repo";
import type { ScheduleChangeOut, StoredFlag, WorklistOut } from "./pathway.types";
import { TemplateService } from "./templates.service";

const LOCAL_DT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;
export const localDateTime = z.string().regex(LOCAL_DT, "must be a local date-time YYYY-MM-DDTHH:mm");
const KINDS = ["CYCLE", "LABS", "SSA_WASHOUT", "AMINO_ACIDS", "SSA_INJECTION", "POST_THERAPY_SCAN", "NADIR_LABS", "INTERIM_IMAGING", "RESTAGING", "FOLLOW_UP"] as const;
const MODALITIES = ["SSTR_PET", "FDG_PET", "SPECT_CT", "PLANAR", "CT", "MRI", "LAB", "OTHER"] as const;
const OPEN = ["PLANNED", "BOOKED"] as const;
type Status = CareEventRow["status"];

const Book = z.object({
  id: z.string(),
  version,
  bookedAt: instant,
  resource: z.string().trim().max(200, "must be at most 200 characters").nullish(),
  modality: z.enum(MODALITIES).nullish(),
  notes: z.string().max(2000, "must be at most 2000 characters").nullish(),
});
const Complete = z.object({ id: z.string(), version, fulfilledById: z.string().nullish(), performedAt: pastInstant.nullish(), notes: z.string().max(2000).nullish() });
const SetStatus = z.object({ id: z.string(), version, status: z.enum(["MISSED", "CANCELLED", "PLANNED"]), reason: reasonText });
const Create = z
  .object({
    courseId: z.string(),
    kind: z.enum(KINDS),
    label: nonEmpty(200),
    dueAt: instant,
    windowStart: instant.nullish(),
    windowEnd: instant.nullish(),
    cycleId: z.string().nullish(),
    modality: z.enum(MODALITIES).nullish(),
    performedAt: pastInstant.nullish(),
    notes: z.string().max(2000).nullish(),
  })
  .superRefine((v, c) => {
    if (v.kind === "CYCLE") c.addIssue({ code: "custom", path: ["kind"], message: "CYCLE events come from the course plan; add cycles through the course" });
    if (v.windowStart && v.windowStart > v.dueAt) c.addIssue({ code: "custom", path: ["windowStart"], message: `must not be after dueAt ${v.dueAt.toISOString()}` });
    if (v.windowEnd && v.windowEnd < v.dueAt) c.addIssue({ code: "custom", path: ["windowEnd"], message: `must not be before dueAt ${v.dueAt.toISOString()}` });
  });
const Reschedule = z.object({ id: z.string(), version, administrationAt: localDateTime, reason: z.string().trim().max(500).nullish() });

/** Booked time, else due time. */
export const effectiveAt = (e: Pick<CareEventRow, "bookedAt" | "dueAt" | "performedAt" | "status">): Date =>
  e.status === "DONE" ? (e.performedAt ?? e.bookedAt ?? e.dueAt) : (e.bookedAt ?? e.dueAt);

/**
 * Open and past its window end (planned) or booked time (booked). SSA_WASHOUT events are
 * deadlines ("no long-acting SSA after…"), not tasks: they are reminders until the deadline and
 * never overdue.
 */
export const isOverdue = (e: CareEventRow, now: Date): boolean =>
  e.kind !== "SSA_WASHOUT" && ((e.status === "BOOKED" && e.bookedAt !== null && e.bookedAt < now) || (e.status === "PLANNED" && (e.windowEnd ?? e.dueAt) < now));

/** A washout deadline that has passed: nothing left to do, not shown on the worklist. */
const passedDeadline = (e: CareEventRow, now: Date): boolean => e.kind === "SSA_WASHOUT" && (e.windowEnd ?? e.dueAt) < now;

/** The ISO form @lutetia/protocols produces ("2027-01-12T08:00:00Z"), so unchanged times compare equal. */
const instantIso = (d: Date) => Temporal.Instant.fromEpochMilliseconds(d.getTime()).toString();

function toPlanned(e: CareEventRow, tz: string, cycleDone: (n: number) => boolean): PlannedEvent {
  return {
    key: e.key,
    ruleKey: e.ruleKey,
    kind: e.kind,
    label: e.label,
    cycleNumber: e.cycleNumber,
    dueAt: instantIso(e.dueAt),
    dueLocal: zoned(e.dueAt, tz).toString(),
    windowStart: e.windowStart ? instantIso(e.windowStart) : null,
    windowEnd: e.windowEnd ? instantIso(e.windowEnd) : null,
    anchor: (e.anchor ?? { type: "COURSE_START", cycleNumber: null, key: null }) as PlannedEvent["anchor"],
    offset: e.offset ?? "PT0S",
    source: e.source,
    // Done and cancelled events never move (rescheduleCycle keeps `done` events where they are).
    done: e.status === "DONE" || e.status === "CANCELLED" || (e.kind === "CYCLE" && e.cycleNumber !== null && cycleDone(e.cycleNumber)),
  };
}

/**
 * Runs checkScheduleConstraints on a course (events at their effective time; long-acting SSA
 * doses from SSA_INJECTION events and recorded last-SSA dates) and stores the flags as the
 * course's latest schedule check. DOSIMETRY_NOT_SIGNED is kept only for booked or done events
 * ("a scan booked before the previous cycle's dosimetry is signed"). A cycle counts as signed
 * from the first physicist sign-off of its dosimetry record (dosimetry module, signed-at.ts).
 */
export async function checkCourse(tx: Tx, ctx: RequestContext, course: TherapyCourseRow, trigger: string): Promise<StoredFlag[]> {
  const actor = ctx.requireActor();
  const s = await siteOf(tx, actor.siteId);
  const tz = s.timeZone;
  const events = (await courseEvents(tx, actor.siteId, course.id)).filter((e) => e.status !== "CANCELLED" && e.status !== "MISSED");
  const template = course.protocolSnapshot ? (course.protocolSnapshot as unknown as ProtocolTemplate) : undefined;
  const bookings: Booking[] = events
    .filter((e) => e.kind !== "SSA_WASHOUT" && e.kind !== "SSA_INJECTION")
    .map((e) => ({ key: e.key, kind: e.kind, cycleNumber: e.cycleNumber, at: effectiveAt(e), ...(e.modality ? { modality: e.modality } : {}) }));
  const ssa = await patientSsaEvents(tx, actor.siteId, course.patientId);
  const cycles = await patientCycles(tx, actor.siteId, course.patientId);
  const ssaDoses = [
    ...ssa.map((e) => ({ at: effectiveAt(e), type: "LONG_ACTING" as const })),
    ...cycles.filter((c) => c.lastLongActingSsaDate).map((c) => ({ at: c.lastLongActingSsaDate as string, type: "LONG_ACTING" as const })),
  ];
  const raw = checkScheduleConstraints(bookings, { timeZone: tz, ...(template ? { template } : {}), ssaDoses, dosimetrySignedAt: await dosimetrySignedAtByCycle(tx, actor.siteId, course.id) });
  const byKey = new Map(events.map((e) => [e.key, e] as const));
  const flags: StoredFlag[] = raw
    .filter((f) => f.code !== "CHECK_SKIPPED" || !template)
    .filter((f) => f.code !== "DOSIMETRY_NOT_SIGNED" || f.eventKeys.every((k) => ["BOOKED", "DONE"].includes(byKey.get(k)?.status ?? "")))
    .map((f) => ({ ...f, courseId: course.id, eventIds: f.eventKeys.map((k) => byKey.get(k)?.id).filter((x): x is string => !!x) }));
  await tx.insert(scheduleCheck).values({
    siteId: actor.siteId, patientId: course.patientId, courseId: course.id, trigger, timeZone: tz,
    flags: flags as unknown as Record<string, unknown>[], checkedBy: actor.userId,
  });
  return flags;
}

export interface CoursePlan {
  templateRowId: string;
  template: ProtocolTemplate;
  schedule: CourseSchedule;
  cycles: number;
  activityMBq: number;
  intervalDays: number;
  timeZone: string;
}

/** Loads one care event of the site for update, or NOT_FOUND (audited) on `field`. */
async function eventForUpdate(tx: Tx, ctx: RequestContext, globalId: string, field: string[]): Promise<CareEventRow> {
  const actor = ctx.requireActor();
  const id = idOf(globalId, "CareEvent");
  const [row] = id ? await tx.select().from(careEvent).where(and(eq(careEvent.id, id), eq(careEvent.siteId, actor.siteId))).for("update") : [];
  if (!row) {
    if (id) ctx.recordOutOfScope("CareEvent", id, "care_event.access");
    throw UserInputProblem.of(field, `CareEvent not found (got ${JSON.stringify(globalId)})`, "NOT_FOUND");
  }
  return row;
}

/** loadInScope inside a transaction (PGlite has one connection: never query ctx.db inside tx). */
async function rowInScope<T extends typeof labResult | typeof imagingStudy | typeof therapyCycle>(tx: Tx, ctx: RequestContext, table: T, type: "LabResult" | "ImagingStudy" | "TherapyCycle", globalId: string, field: string[]): Promise<T["$inferSelect"]> {
  const actor = ctx.requireActor();
  const id = idOf(globalId, type);
  const rows = id ? ((await tx.select().from(table as typeof labResult).where(and(eq((table as typeof labResult).id, id), eq((table as typeof labResult).siteId, actor.siteId)))) as T["$inferSelect"][]) : [];
  if (!rows[0]) {
    if (id) ctx.recordOutOfScope(type, id, `${type}.access`);
    throw UserInputProblem.of(field, `${type} not found`, "NOT_FOUND");
  }
  return rows[0];
}

async function courseOf(tx: Tx, siteId: string, courseId: string): Promise<TherapyCourseRow> {
  const [c] = await tx.select().from(therapyCourse).where(and(eq(therapyCourse.id, courseId), eq(therapyCourse.siteId, siteId)));
  if (!c) throw new Error("course of a care event missing");
  return c;
}

function bookingPatch(v: z.infer<typeof Book>, cur: CareEventRow, field: string[]): Partial<CareEventRow> {
  if (cur.status !== "PLANNED" && cur.status !== "BOOKED") {
    throw UserInputProblem.of([...field, "id"], `cannot book an event that is ${cur.status} (reopen it with careEventSetStatus PLANNED first)`);
  }
  const patch: Partial<CareEventRow> = { status: "BOOKED", bookedAt: v.bookedAt };
  if (v.resource !== undefined) patch.resource = v.resource || null;
  if (v.modality !== undefined) patch.modality = v.modality ?? null;
  if (v.notes !== undefined && v.notes !== null) patch.notes = v.notes;
  return patch;
}

export const ScheduleService = {
  /**
   * Validates a course plan from a template (pure: nothing written): template in scope, nuclide
   * of the agent, cycle count, activity, interval, and the schedule from generateCourseSchedule in
   * the site's time zone (UTC instants).
   */
  async prepareCoursePlan(
    ctx: RequestContext,
    args: { templateId: string; firstAdministrationAt: string; plannedCycles?: number | null; plannedActivityMBq?: number | null; intervalDays?: number | null; nuclide: string },
  ): Promise<CoursePlan> {
    const actor = ctx.requireActor();
    const row = await TemplateService.loadTemplate(ctx, args.templateId, ["input", "protocolTemplateId"]);
    const template = templateOf(row);
    const s = await siteOf(ctx.db, actor.siteId);
    const errors: UserError[] = [];
    if (template.radiopharmaceutical.nuclide !== args.nuclide) {
      errors.push({ field: ["input", "radiopharmaceuticalId"], message: `is a ${args.nuclide} agent but template ${template.id} is for ${template.radiopharmaceutical.nuclide}`, code: "INVALID" });
    }
    const max = template.maxCycles ?? template.cycles;
    const cycles = args.plannedCycles ?? template.cycles;
    if (!Number.isInteger(cycles) || cycles < 1 || cycles > max) {
      errors.push({ field: ["input", "plannedCycles"], message: `must be 1–${max} for template ${template.id} (got ${cycles})`, code: "INVALID" });
    }
    if (args.intervalDays !== undefined && args.intervalDays !== null && args.intervalDays !== template.interval.days) {
      errors.push({ field: ["input", "intervalDays"], message: `is set by the template (${template.interval.days} ± ${template.interval.toleranceDays} days); got ${args.intervalDays}`, code: "INVALID" });
    }
    if (errors.length) throw new UserInputProblem(errors);
    let schedule: CourseSchedule;
    try {
      schedule = generateCourseSchedule(template, { startDate: args.firstAdministrationAt, timeZone: s.timeZone, cycles });
    } catch (e) {
      throw UserInputProblem.of(["input", "firstAdministrationAt"], (e as Error).message);
    }
    return {
      templateRowId: row.id, template, schedule, cycles,
      activityMBq: args.plannedActivityMBq ?? Math.round(template.activityPerCycleGBq * 1000),
      intervalDays: template.interval.days, timeZone: s.timeZone,
    };
  },

  /** Inserts the cycles and care events of a planned course and its first schedule check (caller's transaction). */
  async insertCoursePlan(tx: Tx, ctx: RequestContext, course: TherapyCourseRow, plan: CoursePlan): Promise<{ cycles: TherapyCycleRow[]; events: number }> {
    const actor = ctx.requireActor();
    const cycleEvents = plan.schedule.events.filter((e) => e.kind === "CYCLE");
    const cycles = await tx
      .insert(therapyCycle)
      .values(cycleEvents.map((e) => ({ siteId: actor.siteId, patientId: course.patientId, courseId: course.id, number: e.cycleNumber ?? 0, plannedDate: localDate(new Date(e.dueAt), plan.timeZone) })))
      .returning();
    const cycleId = new Map(cycles.map((c) => [c.number, c.id] as const));
    await tx.insert(careEvent).values(
      plan.schedule.events.map((e) => ({
        siteId: actor.siteId, patientId: course.patientId, courseId: course.id,
        cycleId: e.cycleNumber !== null ? (cycleId.get(e.cycleNumber) ?? null) : null,
        key: e.key, ruleKey: e.ruleKey, kind: e.kind, label: e.label, cycleNumber: e.cycleNumber,
        dueAt: new Date(e.dueAt), originalDueAt: new Date(e.dueAt),
        windowStart: e.windowStart ? new Date(e.windowStart) : null, windowEnd: e.windowEnd ? new Date(e.windowEnd) : null,
        offset: e.offset, anchor: e.anchor as unknown as Record<string, unknown>, source: e.source,
      })),
    );
    await checkCourse(tx, ctx, course, "COURSE_PLANNED");
    return { cycles, events: plan.schedule.events.length };
  },

  /** Marks the cycle's CYCLE event DONE, fulfilled by the administration (called in the administration's transaction). */
  async markAdministered(tx: Tx, ctx: RequestContext, cycle: TherapyCycleRow, at: Date): Promise<void> {
    const actor = ctx.requireActor();
    const [ev] = await tx.select().from(careEvent).where(and(eq(careEvent.siteId, actor.siteId), eq(careEvent.cycleId, cycle.id), eq(careEvent.kind, "CYCLE")));
    if (!ev || ev.status === "DONE") return;
    await updateVersioned(tx, careEvent, "CareEvent", {
      id: ev.id, siteId: actor.siteId, expectedVersion: ev.version, actorUserId: actor.userId, reason: "administration recorded",
      patch: { status: "DONE", performedAt: at, fulfilledCycleId: cycle.id },
    });
    const [c] = await tx.select().from(therapyCourse).where(eq(therapyCourse.id, cycle.courseId));
    if (c) await checkCourse(tx, ctx, c, "ADMINISTERED");
  },

  /** Site care events by effective time with filters (Relay connection). */
  async list(
    ctx: RequestContext,
    args: { first?: number | null; after?: string | null; filter?: { patientId?: string | null; courseId?: string | null; kind?: readonly Status[] | readonly string[] | null; status?: readonly Status[] | null; from?: Date | null; to?: Date | null; resource?: string | null } | null },
  ) {
    const actor = ctx.authorize("patient:read");
    const first = pageSize(args.first);
    const offset = decodeCursor(args.after);
    const f = args.filter ?? {};
    const eff = sql`coalesce(${careEvent.bookedAt}, ${careEvent.dueAt})`;
    const where: SQL[] = [eq(careEvent.siteId, actor.siteId)];
    if (f.patientId) {
      const id = idOf(f.patientId, "Patient");
      if (!id) throw badArgument("filter.patientId", `is not a Patient id (got ${JSON.stringify(f.patientId)})`);
      where.push(eq(careEvent.patientId, id));
    }
    if (f.courseId) {
      const id = idOf(f.courseId, "TherapyCourse");
      if (!id) throw badArgument("filter.courseId", `is not a TherapyCourse id (got ${JSON.stringify(f.courseId)})`);
      where.push(eq(careEvent.courseId, id));
    }
    if (f.kind?.length) where.push(inArray(careEvent.kind, f.kind as (typeof KINDS)[number][]));
    if (f.status?.length) where.push(inArray(careEvent.status, [...f.status]));
    if (f.from) where.push(sql`${eff} >= ${f.from.toISOString()}`);
    if (f.to) where.push(sql`${eff} < ${f.to.toISOString()}`);
    if (f.resource) where.push(sql`lower(${careEvent.resource}) = ${f.resource.trim().toLowerCase()}`);
    const [rows, [total]] = await Promise.all([
      ctx.db.select().from(careEvent).where(and(...where)).orderBy(eff, asc(careEvent.id)).offset(offset).limit(first + 1),
      ctx.db.select({ n: sql<number>`count(*)::int` }).from(careEvent).where(and(...where)),
    ]);
    for (const r of rows.slice(0, first)) ctx.recordRead("CareEvent", r.id, r.patientId);
    return toConnection(rows, offset, first, Number(total?.n ?? 0));
  },

  /**
   * The coordinator's worklist at `asOf` (default now) in the site zone: open events due today,
   * in the next 6 days, overdue, and courses whose latest schedule check has ERROR/WARNING flags.
   */
  async worklist(ctx: RequestContext, filter: { patientId?: string | null; kind?: readonly string[] | null; resource?: string | null; asOf?: Date | null } | null | undefined): Promise<WorklistOut> {
    const actor = ctx.authorize("patient:read");
    const s = await siteOf(ctx.db, actor.siteId);
    const tz = s.timeZone;
    const asOf = filter?.asOf ?? new Date();
    const today = zoned(asOf, tz).startOfDay();
    const tomorrow = today.add({ days: 1 }).startOfDay();
    const weekEnd = today.add({ days: 7 }).startOfDay();
    const ms = (z: Temporal.ZonedDateTime) => new Date(z.epochMilliseconds);
    const eff = sql`coalesce(${careEvent.bookedAt}, ${careEvent.dueAt})`;
    const where: SQL[] = [eq(careEvent.siteId, actor.siteId), inArray(careEvent.status, [...OPEN]), sql`${eff} < ${ms(weekEnd).toISOString()}`, ne(therapyCourse.status, "STOPPED")];
    let patientId: string | null = null;
    if (filter?.patientId) {
      patientId = idOf(filter.patientId, "Patient");
      if (!patientId) throw badArgument("filter.patientId", `is not a Patient id (got ${JSON.stringify(filter.patientId)})`);
      where.push(eq(careEvent.patientId, patientId));
    }
    if (filter?.kind?.length) where.push(inArray(careEvent.kind, filter.kind as (typeof KINDS)[number][]));
    if (filter?.resource) where.push(sql`lower(${careEvent.resource}) = ${filter.resource.trim().toLowerCase()}`);
    const rows = (
      await ctx.db.select({ e: careEvent }).from(careEvent).innerJoin(therapyCourse, eq(therapyCourse.id, careEvent.courseId)).where(and(...where)).orderBy(eff, asc(careEvent.id)).limit(2000)
    ).map((r) => r.e);
    const out: WorklistOut = { asOf, timeZone: tz, dueToday: [], dueThisWeek: [], overdue: [], conflicts: [] };
    for (const e of rows) {
      if (passedDeadline(e, asOf)) continue;
      ctx.recordRead("CareEvent", e.id, e.patientId);
      if (isOverdue(e, asOf)) out.overdue.push(e);
      else if (effectiveAt(e) < ms(tomorrow)) out.dueToday.push(e);
      else out.dueThisWeek.push(e);
    }
    const courseWhere: SQL[] = [eq(therapyCourse.siteId, actor.siteId), inArray(therapyCourse.status, ["PLANNED", "ACTIVE", "COMPLETED"])];
    if (patientId) courseWhere.push(eq(therapyCourse.patientId, patientId));
    const courses = await ctx.db.select({ id: therapyCourse.id, patientId: therapyCourse.patientId }).from(therapyCourse).where(and(...courseWhere, sql`${therapyCourse.protocolTemplateId} is not null`));
    const checks = await latestChecks(ctx.db, actor.siteId, courses.map((c) => c.id));
    for (const ch of checks) {
      const flags = flagsOf(ch).filter((f) => f.severity !== "INFO");
      if (flags.length) out.conflicts.push({ courseId: ch.courseId, patientId: ch.patientId, flags });
    }
    return out;
  },

  /** Adds an event to a course by hand (e.g. an FDG PET at restaging, a long-acting SSA injection given). */
  async create(ctx: RequestContext, input: unknown): Promise<{ careEvent: CareEventRow; flags: StoredFlag[] }> {
    const actor = ctx.authorize("schedule:write");
    const v = parseInput(Create, input);
    const course = await loadInScope(ctx, therapyCourse, "TherapyCourse", v.courseId, ["input", "courseId"]);
    let cycle: TherapyCycleRow | null = null;
    if (v.cycleId) {
      cycle = await loadInScope(ctx, therapyCycle, "TherapyCycle", v.cycleId, ["input", "cycleId"]);
      if (cycle.courseId !== course.id) throw UserInputProblem.of(["input", "cycleId"], "belongs to another course");
    }
    return ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(careEvent)
        .values({
          siteId: actor.siteId, patientId: course.patientId, courseId: course.id, cycleId: cycle?.id ?? null,
          key: `adhoc-${randomUUID().slice(0, 8)}`, ruleKey: "adhoc", kind: v.kind, label: v.label, cycleNumber: cycle?.number ?? null,
          dueAt: v.dueAt, originalDueAt: v.dueAt, windowStart: v.windowStart ?? null, windowEnd: v.windowEnd ?? null,
          source: "Added by the care team", modality: v.modality ?? null, notes: v.notes ?? null,
          status: v.performedAt ? "DONE" : "PLANNED", performedAt: v.performedAt ?? null,
        })
        .returning();
      const flags = await checkCourse(tx, ctx, course, "EVENT_CREATED");
      await appendAudit(tx, [ctx.writeEntry("care_event.create", "CareEvent", row!.id, course.patientId, { kind: v.kind, status: row!.status })]);
      return { careEvent: row!, flags };
    });
  },

  async book(ctx: RequestContext, input: unknown): Promise<{ careEvent: CareEventRow; flags: StoredFlag[] }> {
    const r = await ScheduleService.bookMany(ctx, { items: [input] }, true);
    return { careEvent: r.careEvents[0]!, flags: r.flags };
  },

  /** Books several events in one transaction (all or nothing); flags re-checked once per course. */
  async bookMany(ctx: RequestContext, input: unknown, single = false): Promise<{ careEvents: CareEventRow[]; flags: StoredFlag[] }> {
    const actor = ctx.authorize("schedule:write");
    const items = parseInput(z.object({ items: z.array(z.unknown()).min(1, "must list at least one event").max(200, "must list at most 200 events") }), input).items;
    const parsed = items.map((it, i) => parseInput(Book, it, single ? ["input"] : ["input", "items", String(i)]));
    return ctx.db
      .transaction(async (tx) => {
        const out: CareEventRow[] = [];
        const courses = new Map<string, string>();
        const audit: AuditEntry[] = [];
        for (const [i, v] of parsed.entries()) {
          const field = single ? ["input"] : ["input", "items", String(i)];
          const cur = await eventForUpdate(tx, ctx, v.id, [...field, "id"]);
          const row = await updateVersioned(tx, careEvent, "CareEvent", {
            id: cur.id, siteId: actor.siteId, expectedVersion: v.version, actorUserId: actor.userId, patch: bookingPatch(v, cur, field),
          }).catch((e: unknown) => {
            if (e instanceof UserInputProblem) throw new UserInputProblem(e.errors.map((x) => ({ ...x, field: [...field, ...x.field] })));
            throw e;
          });
          out.push(row);
          courses.set(row.courseId, row.patientId);
          audit.push(ctx.writeEntry("care_event.book", "CareEvent", row.id, row.patientId, { version: row.version, kind: row.kind }));
        }
        let flags: StoredFlag[] = [];
        for (const courseId of courses.keys()) flags = flags.concat(await checkCourse(tx, ctx, await courseOf(tx, actor.siteId, courseId), "BOOKED"));
        await appendAudit(tx, audit);
        return { careEvents: out, flags };
      })
      .catch(inputProblem);
  },

  /** Marks an event DONE, linked to the lab result / study / administration that fulfilled it (same patient). */
  async complete(ctx: RequestContext, input: unknown): Promise<{ careEvent: CareEventRow; flags: StoredFlag[] }> {
    const actor = ctx.authorize("schedule:write");
    const v = parseInput(Complete, input);
    return ctx.db
      .transaction(async (tx) => {
        const cur = await eventForUpdate(tx, ctx, v.id, ["input", "id"]);
        if (cur.status === "DONE" || cur.status === "CANCELLED") throw UserInputProblem.of(["input", "id"], `event is already ${cur.status}`);
        const allowed = FULFILMENT_TYPES[cur.kind] ?? [];
        const patch: Partial<CareEventRow> = { status: "DONE" };
        if (v.notes) patch.notes = v.notes;
        if (v.fulfilledById) {
          const ref = fromGlobalId(v.fulfilledById);
          if (!ref || !(allowed as readonly string[]).includes(ref.type)) {
            throw UserInputProblem.of(["input", "fulfilledById"], `a ${cur.kind} event is fulfilled by ${allowed.length ? allowed.join(" or ") : "no linked record (give performedAt)"} (got ${ref?.type ?? JSON.stringify(v.fulfilledById)})`);
          }
          let at: Date;
          let patientId: string;
          if (ref.type === "LabResult") {
            const r = (await rowInScope(tx, ctx, labResult, "LabResult", v.fulfilledById, ["input", "fulfilledById"])) as typeof labResult.$inferSelect;
            if (r.voidedAt) throw UserInputProblem.of(["input", "fulfilledById"], "lab result is voided");
            [at, patientId] = [r.sampledAt, r.patientId];
            patch.fulfilledLabResultId = r.id;
          } else if (ref.type === "ImagingStudy") {
            const r = (await rowInScope(tx, ctx, imagingStudy, "ImagingStudy", v.fulfilledById, ["input", "fulfilledById"])) as typeof imagingStudy.$inferSelect;
            if (r.voidedAt) throw UserInputProblem.of(["input", "fulfilledById"], "imaging study is voided");
            [at, patientId] = [r.performedAt, r.patientId];
            patch.fulfilledStudyId = r.id;
          } else {
            const r = (await rowInScope(tx, ctx, therapyCycle, "TherapyCycle", v.fulfilledById, ["input", "fulfilledById"])) as TherapyCycleRow;
            if (r.status !== "ADMINISTERED" || !r.infusionStart) throw UserInputProblem.of(["input", "fulfilledById"], `cycle ${r.number} is ${r.status}, not administered`);
            [at, patientId] = [r.infusionStart, r.patientId];
            patch.fulfilledCycleId = r.id;
          }
          if (patientId !== cur.patientId) throw UserInputProblem.of(["input", "fulfilledById"], "belongs to another patient than the event");
          patch.performedAt = v.performedAt ?? at;
        } else {
          if (allowed.length) throw UserInputProblem.of(["input", "fulfilledById"], `is required: link the ${allowed.join(" or ")} that fulfilled this ${cur.kind} event`);
          if (!v.performedAt) throw UserInputProblem.of(["input", "performedAt"], "is required when no record is linked");
          patch.performedAt = v.performedAt;
        }
        const row = await updateVersioned(tx, careEvent, "CareEvent", { id: cur.id, siteId: actor.siteId, expectedVersion: v.version, actorUserId: actor.userId, patch });
        const flags = await checkCourse(tx, ctx, await courseOf(tx, actor.siteId, row.courseId), "COMPLETED");
        await appendAudit(tx, [ctx.writeEntry("care_event.complete", "CareEvent", row.id, row.patientId, { version: row.version, fulfilledBy: v.fulfilledById ? fromGlobalId(v.fulfilledById)?.type : null })]);
        return { careEvent: row, flags };
      })
      .catch(inputProblem);
  },

  /** MISSED / CANCELLED with a reason, or back to PLANNED (unbook). */
  async setStatus(ctx: RequestContext, input: unknown): Promise<{ careEvent: CareEventRow; flags: StoredFlag[] }> {
    const actor = ctx.authorize("schedule:write");
    const v = parseInput(SetStatus, input);
    return ctx.db
      .transaction(async (tx) => {
        const cur = await eventForUpdate(tx, ctx, v.id, ["input", "id"]);
        if (cur.status === "DONE") throw UserInputProblem.of(["input", "status"], `event is DONE; it cannot be set to ${v.status}`);
        const patch: Partial<CareEventRow> = { status: v.status, statusReason: v.reason };
        if (v.status === "PLANNED") Object.assign(patch, { bookedAt: null, resource: null });
        const row = await updateVersioned(tx, careEvent, "CareEvent", { id: cur.id, siteId: actor.siteId, expectedVersion: v.version, actorUserId: actor.userId, patch, reason: v.reason });
        const flags = await checkCourse(tx, ctx, await courseOf(tx, actor.siteId, row.courseId), `STATUS_${v.status}`);
        await appendAudit(tx, [ctx.writeEntry("care_event.set_status", "CareEvent", row.id, row.patientId, { status: v.status, from: cur.status, version: row.version })]);
        return { careEvent: row, flags };
      })
      .catch(inputProblem);
  },

  /**
   * Moves a cycle (rescheduleCycle): earlier cycles and done events stay, the cycle and its
   * dependants move, later cycles keep the interval. Events are updated with history, cycle
   * planned dates follow, the constraints are re-checked and stored; returns the diff and flags.
   */
  async reschedule(ctx: RequestContext, input: unknown): Promise<{ course: TherapyCourseRow; changes: ScheduleChangeOut[]; flags: StoredFlag[] }> {
    const actor = ctx.authorize("schedule:write");
    const v = parseInput(Reschedule, input);
    const cycle = await loadInScope(ctx, therapyCycle, "TherapyCycle", v.id, ["input", "id"]);
    return ctx.db
      .transaction(async (tx) => {
        const course = await courseOf(tx, actor.siteId, cycle.courseId);
        if (!course.protocolSnapshot) throw UserInputProblem.of(["input", "id"], "the course was not planned from a protocol template; move the cycle with therapyCycleUpdate");
        if (cycle.status === "ADMINISTERED" || cycle.status === "CANCELLED") throw UserInputProblem.of(["input", "id"], `cycle ${cycle.number} is ${cycle.status} and cannot be rescheduled`);
        if (cycle.version !== v.version) throw UserInputProblem.of(["input", "version"], `TherapyCycle was changed by someone else (you edited version ${v.version}, current is ${cycle.version}); reload`, "CONFLICT");
        const s = await siteOf(tx, actor.siteId);
        const tz = s.timeZone;
        const template = course.protocolSnapshot as unknown as ProtocolTemplate;
        const all = await courseEvents(tx, actor.siteId, course.id);
        const cycles = await tx.select().from(therapyCycle).where(eq(therapyCycle.courseId, course.id));
        const administered = new Set(cycles.filter((c) => c.status === "ADMINISTERED").map((c) => c.number));
        const planned = all.filter((e) => e.ruleKey !== "adhoc");
        const schedule: CourseSchedule = {
          templateId: template.id, templateVersion: template.version, timeZone: tz,
          cycles: planned.filter((e) => e.kind === "CYCLE").length,
          events: planned.map((e) => toPlanned(e, tz, (n) => administered.has(n))),
        };
        let result: ReturnType<typeof rescheduleCycle>;
        try {
          result = rescheduleCycle(schedule, cycle.number, v.administrationAt, template, tz);
        } catch (e) {
          throw UserInputProblem.of(["input", "administrationAt"], (e as Error).message);
        }
        const byKey = new Map(all.map((e) => [e.key, e] as const));
        const fresh = new Map(result.schedule.events.map((e) => [e.key, e] as const));
        const cycleByNumber = new Map(cycles.map((c) => [c.number, c] as const));
        const changes: ScheduleChangeOut[] = [];
        const audit: AuditEntry[] = [];
        const reason = v.reason ?? `cycle ${cycle.number} rescheduled`;
        for (const ch of result.changes) {
          if (ch.change === "MOVED" && ch.fromDueAt && ch.toDueAt && Date.parse(ch.fromDueAt) === Date.parse(ch.toDueAt)) continue;
          const cur = byKey.get(ch.key);
          const nu = fresh.get(ch.key);
          if (ch.change === "MOVED" && cur && nu) {
            const patch: Partial<CareEventRow> = { dueAt: new Date(nu.dueAt), windowStart: nu.windowStart ? new Date(nu.windowStart) : null, windowEnd: nu.windowEnd ? new Date(nu.windowEnd) : null, offset: nu.offset, anchor: nu.anchor as unknown as Record<string, unknown> };
            if (cur.status === "MISSED") Object.assign(patch, { status: "PLANNED", statusReason: null });
            // The moved cycle itself: its booking moves with it.
            if (cur.kind === "CYCLE" && cur.cycleNumber === cycle.number && cur.status === "BOOKED") patch.bookedAt = new Date(nu.dueAt);
            await updateVersioned(tx, careEvent, "CareEvent", { id: cur.id, siteId: actor.siteId, expectedVersion: cur.version, actorUserId: actor.userId, patch, reason });
            if (cur.kind === "CYCLE" && cur.cycleNumber !== null) {
              const c = cycleByNumber.get(cur.cycleNumber);
              const day = localDate(new Date(nu.dueAt), tz);
              if (c && c.plannedDate !== day) {
                await updateVersioned(tx, therapyCycle, "TherapyCycle", { id: c.id, siteId: actor.siteId, expectedVersion: c.version, actorUserId: actor.userId, patch: { plannedDate: day }, reason });
                audit.push(ctx.writeEntry("cycle.reschedule", "TherapyCycle", c.id, c.patientId, { from: c.plannedDate, to: day }));
              }
            }
            changes.push({ ...ch, wasBooked: cur.status === "BOOKED" && !(cur.kind === "CYCLE" && cur.cycleNumber === cycle.number), eventId: cur.id });
          } else if (ch.change === "REMOVED" && cur) {
            await updateVersioned(tx, careEvent, "CareEvent", { id: cur.id, siteId: actor.siteId, expectedVersion: cur.version, actorUserId: actor.userId, patch: { status: "CANCELLED", statusReason: `removed by reschedule: ${reason}` }, reason });
            changes.push({ ...ch, wasBooked: cur.status === "BOOKED", eventId: cur.id });
          } else if (ch.change === "ADDED" && nu && !cur) {
            const [row] = await tx
              .insert(careEvent)
              .values({
                siteId: actor.siteId, patientId: course.patientId, courseId: course.id,
                cycleId: nu.cycleNumber !== null ? (cycleByNumber.get(nu.cycleNumber)?.id ?? null) : null,
                key: nu.key, ruleKey: nu.ruleKey, kind: nu.kind, label: nu.label, cycleNumber: nu.cycleNumber,
                dueAt: new Date(nu.dueAt), originalDueAt: new Date(nu.dueAt), windowStart: nu.windowStart ? new Date(nu.windowStart) : null,
                windowEnd: nu.windowEnd ? new Date(nu.windowEnd) : null, offset: nu.offset, anchor: nu.anchor as unknown as Record<string, unknown>, source: nu.source,
              })
              .returning();
            changes.push({ ...ch, wasBooked: false, eventId: row?.id ?? null });
          }
        }
        const flags = await checkCourse(tx, ctx, course, "RESCHEDULED");
        audit.push(ctx.writeEntry("course.reschedule", "TherapyCourse", course.id, course.patientId, { cycle: cycle.number, moved: changes.length, flags: flags.map((f) => f.code) }));
        await appendAudit(tx, audit);
        return { course, changes, flags };
      })
      .catch(inputProblem);
  },
};

