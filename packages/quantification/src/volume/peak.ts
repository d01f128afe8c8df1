import { requirePositive } from "../internal/validate.js";
import type { VolumeGeometry } from "./geometry.js";

/**
 * Radius of a sphere of volume V: r = (3V / 4π)^(1/3). For PERCIST SUVpeak V = 1 cm³ →
 * r = 6.2035 mm, diameter (6/π)^(1/3) cm = 12.407 mm (reference/suv.md §3, SUVpeak row).
 *
 * @param volumeMl sphere volume in mL (> 0).
 * @returns radius in mm.
 * @throws TypeError/RangeError when `volumeMl` is not a finite number > 0.
 */
export function sphereRadiusMm(volumeMl: number): number {
  requirePositive("volumeMl", volumeMl);
  return Math.cbrt((3 * volumeMl * 1000) / (4 * Math.PI));
}

/**
 * Precomputed voxel offsets of a sphere on a grid: all (di, dj, dk) whose voxel centre lies
 * within `radiusMm` of the centre voxel's centre ((di·sx)² + (dj·sy)² + (dk·sz)² ≤ r²).
 * @internal
 */
export interface SphereKernel {
  readonly di: Int32Array;
  readonly dj: Int32Array;
  readonly dk: Int32Array;
  /** Linear offsets di + dj·nx + dk·nx·ny. */
  readonly linear: Int32Array;
  /** Half-extent in voxels along each axis. */
  readonly reach: readonly [number, number, number];
  readonly count: number;
}

/** @internal Builds the offset list once per geometry and radius. */
export function sphereKernel(g: VolumeGeometry, radiusMm: number): SphereKernel {
  const [sx, sy, sz] = g.spacingMm;
  const [nx, ny] = g.dims;
  const ri = Math.floor(radiusMm / sx);
  const rj = Math.floor(radiusMm / sy);
  const rk = Math.floor(radiusMm / sz);
  const r2 = radiusMm * radiusMm * (1 + 1e-12);
  const di: number[] = [];
  const dj: number[] = [];
  const dk: number[] = [];
  for (let k = -rk; k <= rk; k++) {
    for (let j = -rj; j <= rj; j++) {
      for (let i = -ri; i <= ri; i++) {
        const d2 = (i * sx) ** 2 + (j * sy) ** 2 + (k * sz) ** 2;
        if (d2 <= r2) {
          di.push(i);
          dj.push(j);
          dk.push(k);
        }
      }
    }
  }
  const linear = new Int32Array(di.length);
  for (let t = 0; t < di.length; t++) linear[t] = di[t]! + dj[t]! * nx + dk[t]! * nx * ny;
  return {
    di: Int32Array.from(di),
    dj: Int32Array.from(dj),
    dk: Int32Array.from(dk),
    linear,
    reach: [ri, rj, rk],
    count: di.length,
  };
}

/** @internal Result of {@link peakOverCentres}. */
export interface PeakResult {
  /** Highest sphere mean. */
  value: number;
  /** Linear index of the centre voxel achieving it (-1 when no centre). */
  centre: number;
  /** Number of voxels averaged at that centre (fewer at the image border). */
  voxels: number;
}

/**
 * @internal
 * SUVpeak: the highest mean of the voxels inside a sphere, over candidate centres
 * `centres[from..to)` (reference/suv.md §3: 1 cm³ sphere placed anywhere in the lesion,
 * centred on lesion voxels; voxels whose centre lies in the sphere, unweighted; sphere voxels
 * outside the image are skipped). Cost O(centres × kernel), no allocation.
 */
export function peakOverCentres(
  data: Float32Array,
  g: VolumeGeometry,
  kernel: SphereKernel,
  centres: Int32Array,
  from: number,
  to: number,
): PeakResult {
  const [nx, ny, nz] = g.dims;
  const nxy = nx * ny;
  const [ri, rj, rk] = kernel.reach;
  const lin = kernel.linear;
  const kc = kernel.count;
  const kdi = kernel.di;
  const kdj = kernel.dj;
  const kdk = kernel.dk;
  let best = Number.NEGATIVE_INFINITY;
  let bestCentre = -1;
  let bestVoxels = 0;
  for (let q = from; q < to; q++) {
    const p = centres[q]!;
    const z = (p / nxy) | 0;
    const rem = p - z * nxy;
    const y = (rem / nx) | 0;
    const x = rem - y * nx;
    let sum = 0;
    let cnt = 0;
    if (x >= ri && x < nx - ri && y >= rj && y < ny - rj && z >= rk && z < nz - rk) {
      for (let t = 0; t < kc; t++) sum += data[p + lin[t]!]!;
      cnt = kc;
    } else {
      for (let t = 0; t < kc; t++) {
        const xi = x + kdi[t]!;
        const yj = y + kdj[t]!;
        const zk = z + kdk[t]!;
        if (xi < 0 || xi >= nx || yj < 0 || yj >= ny || zk < 0 || zk >= nz) continue;
        sum += data[p + lin[t]!]!;
        cnt++;
      }
    }
    const mean = sum / cnt;
    if (mean > best) {
      best = mean;
      bestCentre = p;
      bestVoxels = cnt;
    }
  }
  return { value: best, centre: bestCentre, voxels: bestVoxels };
}
