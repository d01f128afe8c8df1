/**
 * Pure parts of the PET/SPECT viewer: which factor turns the volume's rescaled pixel values into
 * the displayed quantity (SUVbw, SUL or Bq/mL), SUV window presets, world ↔ voxel mapping and the
 * ROI shapes drawn in the viewports. No Cornerstone, no DOM: unit-tested in viewer-math.test.ts.
 *
 * The SUV factor is the SERVER's (GraphQL `DicomSeries.suv`, derived by @lutetia/quantification
 * computeSuvFactors / spectSuvbwFactor with the QA overrides in force), so the viewer shows the
 * same number the server stores: SUVbw = rescaled value × factor (reference/suv.md §1).
 */
import { indexToPatientMm, patientMmToIndex, type VolumeGeometry } from "@lutetia/quantification";

export type Vec3 = [number, number, number];

/** What the readout and the ROI statistics are expressed in. */
export type SuvMode = "SUVBW" | "SUL_JANMA" | "SUL_JAMES";

export const SUV_MODE_LABEL: Record<SuvMode, string> = {
  SUVBW: "SUVbw",
  SUL_JANMA: "SUL (Janmahasatian)",
  SUL_JAMES: "SUL (James)",
};

/** The parts of the server's SuvDerivation the viewer uses. */
export interface ServerSuv {
  readonly ok: boolean;
  readonly factor?: number | null;
  readonly perInstance: boolean;
  readonly sulJames?: number | null;
  readonly sulJanma?: number | null;
  readonly method?: string | null;
  readonly reasons: readonly { code: string; message: string }[];
}

/** Display scale: displayed = rescaled pixel value × perUnit, labelled `unit`. */
export interface DisplayScale {
  readonly perUnit: number;
  /** Label of the quantity, e.g. "SUVbw", "SUL (Janmahasatian)", "Bq/mL". */
  readonly unit: string;
  /** True when the value is an SUV/SUL (window presets apply). */
  readonly isSuv: boolean;
  /** Why SUV is not shown (QA reason) or why the chosen mode fell back; null when none. */
  readonly note: string | null;
}

/** Label of rescaled pixel values from DICOM Units (0054,1001) (PS3.3 C.8.9.1.1.3). */
export function rawUnitLabel(units: string | null | undefined): string {
  switch ((units ?? "").toUpperCase()) {
    case "BQML":
      return "Bq/mL";
    case "CNTS":
      return "counts";
    case "GML":
      return "g/mL";
    case "":
      return "pixel units";
    default:
      return units!.toUpperCase();
  }
}

/**
 * Chooses the factor for the wanted mode from the server's derivation.
 * SUVbw = v × factor; SUL = v × sulJanma (or sulJames), the server's SUVbw × LBM/weight per pixel
 * unit (reference/suv.md §1.1; Janmahasatian 2005 preferred, Tahari 2014). Without a server
 * factor (QA blocking, inputs missing, per-image factors) the values stay in `rawUnit` and the
 * QA reason is returned in `note`.
 */
export function displayScale(
  suv: ServerSuv | null | undefined,
  mode: SuvMode,
  rawUnit: string,
): DisplayScale {
  const raw = (note: string): DisplayScale => ({ perUnit: 1, unit: rawUnit, isSuv: false, note });
  if (!suv) return raw("No SUV derivation for this series (not PET/SPECT or not yet derived).");
  if (
    !suv.ok ||
    !(typeof suv.factor === "number" && suv.factor > 0 && Number.isFinite(suv.factor))
  ) {
    const why = suv.reasons.map((r) => `${r.code}: ${r.message}`).join("; ");
    return raw(`SUV not available — ${why || "no SUV factor"}`);
  }
  if (suv.perInstance) {
    return raw(
      "SUV not shown: this series has a different SUV factor per image (Philips private scale); the viewer applies one factor per series.",
    );
  }
  if (mode === "SUVBW") return { perUnit: suv.factor, unit: "SUVbw", isSuv: true, note: null };
  const sul = mode === "SUL_JANMA" ? suv.sulJanma : suv.sulJames;
  if (typeof sul === "number" && sul > 0 && Number.isFinite(sul))
    return { perUnit: sul, unit: SUV_MODE_LABEL[mode], isSuv: true, note: null };
  return {
    perUnit: suv.factor,
    unit: "SUVbw",
    isSuv: true,
    note: `${SUV_MODE_LABEL[mode]} not available from the server (patient height or sex missing): showing SUVbw.`,
  };
}

export interface WindowPreset {
  readonly id: string;
  readonly label: string;
  readonly lower: number;
  readonly upper: number;
}

/** SUV display windows commonly used for SSTR/FDG PET reading (issue 5: 0–5, 0–10, 0–20). */
export const SUV_WINDOW_PRESETS: readonly WindowPreset[] = [
  { id: "suv5", label: "0–5", lower: 0, upper: 5 },
  { id: "suv10", label: "0–10", lower: 0, upper: 10 },
  { id: "suv20", label: "0–20", lower: 0, upper: 20 },
];

/**
 * A window in displayed units → the VOI range in rescaled pixel units the volume holds.
 * @throws RangeError when perUnit is not > 0 or the window is empty.
 */
export function windowToPixelRange(
  lower: number,
  upper: number,
  perUnit: number,
): { lower: number; upper: number } {
  if (!(perUnit > 0) || !Number.isFinite(perUnit))
    throw new RangeError(`perUnit must be > 0, got ${perUnit}`);
  if (!(upper > lower))
    throw new RangeError(`window upper must exceed lower, got ${lower}–${upper}`);
  return { lower: lower / perUnit, upper: upper / perUnit };
}

/** VOI range in pixel units → window in displayed units. */
export function pixelRangeToWindow(
  lower: number,
  upper: number,
  perUnit: number,
): { lower: number; upper: number } {
  return { lower: lower * perUnit, upper: upper * perUnit };
}

/**
 * Geometry of a Cornerstone image volume in @lutetia/quantification's convention.
 * Cornerstone's `direction` is row-major with ROWS = axis directions (i, j, k); quantification's
 * `direction` has COLUMNS = axis directions, hence the transpose.
 */
export function geometryFromCornerstone(v: {
  dimensions: ArrayLike<number>;
  spacing: ArrayLike<number>;
  origin: ArrayLike<number>;
  direction: ArrayLike<number>;
}): VolumeGeometry {
  const d = v.direction;
  const at = (a: ArrayLike<number>, i: number) => Number(a[i]);
  return {
    dims: [at(v.dimensions, 0), at(v.dimensions, 1), at(v.dimensions, 2)],
    spacingMm: [at(v.spacing, 0), at(v.spacing, 1), at(v.spacing, 2)],
    originMm: [at(v.origin, 0), at(v.origin, 1), at(v.origin, 2)],
    direction: [
      at(d, 0),
      at(d, 3),
      at(d, 6),
      at(d, 1),
      at(d, 4),
      at(d, 7),
      at(d, 2),
      at(d, 5),
      at(d, 8),
    ],
  };
}

/** Nearest voxel index of a patient point (mm), or null when outside the grid. */
export function nearestVoxel(g: VolumeGeometry, pointMm: Vec3): Vec3 | null {
  const idx = patientMmToIndex(g, pointMm).map((x) => Math.round(x)) as Vec3;
  for (let a = 0; a < 3; a++) if (idx[a]! < 0 || idx[a]! >= g.dims[a]!) return null;
  return idx;
}

/** Centre of a voxel (mm). */
export function voxelCentreMm(g: VolumeGeometry, idx: Vec3): Vec3 {
  return indexToPatientMm(g, idx[0], idx[1], idx[2]);
}

/** Linear index (x fastest) of a voxel. */
export function linearIndex(g: VolumeGeometry, idx: Vec3): number {
  return idx[0] + idx[1] * g.dims[0] + idx[2] * g.dims[0] * g.dims[1];
}

/** Moves a voxel index by `delta`, clamped to the grid. */
export function stepVoxel(g: VolumeGeometry, idx: Vec3, delta: Vec3): Vec3 {
  return [0, 1, 2].map((a) => Math.min(g.dims[a]! - 1, Math.max(0, idx[a]! + delta[a]!))) as Vec3;
}

const dot = (a: readonly number[], b: readonly number[]) =>
  a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
const sub = (a: readonly number[], b: readonly number[]): Vec3 => [
  a[0]! - b[0]!,
  a[1]! - b[1]!,
  a[2]! - b[2]!,
];
const add = (a: readonly number[], b: readonly number[]): Vec3 => [
  a[0]! + b[0]!,
  a[1]! + b[1]!,
  a[2]! + b[2]!,
];
const scale = (a: readonly number[], s: number): Vec3 => [a[0]! * s, a[1]! * s, a[2]! * s];
const norm = (a: readonly number[]) => Math.sqrt(dot(a, a));

/**
 * Camera moved along its view-plane normal so that its plane passes through `pointMm`
 * (crosshair linking: every MPR view shows the slice through the shared point).
 */
export function cameraThrough<
  C extends {
    focalPoint: readonly number[];
    position: readonly number[];
    viewPlaneNormal: readonly number[];
  },
>(camera: C, pointMm: Vec3): { focalPoint: Vec3; position: Vec3 } {
  const n = camera.viewPlaneNormal;
  const len = norm(n) || 1;
  const unit = scale(n, 1 / len);
  const delta = scale(unit, dot(sub(pointMm, camera.focalPoint), unit));
  return { focalPoint: add(camera.focalPoint, delta), position: add(camera.position, delta) };
}

/** The shared point moved onto a view's plane (after that view scrolled): only the normal component changes. */
export function pointOntoPlane(
  pointMm: Vec3,
  focalPoint: readonly number[],
  viewPlaneNormal: readonly number[],
): Vec3 {
  const len = norm(viewPlaneNormal) || 1;
  const unit = scale(viewPlaneNormal, 1 / len);
  return add(pointMm, scale(unit, dot(sub(focalPoint, pointMm), unit)));
}

/** A VOI for @lutetia/quantification: sphere or image-axis-aligned ellipsoid (semi-axes along i, j, k). */
export type RoiShape =
  | { readonly kind: "sphere"; readonly centreMm: Vec3; readonly radiusMm: number }
  | { readonly kind: "ellipsoid"; readonly centreMm: Vec3; readonly semiAxesMm: Vec3 };

/** Circle ROI (Cornerstone CircleROITool handles: centre, a point on the rim) → sphere of the same radius. */
export function sphereFromCircle(points: readonly (readonly number[])[]): RoiShape {
  if (points.length < 2) throw new RangeError(`circle ROI needs 2 points, got ${points.length}`);
  const c = points[0]!;
  const r = norm(sub(points[1]!, c));
  if (!(r > 0)) throw new RangeError(`circle ROI radius must be > 0 mm, got ${r}`);
  return { kind: "sphere", centreMm: [c[0]!, c[1]!, c[2]!], radiusMm: r };
}

/**
 * Ellipse ROI (Cornerstone EllipticalROITool handles: bottom, top, left, right, in-plane) →
 * ellipsoid aligned with the volume's i, j, k axes. In-plane conjugate semi-axes u (top − centre)
 * and v (right − centre); the through-plane semi-axis w is along the view normal with the length
 * of the shorter in-plane one (a drawn ellipse says nothing about depth: documented choice). The
 * semi-axis along volume axis d is the support function √((u·d)² + (v·d)² + (w·d)²), exact when
 * the view is aligned with the volume axes (axial/coronal/sagittal of an axial acquisition).
 *
 * @param axes the volume's unit axis directions i, j, k (Cornerstone `direction` rows).
 */
export function ellipsoidFromEllipse(
  points: readonly (readonly number[])[],
  viewPlaneNormal: readonly number[],
  axes: readonly (readonly number[])[],
): RoiShape {
  if (points.length < 4) throw new RangeError(`ellipse ROI needs 4 points, got ${points.length}`);
  const [bottom, top, left, right] = points as [number[], number[], number[], number[]];
  const centre = scale(add(add(bottom, top), add(left, right)), 0.25);
  const u = scale(sub(top, bottom), 0.5);
  const v = scale(sub(right, left), 0.5);
  const a = norm(u);
  const b = norm(v);
  if (!(a > 0 && b > 0))
    throw new RangeError(`ellipse ROI semi-axes must be > 0 mm, got ${a} and ${b}`);
  const n = viewPlaneNormal;
  const w = scale(n, Math.min(a, b) / (norm(n) || 1));
  const semi = axes.map((d) => Math.sqrt(dot(u, d) ** 2 + dot(v, d) ** 2 + dot(w, d) ** 2)) as Vec3;
  return { kind: "ellipsoid", centreMm: centre, semiAxesMm: semi };
}

/** Nominal volume of the ROI shape: 4/3·π·a·b·c (mL = mm³ / 1000). */
export function roiNominalVolumeMl(roi: RoiShape): number {
  const [a, b, c] =
    roi.kind === "sphere" ? [roi.radiusMm, roi.radiusMm, roi.radiusMm] : roi.semiAxesMm;
  return ((4 / 3) * Math.PI * a * b * c) / 1000;
}

/** Formats a displayed value with its unit: 3 significant decimals for SUV, integers for Bq/mL. */
export function formatReadout(value: number | null, scaleInfo: DisplayScale): string {
  if (value === null || !Number.isFinite(value)) return "—";
  return scaleInfo.isSuv
    ? `${value.toFixed(2)} ${scaleInfo.unit}`
    : `${Math.round(value)} ${scaleInfo.unit}`;
}

/** [a0 … an] → the middle element first, then alternating outwards (load order of the viewed slice first). */
export function middleOutOrder<T>(xs: readonly T[]): T[] {
  const out: T[] = [];
  const mid = Math.floor(xs.length / 2);
  for (let d = 0; out.length < xs.length; d++) {
    if (mid + d < xs.length) out.push(xs[mid + d]!);
    if (d > 0 && mid - d >= 0) out.push(xs[mid - d]!);
  }
  return out;
}

/** ROI statistics converted between display scales (all linear in the factor: max, mean, SD, peak). */
export function rescaleStats<
  S extends { max: number; mean: number; sd: number; peak: number | null },
>(s: S, fromPerUnit: number, toPerUnit: number): S {
  const r = toPerUnit / fromPerUnit;
  return {
    ...s,
    max: s.max * r,
    mean: s.mean * r,
    sd: s.sd * r,
    peak: s.peak === null ? null : s.peak * r,
  };
}
