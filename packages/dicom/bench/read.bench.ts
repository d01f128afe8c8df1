/**
 * Benchmark: read + decode + assemble a synthetic 192×192×400 PET series (explicit VR LE,
 * 16-bit, per-slice slope) from files in a temp dir. Prints timings and peak RSS; asserts nothing.
 * Run: `npm run bench -w @lutetia/dicom`. Wall times on a shared machine are noisy; the per-run
 * process CPU time (user + system) is printed alongside as a contention-robust figure.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  assembleVolume,
  generateWholeBodyPet,
  parseDicomPart10,
  readSeries,
  writePetSeries,
} from "../src/index.js";

const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(1)} MB`;
const t = (): number => performance.now();

const t0 = t();
const phantom = generateWholeBodyPet({ nx: 192, ny: 192, nz: 400, lesions: 40, seed: 42 });
const t1 = t();
const files = writePetSeries(phantom.data, phantom.geometry, phantom.metadata);
const t2 = t();
const dir = mkdtempSync(join(tmpdir(), "lutetia-dicom-bench-"));
let bytes = 0;
for (const f of files) {
  writeFileSync(join(dir, f.name), f.bytes);
  bytes += f.bytes.length;
}
console.log(
  `generate ${(t1 - t0).toFixed(0)} ms, write ${files.length} files (${mb(bytes)}) ${(t2 - t1).toFixed(0)} ms`,
);

const runs: number[] = [];
const split: string[] = [];
const gc = (globalThis as { gc?: () => void }).gc;
for (let r = 0; r < 5; r++) {
  gc?.();
  const cpu0 = process.cpuUsage();
  const a = t();
  const names = readdirSync(dir).sort();
  const inputs = names.map((n) => ({ name: n, bytes: readFileSync(join(dir, n)) }));
  const b = t();
  const instances = inputs.map((f) => parseDicomPart10(f.bytes, f.name));
  const c = t();
  const vol = assembleVolume(instances);
  const d = t();
  const cpu = process.cpuUsage(cpu0);
  runs.push(d - a);
  split.push(
    `read ${(b - a).toFixed(0)} + parse ${(c - b).toFixed(0)} + assemble ${(d - c).toFixed(0)} ms; ` +
      `CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`,
  );
  if (vol.geometry.dims[2] !== 400) throw new Error("unexpected slice count");
}
gc?.();
const a = t();
const names = readdirSync(dir).sort();
const viaReadSeries = await readSeries(
  names.map((n) => ({ name: n, bytes: readFileSync(join(dir, n)) })),
);
const readSeriesMs = t() - a;
const child = spawnSync(
  process.execPath,
  ["--import", "tsx", join(dirname(fileURLToPath(import.meta.url)), "read-child.ts"), dir],
  { encoding: "utf8" },
);
const childLine = child.stdout.trim().split("\n").at(-1) ?? "";
rmSync(dir, { recursive: true, force: true });
const sorted = [...runs].sort((x, y) => x - y);
runs.forEach((ms, i) => console.log(`run ${i + 1}: ${ms.toFixed(1)} ms (${split[i]})`));
console.log(
  `read+decode+assemble 192x192x400: median ${(sorted[2] ?? 0).toFixed(1)} ms, best ${(sorted[0] ?? 0).toFixed(1)} ms (first run is cold)`,
);
console.log(
  `readSeries() end-to-end: ${readSeriesMs.toFixed(1)} ms, ${viaReadSeries.slices.length} slices`,
);
if (child.status === 0 && childLine.startsWith("{")) {
  const r = JSON.parse(childLine) as Record<string, number>;
  const f = (k: string): string => (r[k] ?? NaN).toFixed(1);
  console.log(
    `fresh process, cold: ${f("totalMs")} ms (read ${f("readMs")} + parse ${f("parseMs")} + assemble ${f("assembleMs")}), ` +
      `RSS ${f("rssBeforeMB")} MB at start, peak ${f("peakRssMB")} MB`,
  );
} else {
  console.log(`fresh-process run failed: ${child.stderr.slice(0, 500)}`);
}
console.log(
  `gc between runs: ${gc ? "yes (--expose-gc)" : "no (run with node --expose-gc for steadier figures)"}`,
);
console.log(
  `peak RSS of this process (incl. generation and writing) ${mb(process.resourceUsage().maxRSS * 1024)}`,
);
