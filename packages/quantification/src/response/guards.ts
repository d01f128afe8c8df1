/** Input guards for the response module (internal). Messages name the parameter and value. */

/** @throws TypeError if not a finite number. */
export function finite(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new TypeError(`${name} must be a finite number, got ${String(value)}`);
  }
  return value;
}

/** @throws TypeError if not finite; RangeError if < 0. */
export function nonNegative(name: string, value: unknown): number {
  const v = finite(name, value);
  if (v < 0) throw new RangeError(`${name} must be ≥ 0, got ${v}`);
  return v;
}

/** @throws TypeError if not finite; RangeError if ≤ 0. */
export function positive(name: string, value: unknown): number {
  const v = finite(name, value);
  if (v <= 0) throw new RangeError(`${name} must be > 0, got ${v}`);
  return v;
}

/** @throws TypeError if not a non-empty string. */
export function nonEmptyString(name: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new TypeError(`${name} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** @throws TypeError if not an array. */
export function array<T>(name: string, value: readonly T[] | unknown): readonly T[] {
  if (!Array.isArray(value)) throw new TypeError(`${name} must be an array, got ${typeof value}`);
  return value as readonly T[];
}

/** Parses an ISO-8601 date/date-time to epoch ms. @throws RangeError naming the parameter. */
export function isoDateMs(name: string, value: unknown): number {
  const ms = typeof value === "string" ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms))
    throw new RangeError(`${name} must be an ISO-8601 date, got ${JSON.stringify(value)}`);
  return ms;
}

/** Formats a fraction as a signed percentage with one decimal. */
export function pct(fraction: number | null): string {
  if (fraction === null || !Number.isFinite(fraction)) return "n/a (reference 0)";
  const v = fraction * 100;
  return `${v >= 0 ? "+" : ""}${v.toFixed(1)} %`;
}

/**
 * Tolerance for threshold comparisons: values within 1e-9 of a boundary are treated as ON the
 * boundary, so exact-boundary cases (e.g. 3.0 → 3.9 = +30 %) do not flip on binary rounding.
 */
export const BOUNDARY_EPS = 1e-9;

/** Formats a number for messages: at most 3 decimals, trailing zeros dropped (12.999999 → "13"). */
export function num(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toFixed(3))) : String(x);
}
