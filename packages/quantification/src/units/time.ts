import { show } from "../internal/validate.js";

/** An instant: a JS Date or an ISO 8601 date-time string that carries a zone (`Z` or `±hh:mm`). */
export type Instant = Date | string;

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Converts an instant to epoch milliseconds. Strings must be ISO 8601 date-times **with** a
 * zone designator: a zone-less wall-clock time is ambiguous across daylight-saving changes
 * (reference/radionuclides.md §1 rule 4; suv.md §2.5 pitfall 8).
 *
 * @param name parameter name used in error messages.
 * @param value Date or ISO string, e.g. "2024-03-05T09:30:00Z" or "2024-03-05T10:30:00+01:00".
 * @returns milliseconds since 1970-01-01T00:00:00Z.
 * @throws TypeError when not a Date/string, when the string has no zone or does not parse,
 *   or when the Date is invalid.
 */
export function instantToEpochMs(name: string, value: Instant): number {
  if (value instanceof Date) {
    const t = value.getTime();
    if (Number.isNaN(t)) throw new TypeError(`${name} must be a valid Date, got Invalid Date`);
    return t;
  }
  if (typeof value !== "string") {
    throw new TypeError(
      `${name} must be a Date or an ISO 8601 string with zone, got ${show(value)}`,
    );
  }
  if (!ISO_WITH_ZONE.test(value)) {
    throw new TypeError(
      `${name} must be an ISO 8601 date-time with a zone designator (Z or ±hh:mm), got ${show(value)}`,
    );
  }
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new TypeError(`${name} is not a valid date-time, got ${show(value)}`);
  return t;
}

/**
 * Signed elapsed time `to − from` in seconds between two instants, computed on the UTC time
 * line (reference/radionuclides.md §1 rules 3–4).
 *
 * @param from start instant (Date or zoned ISO string).
 * @param to end instant.
 * @returns seconds (negative when `to` precedes `from`).
 * @throws TypeError as {@link instantToEpochMs}.
 */
export function elapsedSeconds(from: Instant, to: Instant): number {
  return (instantToEpochMs("to", to) - instantToEpochMs("from", from)) / 1000;
}
