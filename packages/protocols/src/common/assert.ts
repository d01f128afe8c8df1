/** Input guards. Every failure names the parameter and the offending value. */

/** Render a value for an error message without throwing on cycles or symbols. */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (
    typeof value === "number" ||
    typeof value === "boolean" ||
    value === null ||
    value === undefined
  ) {
    return String(value);
  }
  if (value instanceof Date)
    return `Date(${Number.isNaN(value.getTime()) ? "Invalid" : value.toISOString()})`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * Assert `value` is a finite number (TypeError if not a number, RangeError if NaN/±Infinity).
 * @throws TypeError | RangeError naming `name` and the value.
 */
export function assertFinite(name: string, value: unknown): asserts value is number {
  if (typeof value !== "number")
    throw new TypeError(`${name} must be a number, got ${show(value)}`);
  if (!Number.isFinite(value))
    throw new RangeError(`${name} must be a finite number, got ${show(value)}`);
}

/** Assert a finite number ≥ 0. @throws TypeError | RangeError naming `name` and the value. */
export function assertNonNegative(name: string, value: unknown): asserts value is number {
  assertFinite(name, value);
  if (value < 0) throw new RangeError(`${name} must be ≥ 0, got ${show(value)}`);
}

/** Assert a finite number > 0. @throws TypeError | RangeError naming `name` and the value. */
export function assertPositive(name: string, value: unknown): asserts value is number {
  assertFinite(name, value);
  if (value <= 0) throw new RangeError(`${name} must be > 0, got ${show(value)}`);
}

/** Assert an integer in [min, max]. @throws TypeError | RangeError naming `name` and the value. */
export function assertIntegerInRange(
  name: string,
  value: unknown,
  min: number,
  max: number,
): asserts value is number {
  assertFinite(name, value);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${show(value)}`);
  }
}

/** Optional finite number ≥ 0: undefined/null pass through. */
export function optNonNegative(name: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  assertNonNegative(name, value);
  return value;
}
