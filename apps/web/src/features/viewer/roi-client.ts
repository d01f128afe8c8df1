/** Promise wrapper around the ROI Web Worker (roi.worker.ts). */
import type { VolumeGeometry } from "@lutetia/quantification";
import type { RoiRequest, RoiResponse, RoiStats } from "./roi-protocol";
import type { RoiShape } from "./viewer-math";

export class RoiWorkerClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (s: RoiStats) => void; reject: (e: Error) => void }
  >();
  private ready: Promise<void> = Promise.reject(
    new Error("the volume is not loaded in the ROI worker yet"),
  );
  private resolveReady: (() => void) | null = null;

  constructor() {
    this.worker = new Worker(new URL("./roi.worker.ts", import.meta.url), { type: "module" });
    this.ready.catch(() => undefined);
    this.worker.onmessage = (e: MessageEvent<RoiResponse>) => {
      const m = e.data;
      if (m.type === "ready") {
        this.resolveReady?.();
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.type === "stats") p.resolve(m.stats);
      else p.reject(new Error(m.message));
    };
  }

  /** Hands the volume (rescaled pixel units) to the worker; its buffer is transferred, not copied. */
  setVolume(key: string, data: Float32Array, geometry: VolumeGeometry) {
    this.ready = new Promise((resolve) => {
      this.resolveReady = resolve;
    });
    const msg: RoiRequest = { type: "volume", key, data, geometry };
    this.worker.postMessage(msg, [data.buffer]);
  }

  async stats(key: string, roi: RoiShape, perUnit: number): Promise<RoiStats> {
    await this.ready;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const msg: RoiRequest = { type: "stats", id, key, roi, perUnit };
      this.worker.postMessage(msg);
    });
  }

  terminate() {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new Error("viewer closed"));
    this.pending.clear();
  }
}
