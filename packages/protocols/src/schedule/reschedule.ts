import { assertIntegerInRange, show } from "../common/assert.js";
import { Temporal, assertTimeZone, toZoned } from "../common/time.js";
import type { ProtocolTemplate } from "../templates/types.js";
import { assertValidTemplate } from "../templates/validate.js";
import { buildEvents } from "./generate.js";
import type { CourseSchedule, PlannedEvent, ScheduleChange } from "./types.js";

/**
 * Move cycle `cycleNumber` to `newDate` and recompute what depends on it.
 *
 * Rule: cycles before `cycleNumber` keep their administration time; the moved cycle is at
 * `newDate`; each later cycle keeps its interval from the one before (`template.interval.days`
 * calendar days in `tz`, so the wall-clock time is kept across DST). Per-cycle events move with
 * their cycle; FIRST_ADMINISTRATION events move only if cycle 1 moves; LAST_ADMINISTRATION events
 * move with the last cycle. Events with `done: true` never move (their old entry is kept).
 * A later cycle that is already done keeps its time and anchors the cycles after it.
 * Source: prrt-protocols.md §1 (interval 8 ± 1 weeks), README §4 (coordinator reschedules).
 *
 * @param schedule a schedule from `generateCourseSchedule` (events may carry `done`).
 * @param cycleNumber 1..schedule.cycles; the cycle must not be done.
 * @param newDate local date-time "YYYY-MM-DDTHH:mm" in `tz`, or an instant (Z/offset string or Date).
 * @param template the template the schedule was generated from (id and version must match).
 * @param tz site IANA time zone (must equal `schedule.timeZone`).
 * @returns the new schedule and the list of events that moved (plus any added/removed).
 * @throws RangeError/TypeError naming the parameter and value on bad input.
 */
export function rescheduleCycle(
  schedule: CourseSchedule,
  cycleNumber: number,
  newDate: string | Date,
  template: ProtocolTemplate,
  tz: string,
): { schedule: CourseSchedule; changes: ScheduleChange[] } {
  if (typeof schedule !== "object" || schedule === null || !Array.isArray(schedule.events)) {
    throw new TypeError(`schedule must be a CourseSchedule, got ${show(schedule)}`);
  }
  assertValidTemplate(template, "template");
  assertTimeZone("tz", tz);
  if (tz !== schedule.timeZone)
    throw new RangeError(
      `tz ${show(tz)} differs from schedule.timeZone ${show(schedule.timeZone)}`,
    );
  if (template.id !== schedule.templateId || template.version !== schedule.templateVersion) {
    throw new RangeError(
      `template ${template.id}@${template.version} does not match schedule ${schedule.templateId}@${schedule.templateVersion}`,
    );
  }
  assertIntegerInRange("cycleNumber", cycleNumber, 1, schedule.cycles);
  const target = toZoned("newDate", newDate, tz);

  const byKey = new Map(schedule.events.map((e) => [e.key, e] as const));
  const adminAt = (n: number): { at: Temporal.ZonedDateTime; done: boolean } => {
    const e = byKey.get(`cycle#c${n}`);
    if (e === undefined) throw new RangeError(`schedule has no event cycle#c${n}`);
    return { at: Temporal.Instant.from(e.dueAt).toZonedDateTimeISO(tz), done: e.done === true };
  };
  if (adminAt(cycleNumber).done)
    throw new RangeError(`cycleNumber ${cycleNumber} is already done and cannot be rescheduled`);
  if (cycleNumber > 1 && Temporal.ZonedDateTime.compare(target, adminAt(cycleNumber - 1).at) <= 0) {
    throw new RangeError(`newDate ${show(newDate)} is not after cycle ${cycleNumber - 1}`);
  }

  const nextDone = [...Array(schedule.cycles - cycleNumber).keys()]
    .map((k) => cycleNumber + 1 + k)
    .find((n) => adminAt(n).done);
  if (nextDone !== undefined && Temporal.ZonedDateTime.compare(target, adminAt(nextDone).at) >= 0) {
    throw new RangeError(
      `newDate ${show(newDate)} is not before cycle ${nextDone}, which is already done`,
    );
  }

  const admins: Temporal.ZonedDateTime[] = [];
  for (let n = 1; n <= schedule.cycles; n++) {
    const cur = adminAt(n);
    if (n < cycleNumber || cur.done) admins.push(cur.at);
    else if (n === cycleNumber) admins.push(target);
    else {
      const prev = admins[n - 2];
      if (prev === undefined) throw new RangeError(`internal: missing cycle ${n - 1}`);
      admins.push(prev.add({ days: template.interval.days }));
    }
  }

  const fresh = buildEvents(template, admins);
  const freshByKey = new Map(fresh.map((e) => [e.key, e] as const));
  const changes: ScheduleChange[] = [];
  const out: PlannedEvent[] = [];
  for (const old of schedule.events) {
    const nu = freshByKey.get(old.key);
    if (old.done === true) {
      out.push(old);
      continue;
    }
    if (nu === undefined) {
      changes.push({
        key: old.key,
        kind: old.kind,
        cycleNumber: old.cycleNumber,
        change: "REMOVED",
        fromDueAt: old.dueAt,
        toDueAt: null,
      });
      continue;
    }
    out.push(nu);
    if (nu.dueAt !== old.dueAt) {
      changes.push({
        key: old.key,
        kind: old.kind,
        cycleNumber: old.cycleNumber,
        change: "MOVED",
        fromDueAt: old.dueAt,
        toDueAt: nu.dueAt,
      });
    }
  }
  for (const nu of fresh) {
    if (!byKey.has(nu.key)) {
      out.push(nu);
      changes.push({
        key: nu.key,
        kind: nu.kind,
        cycleNumber: nu.cycleNumber,
        change: "ADDED",
        fromDueAt: null,
        toDueAt: nu.dueAt,
      });
    }
  }
  out.sort(
    (x, y) =>
      Temporal.Instant.compare(Temporal.Instant.from(x.dueAt), Temporal.Instant.from(y.dueAt)) ||
      x.key.localeCompare(y.key),
  );
  return { schedule: { ...schedule, events: out }, changes };
}
