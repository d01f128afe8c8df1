/**
 * Child process of read.bench.ts: reads one series directory cold, in a fresh process, and prints
 * a JSON line with the timings and this process's peak RSS (so generation/writing memory of the
 * parent is not counted).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { assembleVolume, parseDicomPart10 } from "../src/index.js";

const dir = process.argv[2];
if (dir === undefined) throw new Error("usage: read-child.ts <dir>");
const rssBefore = process.memoryUsage().rss;
const a = performance.now();
const names = readdirSync(dir).sort();
const inputs = names.map((n) => ({ name: n, bytes: readFileSync(join(dir, n)) }));
const b = performance.now();
const instances = inputs.map((f) => parseDicomPart10(f.bytes, f.name));
const c = performance.now();
const vol = assembleVolume(instances);
const d = performance.now();
console.log(
  JSON.stringify({
    slices: vol.geometry.dims[2],
    readMs: b - a,
    parseMs: c - b,
    assembleMs: d - c,
    totalMs: d - a,
    rssBeforeMB: rssBefore / 1048576,
    peakRssMB: (process.resourceUsage().maxRSS * 1024) / 1048576,
  }),
);
