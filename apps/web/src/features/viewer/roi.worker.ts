/// <reference lib="webworker" />
/**
 * ROI statistics off the main thread: the viewer transfers the volume (rescaled pixel units)
 * once, then asks for sphere/ellipsoid VOI statistics. All maths is @lutetia/quantification's
 * (ellipsoidVoiStats / sphereVoiStats: SUVmax, SUVmean, SD, volume and the 1 cm³ SUVpeak of
 * reference/suv.md §3); the worker only scales the volume by the server's factor first.
 */
import {
  applyScaleFactor,
  ellipsoidVoiStats,
  sphereVoiStats,
  type Volume,
} from "@lutetia/quantification";
import type { RoiRequest, RoiResponse } from "./roi-protocol";

let raw: { key: string; data: Float32Array; geometry: Volume["geometry"] } | null = null;
let scaled: { perUnit: number; volume: Volume } | null = null;

const post = (m: RoiResponse) => (self as unknown as Worker).postMessage(m);

self.onmessage = (e: MessageEvent<RoiRequest>) => {
  const m = e.data;
  if (m.type === "volume") {
    raw = { key: m.key, data: m.data, geometry: m.geometry };
    scaled = null;
    post({ type: "ready", key: m.key });
    return;
  }
  try {
    if (!raw || raw.key !== m.key)
      throw new Error("the volume is not loaded in the ROI worker yet");
    if (!scaled || scaled.perUnit !== m.perUnit) {
      const data = applyScaleFactor(raw.data, m.perUnit, new Float32Array(raw.data.length));
      scaled = { perUnit: m.perUnit, volume: { data, geometry: raw.geometry } };
    }
    const v = scaled.volume;
    const s =
      m.roi.kind === "sphere"
        ? sphereVoiStats(v, m.roi.centreMm, m.roi.radiusMm)
        : ellipsoidVoiStats(v, m.roi.centreMm, m.roi.semiAxesMm);
    post({
      type: "stats",
      id: m.id,
      stats: {
        voxelCount: s.voxelCount,
        volumeMl: s.volumeMl,
        max: s.max,
        mean: s.mean,
        sd: s.sd,
        peak: s.peak,
        maxMm: s.maxMm,
      },
    });
  } catch (err) {
    post({ type: "error", id: m.id, message: err instanceof Error ? err.message : String(err) });
  }
};
