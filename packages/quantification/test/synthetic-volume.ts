/**
 * Deterministic synthetic SSTR-PET-like SUV volume for tests and benchmarks (no real data):
 * uniform background noise, an ellipsoidal liver and spherical lesions with a parabolic profile.
 */
import type { Volume } from "../src/volume/geometry.js";

export interface SyntheticLesion {
  readonly centreIndex: [number, number, number];
  readonly radiusMm: number;
  readonly peakSuv: number;
}

export interface SyntheticPet {
  readonly volume: Volume;
  readonly lesions: readonly SyntheticLesion[];
  readonly liverCentreMm: [number, number, number];
}

/** Park–Miller style LCG in [0, 1). */
export function lcg(seed: number): () => number {
  let s = seed % 2147483647 || 1;
  return () => {
    s = (s * 16807) % 2147483647;
    return (s - 1) / 2147483646;
  };
}

export function makeSyntheticPet(
  opts: {
    dims?: [number, number, number];
    spacingMm?: [number, number, number];
    lesionCount?: number;
    seed?: number;
  } = {},
): SyntheticPet {
  const dims = opts.dims ?? [192, 192, 400];
  const spacingMm = opts.spacingMm ?? [3.65, 3.65, 2.0];
  const [nx, ny, nz] = dims;
  const [sx, sy, sz] = spacingMm;
  const rnd = lcg(opts.seed ?? 12345);
  const data = new Float32Array(nx * ny * nz);
  for (let i = 0; i < data.length; i++) data[i] = 0.5 + rnd(); // background SUV 0.5–1.5
  // Liver: ellipsoid, SUV 5 ± 0.5
  const lc: [number, number, number] = [
    Math.floor(nx * 0.35),
    Math.floor(ny * 0.5),
    Math.floor(nz * 0.6),
  ];
  const la = [80 / sx, 60 / sy, 70 / sz];
  for (
    let k = Math.max(0, Math.floor(lc[2] - la[2]!));
    k <= Math.min(nz - 1, Math.ceil(lc[2] + la[2]!));
    k++
  )
    for (
      let j = Math.max(0, Math.floor(lc[1] - la[1]!));
      j <= Math.min(ny - 1, Math.ceil(lc[1] + la[1]!));
      j++
    )
      for (
        let i = Math.max(0, Math.floor(lc[0] - la[0]!));
        i <= Math.min(nx - 1, Math.ceil(lc[0] + la[0]!));
        i++
      ) {
        const e =
          ((i - lc[0]) / la[0]!) ** 2 + ((j - lc[1]) / la[1]!) ** 2 + ((k - lc[2]) / la[2]!) ** 2;
        if (e <= 1) data[i + j * nx + k * nx * ny] = 4.5 + rnd();
      }
  // Lesions on a coarse grid so they never touch.
  const lesions: SyntheticLesion[] = [];
  const count = opts.lesionCount ?? 40;
  const gx = 4;
  const gy = 2;
  const gz = Math.ceil(count / (gx * gy));
  for (let t = 0; t < count; t++) {
    const a = t % gx;
    const b = Math.floor(t / gx) % gy;
    const c = Math.floor(t / (gx * gy));
    const centreIndex: [number, number, number] = [
      Math.floor(((a + 0.5) * nx) / gx),
      Math.floor(((b + 0.5) * ny) / gy),
      Math.floor(((c + 0.5) * nz) / gz),
    ];
    const radiusMm = 6 + 14 * rnd();
    const peakSuv = 12 + 28 * rnd();
    lesions.push({ centreIndex, radiusMm, peakSuv });
    const ri = Math.ceil(radiusMm / sx);
    const rj = Math.ceil(radiusMm / sy);
    const rk = Math.ceil(radiusMm / sz);
    for (let k = -rk; k <= rk; k++)
      for (let j = -rj; j <= rj; j++)
        for (let i = -ri; i <= ri; i++) {
          const d2 = (i * sx) ** 2 + (j * sy) ** 2 + (k * sz) ** 2;
          if (d2 > radiusMm * radiusMm) continue;
          const x = centreIndex[0] + i;
          const y = centreIndex[1] + j;
          const z = centreIndex[2] + k;
          if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) continue;
          data[x + y * nx + z * nx * ny] = peakSuv * (1 - 0.5 * (d2 / (radiusMm * radiusMm)));
        }
  }
  return {
    volume: {
      data,
      geometry: {
        dims,
        spacingMm,
        originMm: [-350, -350, -800],
        direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
      },
    },
    lesions,
    liverCentreMm: [-350 + lc[0] * sx, -350 + lc[1] * sy, -800 + lc[2] * sz],
  };
}
