/** Messages between the viewer and its ROI Web Worker (roi.worker.ts). */
import type { VolumeGeometry } from "@lutetia/quantification";
import type { RoiShape } from "./viewer-math";

export type RoiRequest =
  /** The volume in rescaled pixel units (its buffer is transferred) and the server's SUVbw factor. */
  | { type: "volume"; key: string; data: Float32Array; geometry: VolumeGeometry }
  | { type: "stats"; id: number; key: string; roi: RoiShape; perUnit: number };

export interface RoiStats {
  readonly voxelCount: number;
  readonly volumeMl: number;
  readonly max: number;
  readonly mean: number;
  readonly sd: number;
  readonly peak: number | null;
  readonly maxMm: [number, number, number];
}

export type RoiResponse =
  | { type: "ready"; key: string }
  | { type: "stats"; id: number; stats: RoiStats }
  | { type: "error"; id: number; message: string };
