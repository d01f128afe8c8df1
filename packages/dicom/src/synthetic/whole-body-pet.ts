/**
 * Deterministic synthetic whole-body PET (SSTR-PET-like uptake pattern) for tests and benchmarks:
 * body outline (legs, trunk, neck, head), liver, spleen, kidneys, bladder and spherical lesions
 * of varied size and uptake. Values are activity concentration (Bq/mL) decay-corrected to the
 * series start, so SUVbw = value × weight[g] / (dose[Bq] · 2^(−Δt/T½)) recovers the SUVs below.
 */
import type { VolumeGeometry } from "../volume.js";
import type { SyntheticPetMetadata } from "./pet-series-writer.js";
import { mulberry32 } from "./prng.js";

/** Parameters of {@link generateWholeBodyPet}. All optional. */
export interface WholeBodyPetOptions {
  /** Columns (x). Default 192. */
  nx?: number;
  /** Rows (y). Default 192. */
  ny?: number;
  /** Slices (z, feet → head). Default 400. */
  nz?: number;
  /** Number of lesions. Default 40. */
  lesions?: number;
  /** PRNG seed. Default 1. */
  seed?: number;
  /** Voxel size [sx, sy, sz] mm. Default [3.6458, 3.6458, 4] (700 mm FOV, 1.6 m axial for 400 slices). */
  spacingMm?: [number, number, number];
  /** Patient weight, kg. Default 75. */
  weightKg?: number;
  /** Administered activity, Bq. Default 150 MBq. */
  injectedActivityBq?: number;
  /** Half-life, s. Default 68Ga 4062.6 s (radionuclides.md §2, ENSDF). */
  halfLifeS?: number;
  /** Injection → series start, s. Default 3600. */
  uptakeTimeS?: number;
  /** Gaussian noise, standard deviation as a fraction of the local value. Default 0 (noise-free). */
  noiseFraction?: number;
}

/** Ground truth of one lesion. */
export interface SyntheticLesion {
  id: number;
  /** Centre in patient coordinates (mm). */
  centreMm: [number, number, number];
  radiusMm: number;
  /** SUVbw inside the sphere (noise-free). */
  suv: number;
  /** Activity concentration inside the sphere, Bq/mL. */
  concentrationBqPerMl: number;
  /** Organ the lesion sits in. */
  site: "liver" | "soft-tissue";
}

/** Output of {@link generateWholeBodyPet}. */
export interface SyntheticWholeBodyPet {
  /** Bq/mL, x fastest, then y, then z. */
  data: Float32Array;
  geometry: VolumeGeometry;
  lesions: SyntheticLesion[];
  /** Bq/mL per unit SUVbw (= dose · decay / weight[g]). */
  bqPerMlPerSuv: number;
  /** Header content consistent with the volume, for {@link writePetSeries}. */
  metadata: SyntheticPetMetadata;
  /** SUVs of the reference organs / background used. */
  organSuv: Record<
    "background" | "legs" | "head" | "liver" | "spleen" | "kidney" | "bladder",
    number
  >;
}

interface Ellipsoid {
  c: [number, number, number];
  r: [number, number, number];
  suv: number;
}

const ORGAN_SUV = {
  background: 1.0,
  legs: 0.7,
  head: 0.8,
  liver: 7,
  spleen: 18,
  kidney: 14,
  bladder: 30,
} as const;

/**
 * Generates the synthetic whole-body PET volume and its lesion ground truth.
 *
 * Layout (mm, x = patient left, y = posterior, z = height above the feet; LPS axes): legs
 * 0–45 % of the axial length, trunk 45–82 %, neck 82–86 %, head 86–98 %; liver on the patient's
 * right (x < 0), spleen left-posterior, kidneys posterior. Lesion radii 4–20 mm (log-uniform),
 * SUV 4–40 (log-uniform), 40 % in the liver, the rest in the trunk, non-overlapping.
 *
 * @param options - size, seed, physics parameters.
 * @returns volume (Bq/mL), geometry, lesion ground truth and matching PET header metadata.
 * @throws RangeError for non-positive dimensions or lesion count < 0.
 */
export function generateWholeBodyPet(options: WholeBodyPetOptions = {}): SyntheticWholeBodyPet {
  const nx = options.nx ?? 192;
  const ny = options.ny ?? 192;
  const nz = options.nz ?? 400;
  const nLesions = options.lesions ?? 40;
  if (!(nx > 0 && ny > 0 && nz > 0) || !Number.isInteger(nx * ny * nz))
    throw new RangeError(`dims must be positive integers, got ${nx}x${ny}x${nz}`);
  if (!(nLesions >= 0)) throw new RangeError(`lesions must be >= 0, got ${nLesions}`);
  const seed = options.seed ?? 1;
  const rnd = mulberry32(seed);
  const [sx, sy, sz] = options.spacingMm ?? [700 / 192, 700 / 192, 4];
  const weightKg = options.weightKg ?? 75;
  const dose = options.injectedActivityBq ?? 150e6;
  const halfLife = options.halfLifeS ?? 4062.6;
  const uptake = options.uptakeTimeS ?? 3600;
  const bqPerSuv = (dose * Math.pow(2, -uptake / halfLife)) / (weightKg * 1000);

  const origin: [number, number, number] = [
    -((nx - 1) / 2) * sx,
    -((ny - 1) / 2) * sy,
    -((nz - 1) * sz),
  ];
  const geometry: VolumeGeometry = {
    dims: [nx, ny, nz],
    spacingMm: [sx, sy, sz],
    originMm: origin,
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
  };
  const H = nz * sz;
  // Scale the body to the transverse FOV (reference FOV 700 mm).
  const fov = Math.min(nx * sx, ny * sy);
  const g = fov / 700;
  const data = new Float32Array(nx * ny * nz);
  const slice = nx * ny;

  // Body outline, slice by slice.
  for (let k = 0; k < nz; k++) {
    const h = (k + 0.5) * sz;
    const f = h / H;
    const shapes: { cx: number; a: number; b: number; suv: number }[] = [];
    if (f < 0.45) {
      const r = (45 + 20 * (f / 0.45)) * g;
      shapes.push(
        { cx: -90 * g, a: r, b: r, suv: ORGAN_SUV.legs },
        { cx: 90 * g, a: r, b: r, suv: ORGAN_SUV.legs },
      );
    } else if (f < 0.82) shapes.push({ cx: 0, a: 170 * g, b: 110 * g, suv: ORGAN_SUV.background });
    else if (f < 0.86) shapes.push({ cx: 0, a: 55 * g, b: 55 * g, suv: ORGAN_SUV.background });
    else if (f < 0.98) shapes.push({ cx: 0, a: 80 * g, b: 95 * g, suv: ORGAN_SUV.head });
    const off = k * slice;
    for (const sh of shapes) {
      const ia = 1 / (sh.a * sh.a);
      const ib = 1 / (sh.b * sh.b);
      const v = sh.suv * bqPerSuv;
      for (let j = 0; j < ny; j++) {
        const y = origin[1] + j * sy;
        const yy = y * y * ib;
        if (yy > 1) continue;
        const row = off + j * nx;
        for (let i = 0; i < nx; i++) {
          const x = origin[0] + i * sx - sh.cx;
          if (x * x * ia + yy <= 1) data[row + i] = v;
        }
      }
    }
  }
  const zOf = (frac: number): number => origin[2] + frac * H;
  const organs: Ellipsoid[] = [
    { c: [-60 * g, 0, zOf(0.7)], r: [80 * g, 70 * g, 80], suv: ORGAN_SUV.liver },
    { c: [90 * g, 30 * g, zOf(0.71)], r: [35 * g, 30 * g, 50], suv: ORGAN_SUV.spleen },
    { c: [-70 * g, 50 * g, zOf(0.63)], r: [30 * g, 25 * g, 55], suv: ORGAN_SUV.kidney },
    { c: [70 * g, 50 * g, zOf(0.63)], r: [30 * g, 25 * g, 55], suv: ORGAN_SUV.kidney },
    { c: [0, 0, zOf(0.47)], r: [35 * g, 30 * g, 30], suv: ORGAN_SUV.bladder },
  ];
  const paint = (e: Ellipsoid, value: number): void => {
    const i0 = Math.max(0, Math.floor((e.c[0] - e.r[0] - origin[0]) / sx));
    const i1 = Math.min(nx - 1, Math.ceil((e.c[0] + e.r[0] - origin[0]) / sx));
    const j0 = Math.max(0, Math.floor((e.c[1] - e.r[1] - origin[1]) / sy));
    const j1 = Math.min(ny - 1, Math.ceil((e.c[1] + e.r[1] - origin[1]) / sy));
    const k0 = Math.max(0, Math.floor((e.c[2] - e.r[2] - origin[2]) / sz));
    const k1 = Math.min(nz - 1, Math.ceil((e.c[2] + e.r[2] - origin[2]) / sz));
    for (let k = k0; k <= k1; k++) {
      const dz = (origin[2] + k * sz - e.c[2]) / e.r[2];
      for (let j = j0; j <= j1; j++) {
        const dy = (origin[1] + j * sy - e.c[1]) / e.r[1];
        const base = k * slice + j * nx;
        for (let i = i0; i <= i1; i++) {
          const dx = (origin[0] + i * sx - e.c[0]) / e.r[0];
          if (dx * dx + dy * dy + dz * dz <= 1) data[base + i] = value;
        }
      }
    }
  };
  for (const o of organs) paint(o, o.suv * bqPerSuv);

  const liver = organs[0] as Ellipsoid;
  const lesions: SyntheticLesion[] = [];
  const logUniform = (lo: number, hi: number): number => lo * Math.pow(hi / lo, rnd());
  for (let n = 0; n < nLesions; n++) {
    const r = logUniform(4, 20);
    const suv = logUniform(4, 40);
    const inLiver = rnd() < 0.4;
    let placed: [number, number, number] | undefined;
    for (let attempt = 0; attempt < 200 && placed === undefined; attempt++) {
      let c: [number, number, number];
      if (inLiver) {
        // uniform inside the inner 60 % of the liver ellipsoid (rejection sampling in the unit ball)
        let u: [number, number, number] = [0, 0, 0];
        for (let t = 0; t < 20; t++) {
          u = [rnd() * 2 - 1, rnd() * 2 - 1, rnd() * 2 - 1];
          if (u[0] * u[0] + u[1] * u[1] + u[2] * u[2] <= 1) break;
          u = [0, 0, 0];
        }
        c = [
          liver.c[0] + u[0] * 0.6 * liver.r[0],
          liver.c[1] + u[1] * 0.6 * liver.r[1],
          liver.c[2] + u[2] * 0.6 * liver.r[2],
        ];
      } else {
        const ang = rnd() * 2 * Math.PI;
        const rad = Math.sqrt(rnd()) * 0.75;
        c = [Math.cos(ang) * rad * 170 * g, Math.sin(ang) * rad * 110 * g, zOf(0.5 + rnd() * 0.3)];
      }
      const clear = lesions.every(
        (l) =>
          Math.hypot(l.centreMm[0] - c[0], l.centreMm[1] - c[1], l.centreMm[2] - c[2]) >
          l.radiusMm + r + 2,
      );
      if (clear) placed = c;
    }
    if (placed === undefined) continue;
    const lesion: SyntheticLesion = {
      id: lesions.length + 1,
      centreMm: placed,
      radiusMm: r,
      suv,
      concentrationBqPerMl: suv * bqPerSuv,
      site: inLiver ? "liver" : "soft-tissue",
    };
    lesions.push(lesion);
    paint({ c: placed, r: [r, r, r], suv }, lesion.concentrationBqPerMl);
  }
  const noise = options.noiseFraction ?? 0;
  if (noise > 0) {
    for (let i = 0; i < data.length; i += 2) {
      const u1 = Math.max(rnd(), 1e-12);
      const u2 = rnd();
      const m = Math.sqrt(-2 * Math.log(u1));
      const a = data[i] as number;
      data[i] = Math.max(0, a * (1 + noise * m * Math.cos(2 * Math.PI * u2)));
      if (i + 1 < data.length) {
        const b = data[i + 1] as number;
        data[i + 1] = Math.max(0, b * (1 + noise * m * Math.sin(2 * Math.PI * u2)));
      }
    }
  }
  // Header: series 2024-03-05 10:30:00, injection `uptake` seconds earlier (same day if possible).
  const seriesS = 10 * 3600 + 30 * 60;
  const injS = seriesS - uptake;
  const dayShift = Math.floor(injS / 86400);
  const injDay = new Date(Date.UTC(2024, 2, 5 + dayShift));
  const tod = injS - dayShift * 86400;
  const p = (v: number, w = 2): string => String(Math.floor(v)).padStart(w, "0");
  const injDT = `${injDay.getUTCFullYear()}${p(injDay.getUTCMonth() + 1)}${p(injDay.getUTCDate())}${p(tod / 3600)}${p((tod % 3600) / 60)}${p(tod % 60)}`;
  const metadata: SyntheticPetMetadata = {
    patientId: `SYNTH-${seed}`,
    patientSex: "O",
    patientWeightKg: weightKg,
    uidKey: `lutetia-wb-pet/${seed}/${nx}x${ny}x${nz}/${nLesions}`,
    seriesDate: "20240305",
    seriesTime: "103000",
    radiopharmaceutical: halfLife === 4062.6 ? "Ga-68 DOTATATE (synthetic)" : "synthetic tracer",
    radionuclideCodeMeaning: halfLife === 4062.6 ? "^68^Gallium" : undefined,
    radionuclideHalfLifeS: halfLife,
    radionuclideTotalDoseBq: dose,
    radiopharmaceuticalStartDateTime: injDT,
    seriesDescription: "Synthetic whole-body PET",
  };
  return { data, geometry, lesions, bqPerMlPerSuv: bqPerSuv, metadata, organSuv: { ...ORGAN_SUV } };
}
