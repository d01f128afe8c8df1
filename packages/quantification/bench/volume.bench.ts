/* Volume-analysis benchmark: `npx tsx bench/volume.bench.ts` (figures printed, never asserted). */
import { makeSyntheticPet } from "../test/synthetic-volume.js";
import { labelComponents26 } from "../src/volume/label.js";
import { segmentLesions } from "../src/volume/segment.js";
import { percistLiverThreshold, thresholdMask } from "../src/volume/threshold.js";
import { liverReferenceStats, sphereVoiStats } from "../src/volume/voi.js";

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, performance.now() - t0];
}
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const [pet, buildMs] = time(() => makeSyntheticPet({ dims: [192, 192, 400], lesionCount: 40 }));
const n = pet.volume.data.length;
console.log(
  `synthetic volume 192×192×400 (${(n / 1e6).toFixed(1)} M voxels, ${pet.volume.geometry.spacingMm.join("×")} mm), 40 lesions; built in ${buildMs.toFixed(0)} ms`,
);

const liver = liverReferenceStats(pet.volume, pet.liverCentreMm);
const threshold = percistLiverThreshold(liver.mean, liver.sd);
console.log(
  `liver 3 cm sphere: mean ${liver.mean.toFixed(3)}, SD ${liver.sd.toFixed(3)}, n ${liver.voxelCount}; PERCIST threshold ${threshold.toFixed(3)}`,
);

const maskOut = new Uint8Array(n);
const labelsOut = new Int32Array(n);
const runs = 7;
const seg: number[] = [];
const segNoPeak: number[] = [];
const thr: number[] = [];
const lab: number[] = [];
const liverT: number[] = [];
const voiT: number[] = [];
let last = segmentLesions(pet.volume, { threshold, labelsOut });
for (let r = 0; r < runs; r++) {
  const [res, ms] = time(() =>
    segmentLesions(pet.volume, { threshold, labelsOut, minVolumeMl: 0.5 }),
  );
  last = res;
  seg.push(ms);
  segNoPeak.push(
    time(() => segmentLesions(pet.volume, { threshold, labelsOut, suvPeak: false }))[1],
  );
  thr.push(time(() => thresholdMask(pet.volume, threshold, undefined, maskOut))[1]);
  lab.push(time(() => labelComponents26(maskOut, pet.volume.geometry.dims, { labelsOut }))[1]);
  liverT.push(time(() => liverReferenceStats(pet.volume, pet.liverCentreMm))[1]);
  voiT.push(time(() => sphereVoiStats(pet.volume, last.lesions[0]!.centroidMm, 25))[1]);
}
const fresh = time(() => segmentLesions(pet.volume, { threshold, minVolumeMl: 0.5 }))[1];
console.log(
  `lesions found ${last.lesions.length}, thresholded voxels ${last.thresholdedVoxelCount}, TMTV ${last.tmtvMl.toFixed(1)} mL, total TLG ${last.totalTlg.toFixed(1)}, peak sphere ${last.peakSphere?.voxelCount} voxels`,
);
console.log(`median of ${runs} runs (ms):`);
console.log(
  `  segmentLesions (threshold + 26-label + stats + SUVpeak), reused buffers: ${median(seg).toFixed(1)}  (min ${Math.min(...seg).toFixed(1)}, max ${Math.max(...seg).toFixed(1)})`,
);
console.log(`  segmentLesions, fresh buffers (one run): ${fresh.toFixed(1)}`);
console.log(`  segmentLesions without SUVpeak: ${median(segNoPeak).toFixed(1)}`);
console.log(`  thresholdMask alone: ${median(thr).toFixed(1)}`);
console.log(`  labelComponents26 alone: ${median(lab).toFixed(1)}`);
console.log(`  liver 3 cm sphere stats: ${median(liverT).toFixed(2)}`);
console.log(`  sphere VOI r = 25 mm with SUVpeak: ${median(voiT).toFixed(2)}`);
// Heavier case: fixed SUV ≥ 4.0 also segments the whole liver (one large component for SUVpeak).
const heavy: number[] = [];
let heavyRes = last;
for (let r = 0; r < 3; r++) {
  const [res, ms] = time(() => segmentLesions(pet.volume, { threshold: 4.0, labelsOut }));
  heavyRes = res;
  heavy.push(ms);
}
const biggest = Math.max(...heavyRes.lesions.map((l) => l.voxelCount));
console.log(
  `  segmentLesions at SUV ≥ 4.0 (liver included: ${heavyRes.lesions.length} components, largest ${biggest} voxels): ${median(heavy).toFixed(1)}`,
);
const mem = process.memoryUsage();
console.log(
  `memory: rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, arrayBuffers ${(mem.arrayBuffers / 2 ** 20).toFixed(0)} MiB`,
);
