import { and, asc, desc, eq, inArray } from "drizzle-orm";
import pngjs from "pngjs";
import { readSeries, type Volume } from "@lutetia/dicom";
import { dicomInstance, dicomSeries, dicomStudy, type DbOrTx } from "@lutetia/db";
import type { ObjectStorage } from "../../storage/storage";

/**
 * Key images of the tumour-board one-pager: coronal maximum-intensity projections (MIP) of the
 * patient's stored PET/SPECT series, computed on the server from the stored DICOM instances
 * (@lutetia/dicom builds the volume), windowed and encoded as PNG (pngjs). A display rendering,
 * not a measurement: no value on it is used for a clinical number.
 */

export interface MipImage {
  width: number;
  height: number;
  /** 8-bit grey, row-major, top row = most cranial. */
  grey: Uint8Array;
  /** Window used (stored units, e.g. Bq/mL after rescale): [0, upper]. */
  windowUpper: number;
}

/**
 * Coronal MIP: for every (column x, slice z) the maximum over rows y (the antero-posterior axis
 * of an axial acquisition), `data[x + nx*(y + ny*z)]`. Returns nx × nz values, row = slice.
 */
export function coronalMip(data: ArrayLike<number>, dims: readonly [number, number, number]): Float32Array {
  const [nx, ny, nz] = dims;
  if (nx < 1 || ny < 1 || nz < 1 || data.length < nx * ny * nz) throw new Error(`volume data (${data.length} values) does not match dims ${nx}×${ny}×${nz}`);
  const out = new Float32Array(nx * nz).fill(-Infinity);
  for (let z = 0; z < nz; z++) {
    const o = z * nx;
    for (let y = 0; y < ny; y++) {
      const row = nx * (y + ny * z);
      for (let x = 0; x < nx; x++) {
        const v = data[row + x]!;
        if (v > out[o + x]!) out[o + x] = v;
      }
    }
  }
  return out;
}

/**
 * Upper window: the `pct` percentile of the positive MIP values (default 99.5 %, so a single hot
 * voxel — bladder, injection site — does not wash the image out). Lower window is 0.
 */
export function windowUpper(mip: ArrayLike<number>, pct = 99.5): number {
  const pos: number[] = [];
  for (let i = 0; i < mip.length; i++) if (mip[i]! > 0 && Number.isFinite(mip[i]!)) pos.push(mip[i]!);
  if (pos.length === 0) return 1;
  pos.sort((a, b) => a - b);
  return pos[Math.min(pos.length - 1, Math.floor((pct / 100) * (pos.length - 1)))]!;
}

/**
 * Windowed, inverted grey MIP (nuclear-medicine convention: uptake dark on white), resampled with
 * nearest neighbour to `targetWidth` pixels with the physical aspect ratio (column spacing vs
 * slice spacing), cranial end at the top (`cranialFirst` false flips z).
 */
export function renderMip(mip: Float32Array, nx: number, nz: number, spacingXMm: number, spacingZMm: number, cranialFirst: boolean, targetWidth = 160): MipImage {
  const upper = windowUpper(mip);
  const width = Math.max(1, Math.min(targetWidth, 512));
  const physW = nx * spacingXMm;
  const physH = nz * spacingZMm;
  const height = Math.max(1, Math.min(1024, Math.round((width * physH) / physW)));
  const grey = new Uint8Array(width * height);
  for (let r = 0; r < height; r++) {
    const zi = Math.min(nz - 1, Math.floor(((r + 0.5) * nz) / height));
    const z = cranialFirst ? zi : nz - 1 - zi;
    for (let c = 0; c < width; c++) {
      const x = Math.min(nx - 1, Math.floor(((c + 0.5) * nx) / width));
      const v = mip[z * nx + x]!;
      const f = Number.isFinite(v) ? Math.max(0, Math.min(1, v / upper)) : 0;
      grey[r * width + c] = Math.round(255 * (1 - f));
    }
  }
  return { width, height, grey, windowUpper: upper };
}

/** PNG (8-bit RGBA, opaque) of a grey image. */
export function encodePng(img: MipImage): Buffer {
  const png = new pngjs.PNG({ width: img.width, height: img.height });
  for (let i = 0; i < img.grey.length; i++) {
    const g = img.grey[i]!;
    png.data[4 * i] = g;
    png.data[4 * i + 1] = g;
    png.data[4 * i + 2] = g;
    png.data[4 * i + 3] = 255;
  }
  return pngjs.PNG.sync.write(png);
}

/**
 * Whether slice index 0 is caudal: the slice normal's patient-z component (LPS: +z = superior)
 * says which way z runs; with increasing z going up, the last slice is the most cranial.
 */
export function cranialIsLastSlice(v: Volume): boolean {
  const nzComp = v.geometry.direction[8] ?? 1;
  return nzComp >= 0;
}

// ------------------------------------------------------------------ cache + storage

let storage: ObjectStorage | null = null;
/** Called once by the composition root (app.ts) with the DICOM object store. */
export function configureBoardImaging(s: ObjectStorage): void {
  storage = s;
}

const CACHE_MAX = 64;
const cache = new Map<string, { png: Buffer; width: number; height: number }>();

export interface KeyImage {
  seriesId: string;
  modality: string | null;
  description: string | null;
  studyDate: string | null;
  width: number;
  height: number;
  pngBase64: string;
}

/**
 * Coronal MIP PNG of one stored series, cached by series (id + version + instance count, so a
 * series that gains instances or a QA override is re-rendered). Null when the series cannot be
 * assembled into a volume (e.g. a single planar image) or no storage is configured.
 */
export async function mipOfSeries(db: DbOrTx, seriesId: string): Promise<{ png: Buffer; width: number; height: number } | null> {
  if (!storage) return null;
  const [s] = await db.select().from(dicomSeries).where(eq(dicomSeries.id, seriesId));
  if (!s) return null;
  const key = `${s.id}:${s.version}:${s.instanceCount}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const inst = await db.select({ key: dicomInstance.storageKey, uid: dicomInstance.sopInstanceUid }).from(dicomInstance).where(eq(dicomInstance.seriesId, s.id)).orderBy(asc(dicomInstance.instanceNumber));
  if (inst.length < 2) return null;
  try {
    const files = [];
    for (const i of inst) files.push({ name: i.uid, bytes: new Uint8Array(await storage.read(i.key)) });
    const vol = await readSeries(files, { onIrregularSpacing: "warn" });
    const [nx, , nz] = vol.geometry.dims;
    const mip = coronalMip(vol.data, vol.geometry.dims);
    const img = renderMip(mip, nx, nz, vol.geometry.spacingMm[0], vol.geometry.spacingMm[2], !cranialIsLastSlice(vol));
    const out = { png: encodePng(img), width: img.width, height: img.height };
    cache.set(key, out);
    while (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value!);
    return out;
  } catch {
    return null;
  }
}

/** Key images of a patient: the MIP of the latest PT and NM series of each of the latest `maxStudies` studies. */
export async function keyImagesOfPatient(db: DbOrTx, siteId: string, patientId: string, maxImages = 2): Promise<KeyImage[]> {
  const rows = await db
    .select({ s: dicomSeries, studyDate: dicomStudy.studyDate })
    .from(dicomSeries)
    .innerJoin(dicomStudy, eq(dicomStudy.id, dicomSeries.studyId))
    .where(and(eq(dicomSeries.siteId, siteId), eq(dicomSeries.patientId, patientId), inArray(dicomSeries.modality, ["PT", "NM"]), eq(dicomStudy.status, "ACTIVE")))
    .orderBy(desc(dicomStudy.studyDate), desc(dicomSeries.createdAt))
    .limit(6);
  const out: KeyImage[] = [];
  for (const r of rows) {
    if (out.length >= maxImages) break;
    const m = await mipOfSeries(db, r.s.id);
    if (!m) continue;
    out.push({ seriesId: r.s.id, modality: r.s.modality, description: r.s.seriesDescription, studyDate: r.studyDate && /^\d{8}$/.test(r.studyDate) ? `${r.studyDate.slice(0, 4)}-${r.studyDate.slice(4, 6)}-${r.studyDate.slice(6, 8)}` : null, width: m.width, height: m.height, pngBase64: m.png.toString("base64") });
  }
  return out;
}
