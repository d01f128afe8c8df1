import { requireInteger, show } from "../internal/validate.js";

/** Result of {@link labelComponents26}. */
export interface ComponentLabels {
  /** Label per voxel: 0 = background, 1..count = component. */
  readonly labels: Int32Array;
  /** Number of components. */
  readonly count: number;
  /** Foreground voxel indices grouped by component (breadth-first order). */
  readonly voxelOrder: Int32Array;
  /** Component c (1-based) occupies voxelOrder[componentStart[c−1] .. componentStart[c]). Length count + 1. */
  readonly componentStart: Int32Array;
}

/**
 * 26-connected component labelling of a binary mask (voxels sharing a face, edge or corner
 * are connected; the usual connectivity for PET lesion segmentation, used to split the MTV
 * mask into lesions, reference/suv.md §3 MTV/TMTV rows). Breadth-first search with
 * an Int32Array queue: O(N) time, typed arrays only, no per-voxel allocation.
 *
 * @param mask non-zero = foreground; length nx·ny·nz (x fastest).
 * @param dims [nx, ny, nz], integers ≥ 1.
 * @param options `labelsOut` to reuse an Int32Array of the same length (it is zero-filled);
 *   `onProgress(fraction)` called with values in [0, 1] while scanning.
 * @throws TypeError/RangeError when dims are not positive integers or lengths disagree.
 */
export function labelComponents26(
  mask: Uint8Array,
  dims: readonly [number, number, number],
  options: { labelsOut?: Int32Array; onProgress?: (fraction: number) => void } = {},
): ComponentLabels {
  const nx = requireInteger("dims[0]", dims[0], 1);
  const ny = requireInteger("dims[1]", dims[1], 1);
  const nz = requireInteger("dims[2]", dims[2], 1);
  const n = nx * ny * nz;
  if (!(mask instanceof Uint8Array) || mask.length !== n) {
    throw new RangeError(
      `mask must be a Uint8Array of length nx·ny·nz = ${n}, got ${show((mask as { length?: number } | null)?.length)}`,
    );
  }
  let labels = options.labelsOut;
  if (labels !== undefined) {
    if (labels.length !== n)
      throw new RangeError(`labelsOut.length must equal ${n}, got ${labels.length}`);
    labels.fill(0);
  } else labels = new Int32Array(n);

  let fg = 0;
  for (let i = 0; i < n; i++) if (mask[i] !== 0) fg++;
  const order = new Int32Array(fg);
  const starts = new Int32Array(fg + 1);
  const nxy = nx * ny;
  const off = new Int32Array(26);
  {
    let t = 0;
    for (let dz = -1; dz <= 1; dz++)
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++)
          if (dx !== 0 || dy !== 0 || dz !== 0) off[t++] = dx + dy * nx + dz * nxy;
  }
  const onProgress = options.onProgress;
  const step = Math.max(1, Math.floor(n / 20));
  let nextReport = step;
  let head = 0;
  let tail = 0;
  let label = 0;
  for (let s = 0; s < n; s++) {
    if (onProgress !== undefined && s >= nextReport) {
      onProgress(s / n);
      nextReport += step;
    }
    if (mask[s] === 0 || labels[s] !== 0) continue;
    starts[label] = tail;
    label++;
    labels[s] = label;
    order[tail++] = s;
    while (head < tail) {
      const p = order[head++]!;
      const z = (p / nxy) | 0;
      const rem = p - z * nxy;
      const y = (rem / nx) | 0;
      const x = rem - y * nx;
      if (x > 0 && x < nx - 1 && y > 0 && y < ny - 1 && z > 0 && z < nz - 1) {
        for (let t = 0; t < 26; t++) {
          const q = p + off[t]!;
          if (mask[q] !== 0 && labels[q] === 0) {
            labels[q] = label;
            order[tail++] = q;
          }
        }
      } else {
        const z0 = z > 0 ? -1 : 0;
        const z1 = z < nz - 1 ? 1 : 0;
        const y0 = y > 0 ? -1 : 0;
        const y1 = y < ny - 1 ? 1 : 0;
        const x0 = x > 0 ? -1 : 0;
        const x1 = x < nx - 1 ? 1 : 0;
        for (let dz = z0; dz <= z1; dz++) {
          for (let dy = y0; dy <= y1; dy++) {
            const row = p + dz * nxy + dy * nx;
            for (let dx = x0; dx <= x1; dx++) {
              const q = row + dx;
              if (mask[q] !== 0 && labels[q] === 0) {
                labels[q] = label;
                order[tail++] = q;
              }
            }
          }
        }
      }
    }
  }
  starts[label] = tail;
  onProgress?.(1);
  return { labels, count: label, voxelOrder: order, componentStart: starts.slice(0, label + 1) };
}

/**
 * @internal
 * Fused threshold + 26-connected labelling straight from the SUV data (one pass, no mask):
 * foreground = data ≥ threshold (threshold already rounded to float32) and, when given, roi ≠ 0.
 * Same output layout as {@link labelComponents26}; the queue grows geometrically.
 */
export function labelAboveThreshold26(
  data: Float32Array,
  dims: readonly [number, number, number],
  threshold: number,
  roi: Uint8Array | undefined,
  labels: Int32Array,
  onProgress?: (fraction: number) => void,
): ComponentLabels {
  const [nx, ny, nz] = dims;
  const n = nx * ny * nz;
  const nxy = nx * ny;
  const t = threshold;
  const noRoi = roi === undefined;
  const r = roi ?? new Uint8Array(0);
  let order: Int32Array = new Int32Array(Math.min(n, 1 << 16));
  let starts: Int32Array = new Int32Array(256);
  const off = new Int32Array(26);
  {
    let k = 0;
    for (let dz = -1; dz <= 1; dz++)
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++)
          if (dx !== 0 || dy !== 0 || dz !== 0) off[k++] = dx + dy * nx + dz * nxy;
  }
  const step = Math.max(1, Math.floor(n / 20));
  let nextReport = step;
  let head = 0;
  let tail = 0;
  let label = 0;
  for (let s = 0; s < n; s++) {
    if (!(data[s]! >= t) || labels[s] !== 0 || (!noRoi && r[s] === 0)) {
      if (onProgress !== undefined && s >= nextReport) {
        onProgress(s / n);
        nextReport += step;
      }
      continue;
    }
    if (label + 1 >= starts.length) {
      const grown = new Int32Array(starts.length * 2);
      grown.set(starts);
      starts = grown;
    }
    starts[label] = tail;
    label++;
    labels[s] = label;
    if (tail === order.length) order = grow(order, n);
    order[tail++] = s;
    while (head < tail) {
      const p = order[head++]!;
      const z = (p / nxy) | 0;
      const rem = p - z * nxy;
      const y = (rem / nx) | 0;
      const x = rem - y * nx;
      if (tail + 26 > order.length) order = grow(order, n);
      if (x > 0 && x < nx - 1 && y > 0 && y < ny - 1 && z > 0 && z < nz - 1) {
        for (let k = 0; k < 26; k++) {
          const q = p + off[k]!;
          if (data[q]! >= t && labels[q] === 0 && (noRoi || r[q] !== 0)) {
            labels[q] = label;
            order[tail++] = q;
          }
        }
      } else {
        const z0 = z > 0 ? -1 : 0;
        const z1 = z < nz - 1 ? 1 : 0;
        const y0 = y > 0 ? -1 : 0;
        const y1 = y < ny - 1 ? 1 : 0;
        const x0 = x > 0 ? -1 : 0;
        const x1 = x < nx - 1 ? 1 : 0;
        for (let dz = z0; dz <= z1; dz++) {
          for (let dy = y0; dy <= y1; dy++) {
            const row = p + dz * nxy + dy * nx;
            for (let dx = x0; dx <= x1; dx++) {
              const q = row + dx;
              if (data[q]! >= t && labels[q] === 0 && (noRoi || r[q] !== 0)) {
                labels[q] = label;
                order[tail++] = q;
              }
            }
          }
        }
      }
    }
  }
  if (label + 1 > starts.length) {
    const grown = new Int32Array(label + 1);
    grown.set(starts.subarray(0, label));
    starts = grown;
  }
  starts[label] = tail;
  onProgress?.(1);
  return {
    labels,
    count: label,
    voxelOrder: order.subarray(0, tail),
    componentStart: starts.slice(0, label + 1),
  };
}

function grow(a: Int32Array, cap: number): Int32Array {
  const b = new Int32Array(Math.min(cap, Math.max(a.length * 2, a.length + 27)));
  b.set(a);
  return b;
}
