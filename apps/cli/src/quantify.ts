import {
  extractPetMetadata,
  geometryWithAxisColumns,
  readSeries,
  runPetQa,
  type AppliedOverride,
  type Finding,
  type NamedBytes,
  type PetQaOverrides,
  type SeriesVolume,
} from "@lutetia/dicom";
import {
  applyPerSliceRescale,
  applyScaleFactor,
  computeSuvFactors,
  liverReferenceStats,
  percistLiverThreshold,
  relativeThresholdInVoi,
  segmentLesions,
  type SuvFactorsOk,
  type SuvReason,
} from "@lutetia/quantification";

export type SuvType = "bw" | "lbm-james" | "lbm-janma" | "bsa";
export type ThresholdMethod =
  | { kind: "threshold"; suv: number }
  | { kind: "percent-max"; percent: number }
  | { kind: "percist"; liverCentreMm: [number, number, number] };

export interface QuantifyOptions {
  method: ThresholdMethod;
  suv: SuvType;
  minVolumeMl: number;
  peak: boolean;
  /** Explicit values that override header attributes in the QA gate (reported in the output). */
  overrides?: PetQaOverrides;
  onProgress?: (phase: string, fraction: number) => void;
}

export interface QuantifyComponent {
  volumeMl: number;
  suvMax: number;
  suvMean: number;
  suvPeak: number | null;
  tlg: number;
  centroidMm: [number, number, number];
  voxelCount: number;
}

/** The stable `--format json` contract (documented in README "lutetia quantify"). */
export interface QuantifyResult {
  ok: true;
  series: { seriesInstanceUid: string | null; modality: string | null; dims: [number, number, number]; spacingMm: [number, number, number]; slices: number };
  /** SUVbw factor, g/mL per Bq/mL (per rescaled pixel unit). */
  suvScaleFactor: number;
  /** The factor actually applied for the chosen SUV type (equals suvScaleFactor for bw). */
  appliedFactor: number;
  suvType: SuvType;
  suvMethod: string;
  lbmFormula: string | null;
  decayS: number | null;
  qa: Finding[];
  overridesApplied: AppliedOverride[];
  suvWarnings: SuvReason[];
  threshold: { method: string; value: number; liverMean?: number; liverSd?: number; suvMax?: number };
  components: QuantifyComponent[];
  totals: { componentCount: number; tmtvMl: number; totalTlg: number; droppedComponents: number };
  timingsMs: Record<string, number>;
}

export interface QuantifyRefusal {
  ok: false;
  stage: "qa" | "suv";
  qa: Finding[];
  reasons: SuvReason[];
  /** Bq/mL per pixel unit when activity concentration is still available. */
  activityConcentrationPerUnit: number | null;
}

/** Thrown for bad command-line input (the CLI prints it and exits 64). */
export class UsageError extends Error {}

function factorFor(s: SuvFactorsOk, type: SuvType): number {
  const f = type === "bw" ? s.suvbw : type === "lbm-james" ? s.sulJames : type === "lbm-janma" ? s.sulJanma : s.suvbsa;
  if (f === undefined) {
    throw new UsageError(`--suv ${type} needs PatientSize (0010,1020) and PatientSex (0010,0040) in the header; use --suv bw`);
  }
  return f;
}

/**
 * Reads one PET series, runs the QA gate and the SUV computation, converts to SUV per slice
 * (per-instance factors, e.g. Philips CNTS, are applied slice by slice), segments
 * 26-connected components at the chosen threshold (inclusive, SUV ≥ t) and returns the
 * component table sorted by SUVmax. Pure apart from the timing clock; no file I/O.
 */
export async function quantifySeries(files: NamedBytes[], opts: QuantifyOptions): Promise<QuantifyResult | QuantifyRefusal> {
  const t: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    t[name] = +(now - t0).toFixed(1);
    t0 = now;
  };
  const vol: SeriesVolume = await readSeries(files, { onProgress: (f) => opts.onProgress?.("read", f) });
  lap("readDecode");

  const metas = vol.instances.map((i) => extractPetMetadata(i));
  const qa = runPetQa(metas, { overrides: opts.overrides ?? {} });
  if (qa.blocking) return { ok: false, stage: "qa", qa: qa.findings, reasons: [], activityConcentrationPerUnit: null };
  const suv = computeSuvFactors(qa.effective);
  if (!suv.ok) return { ok: false, stage: "suv", qa: qa.findings, reasons: [...suv.reasons], activityConcentrationPerUnit: suv.activityConcentrationPerUnit };
  const suvType: SuvType = opts.method.kind === "percist" && opts.suv === "bw" ? "lbm-james" : opts.suv;
  const base = factorFor(suv, suvType);
  // Per-slice factors: map each slice to its instance's SUVbw factor, scaled to the chosen type.
  const perInstance = new Map<string, number>();
  vol.instances.forEach((inst, i) => {
    if (inst.sopInstanceUid) perInstance.set(inst.sopInstanceUid, (suv.suvbwPerInstance[i] ?? suv.suvbw) * (base / suv.suvbw));
  });
  const uniform = suv.suvbwPerInstance.every((f) => Math.abs(f - suv.suvbw) <= 1e-12 * Math.abs(suv.suvbw));
  const [nx, ny, nz] = vol.geometry.dims;
  if (uniform) {
    applyScaleFactor(vol.data, base);
  } else {
    const factors = vol.slices.map((s) => (s.sopInstanceUid ? (perInstance.get(s.sopInstanceUid) ?? base) : base));
    // vol.data already holds rescaled values; slope 1 / intercept 0 applies only the factors.
    applyPerSliceRescale(vol.data, nx * ny, new Float64Array(nz).fill(1), new Float64Array(nz), factors, vol.data);
  }
  lap("suv");

  const volume = { data: vol.data, geometry: geometryWithAxisColumns(vol.geometry) };
  let threshold: QuantifyResult["threshold"];
  if (opts.method.kind === "threshold") {
    threshold = { method: `fixed SUV ≥ ${opts.method.suv}`, value: opts.method.suv };
  } else if (opts.method.kind === "percent-max") {
    const whole = new Uint8Array(vol.data.length).fill(1);
    const r = relativeThresholdInVoi(volume, whole, opts.method.percent / 100);
    threshold = { method: `${opts.method.percent}% of SUVmax (whole volume)`, value: r.threshold, suvMax: r.suvMax };
  } else {
    const liver = liverReferenceStats(volume, opts.method.liverCentreMm);
    if (liver.voxelCount === 0) throw new UsageError(`--liver-mm ${opts.method.liverCentreMm.join(",")} is outside the volume`);
    threshold = { method: "PERCIST 1.5 × liver SULmean + 2 SD", value: percistLiverThreshold(liver.mean, liver.sd), liverMean: liver.mean, liverSd: liver.sd };
  }
  lap("threshold");

  const seg = segmentLesions(volume, {
    threshold: threshold.value,
    rule: threshold.method,
    minVolumeMl: opts.minVolumeMl,
    suvPeak: opts.peak,
    onProgress: (f) => opts.onProgress?.("segment", f),
  });
  lap(opts.peak ? "segmentStatsPeak" : "segmentStats");

  const components = [...seg.lesions]
    .sort((a, b) => b.suvMax - a.suvMax)
    .map((l) => ({
      volumeMl: l.volumeMl,
      suvMax: l.suvMax,
      suvMean: l.suvMean,
      suvPeak: l.suvPeak,
      tlg: l.tlg,
      centroidMm: [...l.centroidMm] as [number, number, number],
      voxelCount: l.voxelCount,
    }));
  return {
    ok: true,
    series: {
      seriesInstanceUid: vol.seriesInstanceUid ?? null,
      modality: vol.modality ?? null,
      dims: [...vol.geometry.dims] as [number, number, number],
      spacingMm: [...vol.geometry.spacingMm] as [number, number, number],
      slices: vol.slices.length,
    },
    suvScaleFactor: suv.suvbw,
    appliedFactor: base,
    suvType,
    suvMethod: suv.method,
    lbmFormula: suvType === "lbm-james" ? "James-128 (suv.md §1.1)" : suvType === "lbm-janma" ? "Janmahasatian (suv.md §1.1)" : null,
    decayS: suv.decayS,
    qa: [...qa.findings, ...vol.findings],
    overridesApplied: qa.overridesApplied,
    suvWarnings: [...suv.warnings],
    threshold,
    components,
    totals: { componentCount: components.length, tmtvMl: seg.tmtvMl, totalTlg: seg.totalTlg, droppedComponents: seg.droppedComponents },
    timingsMs: t,
  };
}
