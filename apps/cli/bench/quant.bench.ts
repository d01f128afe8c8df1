/**
 * `npm run bench:quant`: generates (in code) a deterministic synthetic whole-body PET series of
 * 192×192×400 voxels with 40 spherical lesions plus liver, spleen and kidneys, writes it as a
 * DICOM series, then runs the BUILT command `lutetia quantify <dir> --peak --format json` as a
 * user would (a child process per run) and prints wall time, the command's own phase timings
 * and its peak RSS. Prints figures; asserts nothing about speed.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateWholeBodyPet, writePetSeries } from "@lutetia/dicom";

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.join(here, "../dist/lutetia.js");
if (!existsSync(bin)) execFileSync(process.execPath, ["build.mjs"], { cwd: path.join(here, ".."), stdio: "inherit" });

const t0 = performance.now();
const phantom = generateWholeBodyPet({ nx: 192, ny: 192, nz: 400, lesions: 40, seed: 42 });
const files = writePetSeries(phantom.data, phantom.geometry, phantom.metadata);
const dir = mkdtempSync(path.join(tmpdir(), "lutetia-quant-bench-"));
for (const f of files) writeFileSync(path.join(dir, f.name), f.bytes);
const decodedMb = (phantom.data.length * 4) / 1024 / 1024;
console.log(`synthetic series: ${files.length} files, 192×192×400, ${phantom.lesions.length} lesions, generated+written in ${(performance.now() - t0).toFixed(0)} ms`);
console.log(`decoded Float32 volume: ${decodedMb.toFixed(1)} MB → RSS target < 4× = ${(4 * decodedMb).toFixed(0)} MB; wall target < 1000 ms\n`);

interface Out {
  components: unknown[];
  timingsMs: Record<string, number>;
  peakRssMb: number;
  suvScaleFactor: number;
  threshold: { value: number };
}
const RUNS = 5;
const walls: number[] = [];
let last: Out | undefined;
for (let r = 0; r < RUNS; r++) {
  const a = performance.now();
  const p = spawnSync(process.execPath, [bin, "quantify", dir, "--threshold", "2.5", "--peak", "--format", "json"], { encoding: "utf8", maxBuffer: 64 << 20 });
  const wall = performance.now() - a;
  if (p.status !== 0) {
    console.error(p.stderr);
    throw new Error(`lutetia quantify exited ${p.status}`);
  }
  last = JSON.parse(p.stdout) as Out;
  walls.push(wall);
  const ph = Object.entries(last.timingsMs).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(", ");
  console.log(`run ${r + 1}: wall ${wall.toFixed(0)} ms | phases (ms): ${ph} | peak RSS ${last.peakRssMb.toFixed(0)} MB | ${last.components.length} components`);
}
rmSync(dir, { recursive: true, force: true });
const sorted = [...walls].sort((x, y) => x - y);
const median = sorted[Math.floor(RUNS / 2)]!;
console.log(`\nlutetia quantify --peak on 192×192×400: median wall ${median.toFixed(0)} ms (best ${sorted[0]!.toFixed(0)} ms), peak RSS ${last!.peakRssMb.toFixed(0)} MB (${(last!.peakRssMb / decodedMb).toFixed(2)}× decoded volume)`);
console.log(`SUVbw factor ${last!.suvScaleFactor.toPrecision(6)}; ${last!.components.length} components ≥ SUV ${last!.threshold.value}; ground truth ${phantom.lesions.length} lesions`);
console.log(`targets: wall < 1000 ms ${median < 1000 ? "MET" : "MISSED"}; RSS < 4× ${last!.peakRssMb < 4 * decodedMb ? "MET" : "MISSED"}`);
