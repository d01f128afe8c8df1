import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateWholeBodyPet, writePetSeries } from "@lutetia/dicom";
import { quantifySeries, type QuantifyResult } from "./quantify";

const here = path.dirname(fileURLToPath(import.meta.url));
const shared = path.resolve(here, "../../../../shared/data");
const bin = path.join(here, "bin.ts");

/** Runs the real command line (`tsx src/bin.ts`) as a user would. */
function lutetia(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", bin, ...args], { encoding: "utf8", maxBuffer: 32 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// A small deterministic synthetic whole-body PET (ground truth known; @lutetia/dicom generator).
const phantom = generateWholeBodyPet({ nx: 96, ny: 96, nz: 120, lesions: 8, seed: 7, spacingMm: [4, 4, 4] });
const files = writePetSeries(phantom.data, phantom.geometry, phantom.metadata);
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "lutetia-cli-test-"));
  for (const f of files) writeFileSync(path.join(dir, f.name), f.bytes);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const organMax = Math.max(...Object.values(phantom.organSuv));

describe("quantifySeries on a synthetic series with known ground truth", () => {
  it("computes the SUVbw factor the generator used (1 / Bq/mL per SUV)", async () => {
    const r = (await quantifySeries(files.map((f) => ({ name: f.name, bytes: f.bytes })), { method: { kind: "threshold", suv: organMax + 0.5 }, suv: "bw", minVolumeMl: 0, peak: true })) as QuantifyResult;
    expect(r.ok).toBe(true);
    // Header values are written as DS with ≤ 16 characters: relative tolerance 1e-6.
    expect(r.suvScaleFactor).toBeGreaterThan(0);
    expect(Math.abs(r.suvScaleFactor * phantom.bqPerMlPerSuv - 1)).toBeLessThan(1e-6);
  });

  it("finds every lesion above the threshold, with volume = voxels × voxel volume and SUVs ordered", async () => {
    const threshold = organMax + 0.5;
    const r = (await quantifySeries(files.map((f) => ({ name: f.name, bytes: f.bytes })), { method: { kind: "threshold", suv: threshold }, suv: "bw", minVolumeMl: 0, peak: true })) as QuantifyResult;
    const voxelMl = (4 * 4 * 4) / 1000;
    const visible = phantom.lesions.filter((l) => l.suv >= threshold + 0.5 && l.radiusMm >= 4);
    expect(visible.length).toBeGreaterThan(0);
    for (const l of visible) {
      const hit = r.components.find((c) => Math.hypot(c.centroidMm[0] - l.centreMm[0], c.centroidMm[1] - l.centreMm[1], c.centroidMm[2] - l.centreMm[2]) <= l.radiusMm);
      expect(hit, `lesion ${l.id} at ${l.centreMm.join(",")} r=${l.radiusMm} SUV ${l.suv}`).toBeDefined();
      // Noise-free sphere: SUVmax equals the lesion SUV within quantisation (16-bit, per-slice slope).
      expect(Math.abs(hit!.suvMax - l.suv) / l.suv).toBeLessThan(2e-3);
    }
    for (const c of r.components) expect(Math.abs(c.volumeMl - c.voxelCount * voxelMl)).toBeLessThan(1e-9);
    for (let i = 1; i < r.components.length; i++) expect(r.components[i - 1]!.suvMax).toBeGreaterThanOrEqual(r.components[i]!.suvMax);
    for (const c of r.components) {
      expect(c.suvMean).toBeLessThanOrEqual(c.suvMax + 1e-9);
      expect(c.tlg).toBeCloseTo(c.suvMean * c.volumeMl, 9);
    }
    expect(r.totals.tmtvMl).toBeCloseTo(r.components.reduce((s, c) => s + c.volumeMl, 0), 9);
  });

  it("applies SUL (James-128) as the ratio LBM/weight of SUVbw and records the formula", async () => {
    const input = files.map((f) => ({ name: f.name, bytes: f.bytes }));
    const bw = (await quantifySeries(input, { method: { kind: "threshold", suv: 1e9 }, suv: "bw", minVolumeMl: 0, peak: false })) as QuantifyResult;
    if (phantom.metadata.patientSizeM === undefined) return expect(bw.ok).toBe(true);
    const sul = (await quantifySeries(files.map((f) => ({ name: f.name, bytes: f.bytes })), { method: { kind: "threshold", suv: 1e9 }, suv: "lbm-james", minVolumeMl: 0, peak: false })) as QuantifyResult;
    expect(sul.lbmFormula).toContain("James");
    expect(sul.appliedFactor).toBeLessThan(bw.appliedFactor);
  });
});

describe("lutetia quantify (command line)", () => {
  it("prints the documented JSON contract", () => {
    const r = lutetia("quantify", dir, "--threshold", String(organMax + 0.5), "--peak", "--format", "json");
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown> & { components: Record<string, unknown>[] };
    expect(out).toHaveProperty("suvScaleFactor");
    expect(out).toHaveProperty("qa");
    expect(out.components.length).toBeGreaterThan(0);
    expect(Object.keys(out.components[0]!).sort()).toEqual(["centroidMm", "suvMax", "suvMean", "suvPeak", "tlg", "voxelCount", "volumeMl"].sort());
  });

  it("prints a table and CSV with one row per component", () => {
    const csv = lutetia("quantify", dir, "--threshold", String(organMax + 0.5), "--format", "csv");
    const json = JSON.parse(lutetia("quantify", dir, "--threshold", String(organMax + 0.5), "--format", "json").stdout) as { components: unknown[] };
    expect(csv.stdout.trim().split("\n").length).toBe(json.components.length + 1);
    const table = lutetia("quantify", dir, "--threshold", String(organMax + 0.5));
    expect(table.stdout).toContain("SUVbw factor");
    expect(table.stdout).toContain("SUVmax");
  });

  it("refuses the NEMA phantom series (no weight, dose, times) with exit 2 and the findings", () => {
    const nema = path.join(shared, "pynemaiqpet-nema-pet/pet_recon_1");
    if (!existsSync(nema)) throw new Error(`shared data missing: ${nema}`);
    const r = lutetia("quantify", nema);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("WEIGHT_MISSING");
    expect(r.stderr).toContain("PatientWeight (0010,1030)");
  });

  it("refuses the Philips slice without times and weight, naming the attribute (PROVENANCE: Issue94.dcm)", () => {
    const d = mkdtempSync(path.join(tmpdir(), "lutetia-cli-philips-"));
    writeFileSync(path.join(d, "Issue94.dcm"), readFileSync(path.join(shared, "orthanc-tests-pet-slices/Issue94.dcm")));
    const r = lutetia("quantify", d, "--format", "json");
    rmSync(d, { recursive: true, force: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/PatientWeight|SeriesTime|SeriesDate/);
  });

  it("rejects bad arguments with exit 64 naming the value", () => {
    const r = lutetia("quantify", dir, "--threshold", "abc");
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('--threshold must be a number');
    expect(r.stderr).toContain('"abc"');
    const two = lutetia("quantify", dir, "--threshold", "2", "--percent-max", "41");
    expect(two.code).toBe(64);
    const missing = lutetia("quantify", "/nonexistent/dir");
    expect(missing.code).toBe(64);
    expect(missing.stderr).toContain("/nonexistent/dir");
  });
});
