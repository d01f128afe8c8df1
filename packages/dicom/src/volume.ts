/**
 * Series → volume assembly (DICOM PS3.3 C.7.6.2 Image Plane module geometry).
 *
 * Coordinate conventions (documented contract of {@link Volume}):
 * - `data[x + nx*(y + ny*z)]`: x fastest (along a row, i.e. across columns), then y (down the
 *   rows), then z (slices, ascending along the slice normal).
 * - `direction` = [row cosines (x axis), column cosines (y axis), normal = row × column (z axis)],
 *   each a unit vector in the DICOM patient coordinate system (LPS, mm).
 * - `originMm` = Image Position (Patient) of the first slice in z order = centre of voxel (0,0,0).
 * - Patient position of voxel (i,j,k) = origin + i·sx·row + j·sy·col + k·sz·normal.
 */
import { DicomParseError } from "./errors.js";
import type { Finding } from "./findings.js";
import {
  parseDicomPart10,
  readDs,
  readRawString,
  readString,
  sequenceItems,
  type DicomInstance,
  type ImagePixelDescription,
  type Vec3,
} from "./parse.js";
import {
  decodeFrame,
  isSyncDecodable,
  readStoredFrameSync,
  type StoredPixelArray,
} from "./pixels.js";
import { parseDecimalStrings } from "./values.js";

/** Geometry of a volume in patient coordinates. */
export interface VolumeGeometry {
  /** [nx, ny, nz] = [Columns, Rows, number of slices]. */
  dims: [number, number, number];
  /** [sx, sy, sz] mm: Pixel Spacing column spacing, row spacing, slice spacing. */
  spacingMm: [number, number, number];
  /** Centre of voxel (0,0,0) in patient coordinates (mm). */
  originMm: Vec3;
  /** Row cosines, column cosines, slice normal (9 numbers). */
  direction: number[];
}

/** Per-slice metadata kept alongside the volume (index = z). */
export interface SliceInfo {
  sourceName: string;
  sopInstanceUid: string | undefined;
  instanceNumber: number | undefined;
  /** Frame within the instance (0 for single-frame objects). */
  frameIndex: number;
  /** Image Position (Patient) of this slice, mm. */
  positionMm: Vec3;
  rescaleSlope: number;
  rescaleIntercept: number;
  /** Acquisition Date (0008,0022). */
  acquisitionDate: string | undefined;
  /** Acquisition Time (0008,0032). */
  acquisitionTime: string | undefined;
  /** Frame Reference Time (0054,1300), ms. */
  frameReferenceTimeMs: number | undefined;
  /** Actual Frame Duration (0018,1242), ms. */
  actualFrameDurationMs: number | undefined;
}

/** Result of assembling a series. */
export interface Volume {
  /** Rescaled values (Modality LUT output: stored × slope + intercept), x fastest. */
  data: Float32Array;
  geometry: VolumeGeometry;
  slices: SliceInfo[];
  /** Non-fatal geometry findings (e.g. tolerated spacing irregularities, MONOCHROME1). */
  findings: Finding[];
  seriesInstanceUid: string | undefined;
  modality: string | undefined;
}

/** Options for {@link assembleVolume}. */
export interface AssembleOptions {
  /** Relative tolerance for orientation cosines and pixel spacing equality. Default 1e-4. */
  geometryTolerance?: number;
  /**
   * Allowed deviation of a slice gap from the median gap: max(0.01 mm, this fraction × median).
   * Default 0.01 (1 %).
   */
  sliceSpacingTolerance?: number;
  /** `error` (default): throw on gaps / non-uniform spacing / sheared stacks; `warn`: report as findings and use the mean spacing. */
  onIrregularSpacing?: "error" | "warn";
  /**
   * MONOCHROME1 (0028,0004) only changes how values are *displayed* (PS3.3 C.7.6.3.1.2); rescaled
   * PET/SPECT values stay quantitative. `keep` (default) leaves the values and adds a WARNING;
   * `invert` maps stored s → (min + max of the Bits Stored range) − s before rescaling.
   */
  monochrome1?: "keep" | "invert";
  /** Called with a fraction in [0, 1] while slices are copied. */
  onProgress?: (fraction: number) => void;
}

interface Plane {
  inst: DicomInstance;
  img: ImagePixelDescription;
  frameIndex: number;
  ipp: Vec3;
  along: number;
}

const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const norm = (a: Vec3): Vec3 => {
  const l = Math.hypot(a[0], a[1], a[2]);
  return [a[0] / l + 0, a[1] / l + 0, a[2] / l + 0];
};

function geomError(
  sourceName: string,
  attribute: string,
  value: unknown,
  message: string,
  code: "INCONSISTENT_SERIES" | "MISSING_ATTRIBUTE" | "INVALID_ATTRIBUTE" = "INCONSISTENT_SERIES",
): DicomParseError {
  return new DicomParseError(code, message, { sourceName, attribute, value });
}

function acquisitionInfo(
  inst: DicomInstance,
): Pick<
  SliceInfo,
  "acquisitionDate" | "acquisitionTime" | "frameReferenceTimeMs" | "actualFrameDurationMs"
> {
  const ds = inst.dataSet;
  return {
    acquisitionDate: readString(ds, "x00080022"),
    acquisitionTime: readString(ds, "x00080032"),
    frameReferenceTimeMs: readDs(ds, "x00541300"),
    actualFrameDurationMs: readDs(ds, "x00181242"),
  };
}

/** Geometry for a multi-frame NM/SPECT object whose frames are contiguous slices (PS3.3 C.8.4.15). */
function multiFramePlanes(
  inst: DicomInstance,
  img: ImagePixelDescription,
): { planes: Plane[]; iop: number[]; spacing: number } {
  const ds = inst.dataSet;
  if (ds.elements.x52009230 !== undefined) {
    throw geomError(
      inst.sourceName,
      "PerFrameFunctionalGroupsSequence (5200,9230)",
      "present",
      `${inst.sourceName}: enhanced multi-frame objects (per-frame functional groups) are not supported`,
      "INVALID_ATTRIBUTE",
    );
  }
  let iop = img.imageOrientationPatient as number[] | undefined;
  let ipp = img.imagePositionPatient as number[] | undefined;
  const det = sequenceItems(ds, "x00540022")[0];
  if (det !== undefined) {
    iop ??= parseDecimalStrings(readRawString(det, "x00200037"));
    ipp ??= parseDecimalStrings(readRawString(det, "x00200032"));
  }
  const spacing = img.spacingBetweenSlicesMm ?? img.sliceThicknessMm;
  if (iop === undefined || iop.length !== 6 || ipp === undefined || ipp.length !== 3) {
    throw geomError(
      inst.sourceName,
      "ImageOrientationPatient (0020,0037) / ImagePositionPatient (0020,0032)",
      null,
      `${inst.sourceName}: multi-frame image lacks Image Orientation/Position (Patient), top level or in Detector Information Sequence (0054,0022)`,
      "MISSING_ATTRIBUTE",
    );
  }
  if (spacing === undefined || !(spacing > 0)) {
    throw geomError(
      inst.sourceName,
      "SpacingBetweenSlices (0018,0088)",
      spacing ?? null,
      `${inst.sourceName}: multi-frame image needs a positive Spacing Between Slices (0018,0088) or Slice Thickness (0018,0050), found ${String(spacing)}`,
      "MISSING_ATTRIBUTE",
    );
  }
  const n = norm(
    cross([iop[0] ?? 0, iop[1] ?? 0, iop[2] ?? 0], [iop[3] ?? 0, iop[4] ?? 0, iop[5] ?? 0]),
  );
  const p0: Vec3 = [ipp[0] ?? 0, ipp[1] ?? 0, ipp[2] ?? 0];
  const planes: Plane[] = [];
  for (let f = 0; f < img.numberOfFrames; f++) {
    const p: Vec3 = [
      p0[0] + f * spacing * n[0],
      p0[1] + f * spacing * n[1],
      p0[2] + f * spacing * n[2],
    ];
    planes.push({ inst, img, frameIndex: f, ipp: p, along: dot(p, n) });
  }
  return { planes, iop, spacing };
}

interface Layout {
  planes: Plane[];
  geometry: VolumeGeometry;
  findings: Finding[];
}

function layout(instances: readonly DicomInstance[], options: AssembleOptions): Layout {
  if (instances.length === 0)
    throw new DicomParseError("EMPTY_SERIES", "no DICOM instances given to assemble", {});
  const withPixels = instances.filter((i) => i.image !== undefined);
  const first = withPixels[0];
  if (first === undefined || first.image === undefined) {
    throw new DicomParseError(
      "EMPTY_SERIES",
      `none of the ${instances.length} instances has Pixel Data (7FE0,0010) (first: ${instances[0]?.sourceName ?? "?"})`,
      {
        sourceName: instances[0]?.sourceName,
      },
    );
  }
  const series = new Set(withPixels.map((i) => i.seriesInstanceUid ?? ""));
  if (series.size > 1) {
    throw new DicomParseError(
      "MULTIPLE_SERIES",
      `instances belong to ${series.size} series (SeriesInstanceUID (0020,000E): ${[...series].join(", ")}); group them with groupBySeries() first`,
      {
        attribute: "SeriesInstanceUID (0020,000E)",
        value: [...series],
      },
    );
  }
  const tol = options.geometryTolerance ?? 1e-4;
  const findings: Finding[] = [];
  const img0 = first.image;
  for (const inst of withPixels) {
    const img = inst.image as ImagePixelDescription;
    if (img.rows !== img0.rows || img.columns !== img0.columns) {
      throw geomError(
        inst.sourceName,
        "Rows (0028,0010) / Columns (0028,0011)",
        `${img.rows}x${img.columns}`,
        `${inst.sourceName}: ${img.rows} rows x ${img.columns} columns differs from ${first.sourceName} (${img0.rows}x${img0.columns})`,
      );
    }
    if (img.samplesPerPixel !== 1) {
      throw geomError(
        inst.sourceName,
        "SamplesPerPixel (0028,0002)",
        img.samplesPerPixel,
        `${inst.sourceName}: Samples per Pixel (0028,0002) = ${img.samplesPerPixel}; only single-sample (greyscale) images form a volume`,
        "INVALID_ATTRIBUTE",
      );
    }
  }
  let planes: Plane[];
  let iop: number[];
  let multiFrameSpacing: number | undefined;
  if (withPixels.length === 1 && img0.numberOfFrames > 1) {
    const mf = multiFramePlanes(first, img0);
    planes = mf.planes;
    iop = mf.iop;
    multiFrameSpacing = mf.spacing;
  } else {
    if (img0.imageOrientationPatient === undefined)
      throw geomError(
        first.sourceName,
        "ImageOrientationPatient (0020,0037)",
        null,
        `${first.sourceName}: Image Orientation (Patient) (0020,0037) is missing`,
        "MISSING_ATTRIBUTE",
      );
    iop = img0.imageOrientationPatient;
    planes = [];
    for (const inst of withPixels) {
      const img = inst.image as ImagePixelDescription;
      if (img.numberOfFrames > 1)
        throw geomError(
          inst.sourceName,
          "NumberOfFrames (0028,0008)",
          img.numberOfFrames,
          `${inst.sourceName}: a multi-frame object (${img.numberOfFrames} frames) cannot be mixed with other instances in one volume`,
          "INVALID_ATTRIBUTE",
        );
      const o = img.imageOrientationPatient;
      if (o === undefined)
        throw geomError(
          inst.sourceName,
          "ImageOrientationPatient (0020,0037)",
          null,
          `${inst.sourceName}: Image Orientation (Patient) (0020,0037) is missing`,
          "MISSING_ATTRIBUTE",
        );
      if (o.some((v, k) => Math.abs(v - (iop[k] ?? 0)) > tol * 10)) {
        throw geomError(
          inst.sourceName,
          "ImageOrientationPatient (0020,0037)",
          o.join("\\"),
          `${inst.sourceName}: Image Orientation (Patient) ${o.join("\\")} differs from ${first.sourceName} (${iop.join("\\")})`,
        );
      }
      if (img.imagePositionPatient === undefined)
        throw geomError(
          inst.sourceName,
          "ImagePositionPatient (0020,0032)",
          null,
          `${inst.sourceName}: Image Position (Patient) (0020,0032) is missing`,
          "MISSING_ATTRIBUTE",
        );
      planes.push({ inst, img, frameIndex: 0, ipp: img.imagePositionPatient, along: 0 });
    }
  }
  const row = norm([iop[0] ?? 0, iop[1] ?? 0, iop[2] ?? 0]);
  const col = norm([iop[3] ?? 0, iop[4] ?? 0, iop[5] ?? 0]);
  if (Math.abs(dot(row, col)) > 1e-3) {
    throw geomError(
      first.sourceName,
      "ImageOrientationPatient (0020,0037)",
      iop.join("\\"),
      `${first.sourceName}: row and column cosines of Image Orientation (Patient) ${iop.join("\\")} are not orthogonal`,
      "INVALID_ATTRIBUTE",
    );
  }
  const normal = norm(cross(row, col));
  for (const p of planes) p.along = dot(p.ipp, normal);
  planes.sort((a, b) => a.along - b.along);

  const ps0 = img0.pixelSpacingMm;
  if (ps0 === undefined)
    throw geomError(
      first.sourceName,
      "PixelSpacing (0028,0030)",
      null,
      `${first.sourceName}: Pixel Spacing (0028,0030) is missing`,
      "MISSING_ATTRIBUTE",
    );
  for (const p of planes) {
    const ps = p.img.pixelSpacingMm;
    if (
      ps === undefined ||
      Math.abs(ps[0] - ps0[0]) > tol * ps0[0] ||
      Math.abs(ps[1] - ps0[1]) > tol * ps0[1]
    ) {
      throw geomError(
        p.inst.sourceName,
        "PixelSpacing (0028,0030)",
        ps?.join("\\") ?? null,
        `${p.inst.sourceName}: Pixel Spacing (0028,0030) ${ps?.join("\\") ?? "missing"} differs from ${first.sourceName} (${ps0.join("\\")})`,
      );
    }
  }

  const irregular = (
    code: string,
    message: string,
    attribute: string,
    value: unknown,
    sourceName: string,
  ): void => {
    if ((options.onIrregularSpacing ?? "error") === "error")
      throw geomError(sourceName, attribute, value, message);
    findings.push({ code, severity: "WARNING", message, attribute, value });
  };

  let sz: number;
  if (multiFrameSpacing !== undefined) {
    sz = multiFrameSpacing;
  } else if (planes.length === 1) {
    sz = img0.spacingBetweenSlicesMm ?? img0.sliceThicknessMm ?? 1;
  } else {
    const gaps: number[] = [];
    for (let k = 1; k < planes.length; k++) {
      const a = planes[k - 1] as Plane;
      const b = planes[k] as Plane;
      const g = b.along - a.along;
      if (g < 1e-3) {
        throw geomError(
          b.inst.sourceName,
          "ImagePositionPatient (0020,0032)",
          b.ipp.join("\\"),
          `${b.inst.sourceName} and ${a.inst.sourceName} occupy the same slice position (${b.along.toFixed(3)} mm along the normal): multiple time frames or duplicate instances in one series are not supported`,
        );
      }
      gaps.push(g);
    }
    const sorted = [...gaps].sort((x, y) => x - y);
    const median = sorted[Math.floor(sorted.length / 2)] as number;
    const allowed = Math.max(0.01, (options.sliceSpacingTolerance ?? 0.01) * median);
    let irregularFound = false;
    for (let k = 0; k < gaps.length; k++) {
      const g = gaps[k] as number;
      if (Math.abs(g - median) > allowed) {
        const b = planes[k + 1] as Plane;
        const a = planes[k] as Plane;
        const missing = Math.round(g / median) - 1;
        irregularFound = true;
        if (missing >= 1 && Math.abs(g - (missing + 1) * median) <= allowed) {
          irregular(
            "SLICE_GAP",
            `gap of ${g.toFixed(3)} mm between ${a.inst.sourceName} and ${b.inst.sourceName} (median spacing ${median.toFixed(3)} mm): about ${missing} slice(s) missing`,
            "ImagePositionPatient (0020,0032)",
            g,
            b.inst.sourceName,
          );
        } else {
          irregular(
            "NON_UNIFORM_SPACING",
            `slice spacing ${g.toFixed(3)} mm between ${a.inst.sourceName} and ${b.inst.sourceName} differs from the median ${median.toFixed(3)} mm by more than ${allowed.toFixed(3)} mm`,
            "ImagePositionPatient (0020,0032)",
            g,
            b.inst.sourceName,
          );
        }
      }
    }
    const firstPlane = planes[0] as Plane;
    const lastPlane = planes[planes.length - 1] as Plane;
    sz = irregularFound ? (lastPlane.along - firstPlane.along) / (planes.length - 1) : median;
    // Sheared stack (gantry tilt): positions must move along the normal only.
    for (const p of planes) {
      const d: Vec3 = [
        p.ipp[0] - firstPlane.ipp[0],
        p.ipp[1] - firstPlane.ipp[1],
        p.ipp[2] - firstPlane.ipp[2],
      ];
      const a = dot(d, normal);
      const lateral = Math.hypot(d[0] - a * normal[0], d[1] - a * normal[1], d[2] - a * normal[2]);
      if (lateral > Math.max(0.05, 0.01 * Math.min(ps0[0], ps0[1]))) {
        irregular(
          "SHEARED_STACK",
          `${p.inst.sourceName}: Image Position (Patient) is offset ${lateral.toFixed(3)} mm in-plane from ${firstPlane.inst.sourceName} (gantry tilt or misaligned stack)`,
          "ImagePositionPatient (0020,0032)",
          p.ipp.join("\\"),
          p.inst.sourceName,
        );
        break;
      }
    }
  }
  const forUid = first.frameOfReferenceUid;
  const otherFor = withPixels.find((i) => i.frameOfReferenceUid !== forUid);
  if (otherFor !== undefined) {
    findings.push({
      code: "FRAME_OF_REFERENCE_DIFFERS",
      severity: "WARNING",
      message: `${otherFor.sourceName}: Frame of Reference UID (0020,0052) ${otherFor.frameOfReferenceUid ?? "absent"} differs from ${first.sourceName} (${forUid ?? "absent"}); positions may not share one coordinate system`,
      attribute: "FrameOfReferenceUID (0020,0052)",
      value: otherFor.frameOfReferenceUid ?? null,
    });
  }
  if (planes.some((p) => p.img.photometricInterpretation === "MONOCHROME1")) {
    findings.push({
      code: "MONOCHROME1",
      severity: "WARNING",
      message: `Photometric Interpretation is MONOCHROME1 (e.g. ${first.sourceName}); values were ${options.monochrome1 === "invert" ? "inverted over the Bits Stored range" : "kept as rescaled (display-only inversion not applied)"}`,
      attribute: "PhotometricInterpretation (0028,0004)",
      value: "MONOCHROME1",
    });
  }
  const origin = (planes[0] as Plane).ipp;
  return {
    planes,
    findings,
    geometry: {
      dims: [img0.columns, img0.rows, planes.length],
      spacingMm: [ps0[1], ps0[0], sz],
      originMm: [origin[0], origin[1], origin[2]],
      direction: [...row, ...col, ...normal],
    },
  };
}

function copyRescaled(
  stored: StoredPixelArray,
  img: ImagePixelDescription,
  out: Float32Array,
  offset: number,
  invert: boolean,
): void {
  const n = stored.length;
  const slope = img.rescaleSlope;
  let intercept = img.rescaleIntercept;
  let s = slope;
  if (invert && img.photometricInterpretation === "MONOCHROME1") {
    const lo = img.pixelRepresentation === 1 ? -(2 ** (img.bitsStored - 1)) : 0;
    const hi =
      img.pixelRepresentation === 1 ? 2 ** (img.bitsStored - 1) - 1 : 2 ** img.bitsStored - 1;
    // (lo + hi − v)·slope + intercept = −slope·v + (lo + hi)·slope + intercept
    intercept = (lo + hi) * slope + intercept;
    s = -slope;
  }
  if (s === 1 && intercept === 0) {
    out.set(stored, offset);
    return;
  }
  // Monomorphic loops per element type keep V8's hot path specialised.
  if (stored instanceof Uint16Array) scaleU16(stored, out, offset, s, intercept);
  else if (stored instanceof Int16Array) scaleI16(stored, out, offset, s, intercept);
  else for (let i = 0; i < n; i++) out[offset + i] = (stored[i] as number) * s + intercept;
}

function scaleU16(
  src: Uint16Array,
  out: Float32Array,
  offset: number,
  slope: number,
  intercept: number,
): void {
  const n = src.length;
  for (let i = 0; i < n; i++) out[offset + i] = (src[i] as number) * slope + intercept;
}

function scaleI16(
  src: Int16Array,
  out: Float32Array,
  offset: number,
  slope: number,
  intercept: number,
): void {
  const n = src.length;
  for (let i = 0; i < n; i++) out[offset + i] = (src[i] as number) * slope + intercept;
}

function fill(
  lay: Layout,
  frames: (p: Plane, k: number) => StoredPixelArray,
  options: AssembleOptions,
): Volume {
  const [nx, ny, nz] = lay.geometry.dims;
  const sliceSize = nx * ny;
  const data = new Float32Array(sliceSize * nz);
  const slices: SliceInfo[] = [];
  const invert = options.monochrome1 === "invert";
  const step = Math.max(1, Math.floor(nz / 20));
  for (let k = 0; k < nz; k++) {
    const p = lay.planes[k] as Plane;
    const stored = frames(p, k);
    if (stored.length !== sliceSize) {
      throw new DicomParseError(
        "PIXEL_DATA_INVALID",
        `${p.inst.sourceName}: decoded frame has ${stored.length} values, ${sliceSize} expected`,
        { sourceName: p.inst.sourceName, transferSyntaxUid: p.inst.transferSyntax.uid },
      );
    }
    copyRescaled(stored, p.img, data, k * sliceSize, invert);
    slices.push({
      sourceName: p.inst.sourceName,
      sopInstanceUid: p.inst.sopInstanceUid,
      instanceNumber: p.img.instanceNumber,
      frameIndex: p.frameIndex,
      positionMm: p.ipp,
      rescaleSlope: p.img.rescaleSlope,
      rescaleIntercept: p.img.rescaleIntercept,
      ...acquisitionInfo(p.inst),
    });
    if (options.onProgress && (k % step === step - 1 || k === nz - 1))
      options.onProgress((k + 1) / nz);
  }
  const first = lay.planes[0] as Plane;
  return {
    data,
    geometry: lay.geometry,
    slices,
    findings: lay.findings,
    seriesInstanceUid: first.inst.seriesInstanceUid,
    modality: first.inst.modality,
  };
}

/**
 * Assembles the instances of ONE series into a Float32 volume (synchronous; native, deflated
 * and RLE pixel data only).
 *
 * Slices are ordered by the projection of Image Position (Patient) (0020,0032) on the normal
 * row × column of Image Orientation (Patient) (0020,0037) — not by Instance Number. Rows,
 * Columns, orientation and Pixel Spacing (0028,0030) must agree; slice spacing must be uniform
 * within `sliceSpacingTolerance`. Rescale Slope/Intercept (0028,1053)/(0028,1052) are applied per
 * slice (they differ per slice in PET). Signed/unsigned 8/16/32-bit stored values supported.
 *
 * @param instances - parsed instances of one series (any order).
 * @param options - tolerances, MONOCHROME1 policy, progress callback.
 * @returns the volume; see the module comment for the voxel order and direction convention.
 * @throws DicomParseError `EMPTY_SERIES`, `MULTIPLE_SERIES`, `INCONSISTENT_SERIES` (message names
 *   the files and values), `MISSING_ATTRIBUTE`, `UNSUPPORTED_TRANSFER_SYNTAX` for codec-compressed
 *   instances (use {@link assembleVolumeAsync}).
 */
export function assembleVolume(
  instances: readonly DicomInstance[],
  options: AssembleOptions = {},
): Volume {
  const lay = layout(instances, options);
  return fill(lay, (p) => readStoredFrameSync(p.inst, p.frameIndex), options);
}

/**
 * As {@link assembleVolume}, but decodes compressed pixel data (JPEG-LS, JPEG 2000, JPEG
 * Lossless, JPEG Baseline 8-bit) with the codec modules first.
 *
 * @throws the same errors as {@link assembleVolume}, plus `CODEC_FAILED`.
 */
export async function assembleVolumeAsync(
  instances: readonly DicomInstance[],
  options: AssembleOptions = {},
): Promise<Volume> {
  const lay = layout(instances, options);
  const decoded: StoredPixelArray[] = [];
  for (const p of lay.planes)
    decoded.push(
      isSyncDecodable(p.inst)
        ? readStoredFrameSync(p.inst, p.frameIndex)
        : await decodeFrame(p.inst, p.frameIndex),
    );
  return fill(lay, (_p, k) => decoded[k] as StoredPixelArray, options);
}

/**
 * Groups instances by Series Instance UID (0020,000E); instances without one share the key `""`.
 *
 * @returns a map from series UID to its instances, in input order.
 * @throws never.
 */
export function groupBySeries(instances: readonly DicomInstance[]): Map<string, DicomInstance[]> {
  const m = new Map<string, DicomInstance[]>();
  for (const i of instances) {
    const k = i.seriesInstanceUid ?? "";
    const list = m.get(k);
    if (list) list.push(i);
    else m.set(k, [i]);
  }
  return m;
}

/** A named byte buffer (a file's content). */
export interface NamedBytes {
  name: string;
  bytes: Uint8Array | ArrayBuffer;
}

/** Options for {@link readSeries}. */
export interface ReadSeriesOptions extends AssembleOptions {
  /** Series Instance UID to pick when the files hold several series. */
  seriesInstanceUid?: string;
  /**
   * `throw` (default): a file that is not readable DICOM aborts the read. `skip`: it is left out
   * and reported as a `FILE_SKIPPED` WARNING finding (e.g. a stray README in an export folder).
   */
  onUnreadableFile?: "throw" | "skip";
}

/** A volume plus the parsed instances it came from (for metadata extraction and QA). */
export interface SeriesVolume extends Volume {
  instances: DicomInstance[];
}

/**
 * Parses files and assembles one series into a volume: the convenience entry point.
 * Progress covers parsing (first half) and pixel copy (second half).
 *
 * @param files - file names and contents.
 * @param options - series selection, assembly options.
 * @returns the volume and its instances.
 * @throws DicomParseError from {@link parseDicomPart10} (naming the file) unless
 *   `onUnreadableFile: "skip"`,
 *   `MULTIPLE_SERIES` when several series are present and none was selected, and all errors of
 *   {@link assembleVolumeAsync}.
 */
export async function readSeries(
  files: readonly NamedBytes[],
  options: ReadSeriesOptions = {},
): Promise<SeriesVolume> {
  const instances: DicomInstance[] = [];
  const skipped: Finding[] = [];
  const progress = options.onProgress;
  for (let i = 0; i < files.length; i++) {
    const f = files[i] as NamedBytes;
    try {
      instances.push(parseDicomPart10(f.bytes, f.name));
    } catch (e) {
      if (options.onUnreadableFile !== "skip" || !(e instanceof DicomParseError)) throw e;
      skipped.push({
        code: "FILE_SKIPPED",
        severity: "WARNING",
        message: `skipped: ${e.message}`,
        attribute: "(file)",
        value: f.name,
      });
    }
    if (progress && i % 20 === 19) progress((0.5 * (i + 1)) / files.length);
  }
  const groups = groupBySeries(instances.filter((i) => i.image !== undefined));
  let chosen: DicomInstance[] | undefined;
  if (options.seriesInstanceUid !== undefined) {
    chosen = groups.get(options.seriesInstanceUid);
    if (chosen === undefined) {
      throw new DicomParseError(
        "EMPTY_SERIES",
        `no image of series ${options.seriesInstanceUid} among ${files.length} files`,
        { attribute: "SeriesInstanceUID (0020,000E)", value: options.seriesInstanceUid },
      );
    }
  } else if (groups.size > 1) {
    throw new DicomParseError(
      "MULTIPLE_SERIES",
      `files hold ${groups.size} series (SeriesInstanceUID (0020,000E): ${[...groups.keys()].join(", ")}); pass seriesInstanceUid`,
      {
        attribute: "SeriesInstanceUID (0020,000E)",
        value: [...groups.keys()],
      },
    );
  } else {
    chosen = [...groups.values()][0] ?? [];
  }
  const inner: AssembleOptions = {
    ...options,
    onProgress: progress ? (f) => progress(0.5 + 0.5 * f) : undefined,
  };
  const allSync = chosen.every(isSyncDecodable);
  const vol = allSync ? assembleVolume(chosen, inner) : await assembleVolumeAsync(chosen, inner);
  return { ...vol, findings: [...skipped, ...vol.findings], instances: chosen };
}

/**
 * Patient-coordinate position (mm) of voxel centre (i, j, k) of a volume.
 *
 * @returns origin + i·sx·row + j·sy·col + k·sz·normal (PS3.3 C.7.6.2.1.1 equation, extended to slices).
 * @throws never.
 */
export function voxelToPatientMm(geometry: VolumeGeometry, i: number, j: number, k: number): Vec3 {
  const [sx, sy, sz] = geometry.spacingMm;
  const d = geometry.direction;
  const o = geometry.originMm;
  const at = (n: number): number => d[n] ?? 0;
  return [
    o[0] + i * sx * at(0) + j * sy * at(3) + k * sz * at(6),
    o[1] + i * sx * at(1) + j * sy * at(4) + k * sz * at(7),
    o[2] + i * sx * at(2) + j * sy * at(5) + k * sz * at(8),
  ];
}

/**
 * The same geometry with the direction cosines as columns (`direction[r*3 + c]` = component r
 * of axis c): p = origin + D · (spacing ⊙ [i, j, k]), the convention of @lutetia/quantification
 * (and ITK). This package stores the axes as rows (see the module comment); the two agree only
 * for axis-aligned series, so every hand-over to the quantification maths goes through here.
 *
 * @param geometry - a geometry from {@link assembleVolume} / {@link readSeries}.
 * @returns a new geometry; dims, spacing and origin unchanged, direction transposed.
 */
export function geometryWithAxisColumns(geometry: VolumeGeometry): VolumeGeometry {
  const d = geometry.direction;
  const at = (n: number): number => d[n] ?? 0;
  return {
    dims: geometry.dims,
    spacingMm: geometry.spacingMm,
    originMm: geometry.originMm,
    direction: [at(0), at(3), at(6), at(1), at(4), at(7), at(2), at(5), at(8)],
  };
}
