import { requireFinite, requireInteger } from "../internal/validate.js";

/** Typed arrays accepted as voxel input. */
export type NumericTypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array;

/**
 * Multiplies every voxel by one scale factor: out[i] = data[i] · factor. Used to turn an
 * activity-concentration volume (Bq/mL) into SUV with a factor from {@link computeSuvFactors}
 * (SUV = C · factor, suv.md §2.2). No allocation when `out` is given or `data` is a Float32Array
 * (then it is scaled in place).
 *
 * @param data voxel values (Bq/mL, or rescaled pixel units matching the factor).
 * @param factor scale factor (finite), e.g. SUVbw g/mL per Bq/mL.
 * @param out output array of the same length; defaults to `data` itself when it is a Float32Array.
 * @returns the array written to.
 * @throws TypeError when `factor` is not finite or no Float32Array output is available;
 *   RangeError when `out.length` differs from `data.length`.
 */
export function applyScaleFactor(
  data: NumericTypedArray,
  factor: number,
  out?: Float32Array,
): Float32Array {
  requireFinite("factor", factor);
  const target = out ?? (data instanceof Float32Array ? data : undefined);
  if (target === undefined) {
    throw new TypeError(
      `out must be given when data is not a Float32Array, got data of type ${data.constructor.name}`,
    );
  }
  if (target.length !== data.length) {
    throw new RangeError(
      `out.length must equal data.length (${data.length}), got ${target.length}`,
    );
  }
  const n = data.length;
  for (let i = 0; i < n; i++) target[i] = data[i]! * factor;
  return target;
}

/**
 * Per-slice modality rescale and SUV scaling of stored pixel values:
 * out[i] = (stored[i] · slope_k + intercept_k) · factor_k for slice k = ⌊i / sliceLength⌋.
 * Rescale slope differs per slice in about half of real series, so it must be applied per
 * slice (suv.md §2.1 and §2.5 pitfall 6).
 *
 * @param stored stored pixel values, slices contiguous.
 * @param sliceLength voxels per slice (rows × columns), integer ≥ 1.
 * @param slopes Rescale Slope per slice (length = number of slices).
 * @param intercepts Rescale Intercept per slice (same length); suv.md §2.1 says a non-zero intercept should be rejected upstream.
 * @param factors SUV (or Bq/mL) factor per slice, or one number for all slices.
 * @param out output Float32Array of the same length as `stored`.
 * @returns `out`.
 * @throws TypeError/RangeError when lengths disagree or a slope/intercept/factor is not finite.
 */
export function applyPerSliceRescale(
  stored: NumericTypedArray,
  sliceLength: number,
  slopes: ArrayLike<number>,
  intercepts: ArrayLike<number>,
  factors: ArrayLike<number> | number,
  out: Float32Array,
): Float32Array {
  requireInteger("sliceLength", sliceLength, 1);
  if (stored.length % sliceLength !== 0) {
    throw new RangeError(
      `stored.length must be a multiple of sliceLength (${sliceLength}), got ${stored.length}`,
    );
  }
  const nSlices = stored.length / sliceLength;
  if (slopes.length !== nSlices)
    throw new RangeError(
      `slopes.length must equal the number of slices (${nSlices}), got ${slopes.length}`,
    );
  if (intercepts.length !== nSlices) {
    throw new RangeError(
      `intercepts.length must equal the number of slices (${nSlices}), got ${intercepts.length}`,
    );
  }
  if (typeof factors !== "number" && factors.length !== nSlices) {
    throw new RangeError(
      `factors.length must equal the number of slices (${nSlices}), got ${factors.length}`,
    );
  }
  if (out.length !== stored.length)
    throw new RangeError(
      `out.length must equal stored.length (${stored.length}), got ${out.length}`,
    );
  for (let k = 0; k < nSlices; k++) {
    const f = requireFinite(`factors[${k}]`, typeof factors === "number" ? factors : factors[k]);
    const a = requireFinite(`slopes[${k}]`, slopes[k]) * f;
    const b = requireFinite(`intercepts[${k}]`, intercepts[k]) * f;
    const start = k * sliceLength;
    const end = start + sliceLength;
    for (let i = start; i < end; i++) out[i] = stored[i]! * a + b;
  }
  return out;
}
