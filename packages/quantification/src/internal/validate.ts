/**
 * Input guards shared by the quantification package. Every message names the parameter and
 * the offending value, e.g. `weightKg must be > 0, got 0`.
 * @internal
 */

/** Formats a value for an error message without throwing on exotic inputs. */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** @throws TypeError when `value` is not a finite number. */
export function requireFinite(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new TypeError(`${name} must be a finite number, got ${show(value)}`);
  }
  return value;
}

/** @throws TypeError when not a finite number; RangeError when not > 0. */
export function requirePositive(name: string, value: unknown): number {
  const v = requireFinite(name, value);
  if (!(v > 0)) throw new RangeError(`${name} must be > 0, got ${v}`);
  return v;
}

/** @throws TypeError when not a finite number; RangeError when < 0. */
export function requireNonNegative(name: string, value: unknown): number {
  const v = requireFinite(name, value);
  if (v < 0) throw new RangeError(`${name} must be >= 0, got ${v}`);
  return v;
}

/** @throws TypeError when not an integer; RangeError when < min. */
export function requireInteger(name: string, value: unknown, min = 0): number {
  const v = requireFinite(name, value);
  if (!Number.isInteger(v)) throw new TypeError(`${name} must be an integer, got ${v}`);
  if (v < min) throw new RangeError(`${name} must be >= ${min}, got ${v}`);
  return v;
}
