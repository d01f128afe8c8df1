import { assertIntegerInRange, show } from "../common/assert.js";
import {
  Temporal,
  addOffset,
  assertTimeZone,
  offsetToIso,
  toZoned,
  utcIso,
} from "../common/time.js";
import type { Offset } from "../common/time.js";
import type { EventRule, ProtocolTemplate } from "../templates/types.js";
import { assertValidTemplate } from "../templates/validate.js";
import type { CourseSchedule, PlannedEvent } from "./types.js";

const neg = (o: Offset): Offset => ({
  months: -(o.months ?? 0),
  weeks: -(o.weeks ?? 0),
  days: -(o.days ?? 0),
  hours: -(o.hours ?? 0),
  minutes: -(o.minutes ?? 0),
});

function appliesToCycle(rule: EventRule, n: number, total: number): boolean {
  switch (rule.cycles ?? "ALL") {
    case "ALL":
      return true;
    case "FIRST":
      return n === 1;
    case "NOT_FIRST":
      return n > 1;
    case "NOT_LAST":
      return n < total;
  }
}

function planned(
  rule: EventRule,
  key: string,
  cycleNumber: number | null,
  due: Temporal.ZonedDateTime,
  offset: Offset,
  anchor: PlannedEvent["anchor"],
): PlannedEvent {
  const ws = rule.window.before === null ? null : addOffset(due, neg(rule.window.before));
  const we = rule.window.after === null ? null : addOffset(due, rule.window.after);
  return {
    key,
    ruleKey: rule.key,
    kind: rule.kind,
    label: rule.label,
    cycleNumber,
    dueAt: utcIso(due),
    dueLocal: due.toString(),
    windowStart: ws === null ? null : utcIso(ws),
    windowEnd: we === null ? null : utcIso(we),
    anchor,
    offset: offsetToIso(offset),
    source: rule.source,
  };
}

/**
 * Build every planned event from a list of administration times (index 0 = cycle 1).
 * Internal; shared by generation and rescheduling.
 */
export function buildEvents(
  template: ProtocolTemplate,
  admins: readonly Temporal.ZonedDateTime[],
): PlannedEvent[] {
  const events: PlannedEvent[] = [];
  const total = admins.length;
  const tol = template.interval.toleranceDays;
  admins.forEach((a, i) => {
    const n = i + 1;
    const prev = i > 0 ? admins[i - 1] : undefined;
    events.push({
      key: `cycle#c${n}`,
      ruleKey: "cycle",
      kind: "CYCLE",
      label: `Cycle ${n}: ${template.radiopharmaceutical.nuclide}-${template.radiopharmaceutical.agent} ${template.activityPerCycleGBq} GBq`,
      cycleNumber: n,
      dueAt: utcIso(a),
      dueLocal: a.toString(),
      windowStart: utcIso(a.subtract({ days: tol })),
      windowEnd: utcIso(a.add({ days: tol })),
      anchor:
        prev === undefined
          ? { type: "COURSE_START", cycleNumber: null, key: null }
          : { type: "PREVIOUS_CYCLE", cycleNumber: n - 1, key: `cycle#c${n - 1}` },
      offset:
        prev === undefined
          ? "PT0S"
          : prev.toPlainDate().until(a.toPlainDate(), { largestUnit: "days" }).toString(),
      source: `${template.source}; interval ${template.interval.days} ± ${tol} days`,
    });
    for (const rule of template.events) {
      if (rule.anchor !== "ADMINISTRATION" || !appliesToCycle(rule, n, total)) continue;
      pushRule(events, rule, a, n, { type: "ADMINISTRATION", cycleNumber: n, key: `cycle#c${n}` });
    }
  });
  const first = admins[0];
  const last = admins[admins.length - 1];
  if (first === undefined || last === undefined) return events;
  for (const rule of template.events) {
    if (rule.anchor === "FIRST_ADMINISTRATION")
      pushRule(events, rule, first, null, {
        type: "FIRST_ADMINISTRATION",
        cycleNumber: 1,
        key: "cycle#c1",
      });
    if (rule.anchor === "LAST_ADMINISTRATION")
      pushRule(events, rule, last, null, {
        type: "LAST_ADMINISTRATION",
        cycleNumber: total,
        key: `cycle#c${total}`,
      });
  }
  events.sort(
    (x, y) =>
      Temporal.Instant.compare(Temporal.Instant.from(x.dueAt), Temporal.Instant.from(y.dueAt)) ||
      x.key.localeCompare(y.key),
  );
  return events;
}

function pushRule(
  events: PlannedEvent[],
  rule: EventRule,
  anchorAt: Temporal.ZonedDateTime,
  cycle: number | null,
  anchor: PlannedEvent["anchor"],
): void {
  const count = rule.repeat?.count ?? 1;
  for (let k = 1; k <= count; k++) {
    const suffix = cycle !== null ? `#c${cycle}` : count > 1 ? `#${k}` : "";
    // Cumulative from the anchor (not chained) so month-end clamping does not drift: 31 Jan + 1 M = 28 Feb, + 2 M = 31 Mar.
    const step = rule.repeat?.every ?? {};
    const m = k - 1;
    const off: Offset = {
      months: (rule.offset.months ?? 0) + m * (step.months ?? 0),
      weeks: (rule.offset.weeks ?? 0) + m * (step.weeks ?? 0),
      days: (rule.offset.days ?? 0) + m * (step.days ?? 0),
      hours: (rule.offset.hours ?? 0) + m * (step.hours ?? 0),
      minutes: (rule.offset.minutes ?? 0) + m * (step.minutes ?? 0),
    };
    events.push(
      planned(rule, `${rule.key}${suffix}`, cycle, addOffset(anchorAt, off), off, anchor),
    );
  }
}

/**
 * Administration times for cycles 1..n: cycle k = cycle k−1 + `interval.days` calendar days in
 * `timeZone`, so the local wall-clock time is kept across DST changes (09:00 stays 09:00).
 */
export function administrationTimes(
  start: Temporal.ZonedDateTime,
  intervalDays: number,
  n: number,
  fromCycle = 1,
): Temporal.ZonedDateTime[] {
  const out: Temporal.ZonedDateTime[] = [];
  for (let k = 0; k <= n - fromCycle; k++) out.push(start.add({ days: intervalDays * k }));
  return out;
}

/**
 * Generate the planned events of a PRRT course.
 *
 * Rule: cycle 1 at `startDate`; cycle k at cycle 1 + (k−1) × `template.interval.days` calendar
 * days in `timeZone` (window ± `interval.toleranceDays`); each template event rule is placed at
 * its offset from its anchor (the cycle's administration, the first, or the last administration),
 * calendar units (months/weeks/days) in the site zone and hours/minutes as elapsed time, with its
 * window around the due time. Source: each event's `source` (prrt-protocols.md §1, §1.1, §1.2, §4, §6).
 *
 * @param template a valid protocol template (see `validateTemplate`).
 * @param opts.startDate first administration: local date-time "YYYY-MM-DDTHH:mm" in `timeZone`
 *   (gap times move forward, ambiguous times take the earlier instant), or an instant (Z/offset string or Date).
 * @param opts.timeZone site IANA time zone, e.g. "Europe/Amsterdam".
 * @param opts.cycles number of cycles (1..maxCycles, default `template.cycles`).
 * @returns events sorted by due time; instants are UTC ISO strings.
 * @throws RangeError/TypeError naming the parameter for an invalid template, date, zone or cycle count.
 */
export function generateCourseSchedule(
  template: ProtocolTemplate,
  opts: { startDate: string | Date; timeZone: string; cycles?: number },
): CourseSchedule {
  assertValidTemplate(template, "template");
  if (typeof opts !== "object" || opts === null)
    throw new TypeError(`opts must be an object, got ${show(opts)}`);
  assertTimeZone("opts.timeZone", opts.timeZone);
  const start = toZoned("opts.startDate", opts.startDate, opts.timeZone);
  const cycles = opts.cycles ?? template.cycles;
  assertIntegerInRange("opts.cycles", cycles, 1, template.maxCycles ?? template.cycles);
  const admins = administrationTimes(start, template.interval.days, cycles);
  return {
    templateId: template.id,
    templateVersion: template.version,
    timeZone: opts.timeZone,
    cycles,
    events: buildEvents(template, admins),
  };
}
