/**
 * Input guards for the dosimetry module. Every message names the parameter and the value,
 * e.g. `timesH[2] must be ≥ 0, got -1`. Internal helpers (not re-exported).
 */

/** @throws TypeError if `value` is not a finite number. */
export function requireFinite(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new TypeError(`${name} must be a finite number, got ${String(value)}`);
  }
  return value;
}

/** @throws TypeError if not finite; RangeError if `value <= 0`. */
export function requirePositive(name: string, value: unknown): number {
  const v = requireFinite(name, value);
  if (v <= 0) throw new RangeError(`${name} must be > 0, got ${v}`);
  return v;
}

/** @throws TypeError if not finite; RangeError if `value < 0`. */
export function requireNonNegative(name: string, value: unknown): number {
  const v = requireFinite(name, value);
  if (v < 0) throw new RangeError(`${name} must be ≥ 0, got ${v}`);
  return v;
}

/** @throws TypeError if `value` is not an array. */
export function requireArray<T>(name: string, value: readonly T[] | unknown): readonly T[] {
  if (!Array.isArray(value)) throw new TypeError(`${name} must be an array, got ${typeof value}`);
  return value as readonly T[];
}

/**
 * Validates a time–activity curve: equal lengths, times ≥ 0 and strictly increasing,
 * activities finite and ≥ 0 (or > 0 when `strictlyPositiveActivity`).
 * @throws TypeError / RangeError naming the offending element.
 */
export function validateTac(
  timesH: readonly number[],
  activitiesMBq: readonly number[],
  opts: { strictlyPositiveActivity?: boolean } = {},
): void {
  requireArray("timesH", timesH);
  requireArray("activitiesMBq", activitiesMBq);
  if (timesH.length !== activitiesMBq.length) {
    throw new RangeError(
      `timesH and activitiesMBq must have the same length, got ${timesH.length} and ${activitiesMBq.length}`,
    );
  }
  timesH.forEach((t, i) => {
    requireNonNegative(`timesH[${i}]`, t);
    if (i > 0 && t <= (timesH[i - 1] as number)) {
      throw new RangeError(
        `timesH must be strictly increasing: timesH[${i}] = ${t} ≤ timesH[${i - 1}] = ${String(timesH[i - 1])}`,
      );
    }
  });
  activitiesMBq.forEach((a, i) => {
    if (opts.strictlyPositiveActivity) requirePositive(`activitiesMBq[${i}]`, a);
    else requireNonNegative(`activitiesMBq[${i}]`, a);
  });
}
