import { Temporal } from "@js-temporal/polyfill";
import { show } from "./assert.js";

/**
 * An offset from an anchor. `months`, `weeks` and `days` are calendar units evaluated in the
 * site's time zone (a 09:00 administration + 56 days is 09:00 local even across a DST change);
 * `hours` and `minutes` are exact elapsed time (4 h after a 09:00 infusion is 13:00 unless a
 * DST change intervenes). Negative values mean "before the anchor". All fields must share a sign.
 */
export interface Offset {
  months?: number;
  weeks?: number;
  days?: number;
  hours?: number;
  minutes?: number;
}

/** An instant given as a UTC/offset ISO string or a Date, or a local date-time string. */
export type DateInput = string | Date;

const LOCAL_RE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?$/;

/**
 * Validate an IANA time-zone identifier (e.g. "Europe/Amsterdam").
 * @throws RangeError naming `name` and the value when the zone is unknown.
 */
export function assertTimeZone(name: string, tz: unknown): asserts tz is string {
  if (typeof tz !== "string" || tz.length === 0)
    throw new TypeError(`${name} must be an IANA time-zone string, got ${show(tz)}`);
  try {
    Temporal.Now.instant().toZonedDateTimeISO(tz);
  } catch {
    throw new RangeError(`${name} is not a known IANA time zone: ${show(tz)}`);
  }
}

/**
 * Parse a date input into a zoned date-time in `tz`.
 * - `"2026-01-31T09:00"` (no offset, no Z): a local wall-clock time in `tz`. A time that does not
 *   exist (spring-forward gap) is moved forward by the gap; an ambiguous time (fall-back) takes
 *   the earlier instant (Temporal "compatible" disambiguation).
 * - `"2026-01-31"`: local midnight.
 * - a string with `Z` or an offset, or a `Date`: that instant, viewed in `tz`.
 * @throws TypeError | RangeError naming `name` and the value.
 */
export function toZoned(name: string, input: unknown, tz: string): Temporal.ZonedDateTime {
  if (input instanceof Date) {
    if (Number.isNaN(input.getTime())) throw new RangeError(`${name} is an invalid Date`);
    return Temporal.Instant.fromEpochMilliseconds(input.getTime()).toZonedDateTimeISO(tz);
  }
  if (typeof input !== "string")
    throw new TypeError(`${name} must be an ISO date-time string or Date, got ${show(input)}`);
  try {
    if (LOCAL_RE.test(input)) {
      const pdt =
        input.length === 10
          ? Temporal.PlainDate.from(input).toPlainDateTime()
          : Temporal.PlainDateTime.from(input);
      return pdt.toZonedDateTime(tz, { disambiguation: "compatible" });
    }
    return Temporal.Instant.from(input).toZonedDateTimeISO(tz);
  } catch {
    throw new RangeError(`${name} is not a valid ISO date-time: ${show(input)}`);
  }
}

/** Parse an instant (string with Z/offset, or Date) to epoch ms. @throws naming `name`. */
export function toEpochMs(name: string, input: unknown): number {
  return toZoned(name, input, "UTC").epochMilliseconds;
}

/** UTC ISO string ("2026-03-20T08:00:00Z") of a zoned date-time (whole seconds when possible). */
export function utcIso(z: Temporal.ZonedDateTime): string {
  return z.toInstant().toString();
}

/** Validate an offset: finite integers (calendar units) with one sign. @throws RangeError naming `name`. */
export function assertOffset(name: string, o: unknown): asserts o is Offset {
  if (typeof o !== "object" || o === null)
    throw new TypeError(`${name} must be an offset object, got ${show(o)}`);
  const rec = o as Record<string, unknown>;
  let sign = 0;
  for (const [k, v] of Object.entries(rec)) {
    if (!["months", "weeks", "days", "hours", "minutes"].includes(k)) {
      throw new RangeError(`${name}.${k} is not an offset unit (months|weeks|days|hours|minutes)`);
    }
    if (v === undefined) continue;
    if (typeof v !== "number" || !Number.isInteger(v))
      throw new RangeError(`${name}.${k} must be an integer, got ${show(v)}`);
    const s = Math.sign(v);
    if (s !== 0 && sign !== 0 && s !== sign)
      throw new RangeError(`${name} mixes positive and negative units: ${show(o)}`);
    if (s !== 0) sign = s;
  }
}

/** Apply an offset (calendar units in the zone, then exact time units). */
export function addOffset(z: Temporal.ZonedDateTime, o: Offset): Temporal.ZonedDateTime {
  return z.add({
    months: o.months ?? 0,
    weeks: o.weeks ?? 0,
    days: o.days ?? 0,
    hours: o.hours ?? 0,
    minutes: o.minutes ?? 0,
  });
}

/** ISO 8601 duration text of an offset, e.g. "-P28D", "PT4H", "P3M". */
export function offsetToIso(o: Offset): string {
  const d = Temporal.Duration.from({
    months: o.months ?? 0,
    weeks: o.weeks ?? 0,
    days: o.days ?? 0,
    hours: o.hours ?? 0,
    minutes: o.minutes ?? 0,
  });
  return d.toString();
}

/** Whole calendar days from the local date of `a` to the local date of `b` in `tz` (b − a). */
export function calendarDaysBetween(
  a: Temporal.ZonedDateTime,
  b: Temporal.ZonedDateTime,
  tz: string,
): number {
  const da = a.withTimeZone(tz).toPlainDate();
  const db = b.withTimeZone(tz).toPlainDate();
  return da.until(db, { largestUnit: "days" }).days;
}

/** Exact elapsed hours from `a` to `b` (b − a). */
export function hoursBetween(a: Temporal.ZonedDateTime, b: Temporal.ZonedDateTime): number {
  return (b.epochMilliseconds - a.epochMilliseconds) / 3_600_000;
}

export { Temporal };
