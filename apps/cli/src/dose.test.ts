import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { computeDoses } from "./dose";

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), "lutetia-dose-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

// reference/dosimetry.md §9: D1 kidneys (male, 350 g), D5 tumour (20 g), D6 kidney BED.
const CSV = `region,time_h,activity_mbq,mass_g
kidneys,24,120,350
kidneys,96,60,
kidneys,168,30,
tumour:T1,24,20,20
tumour:T1,168,10,
`;

describe("lutetia dose against reference/dosimetry.md §9", () => {
  const file = path.join(dir, "points.csv");
  writeFileSync(file, CSV);

  it("D1: mono-exponential kidney TIA 15 704.8 MBq·h and dose 3.862 Gy (S-value table within 1 %)", () => {
    const [kid] = computeDoses({ regions: [{ region: "kidneys", massG: 350, points: [{ timeH: 24, activityMBq: 120 }, { timeH: 96, activityMBq: 60 }, { timeH: 168, activityMBq: 30 }] }] }, "mono", "male");
    expect(rel(kid!.tiaMBqH, 15704.8)).toBeLessThan(1e-4);
    expect(rel(kid!.effectiveHalfLifeH!, 72.0)).toBeLessThan(1e-6);
    // The bundled ICRP-phantom S-value differs from the reference's OpenDose value by ~0.6 %.
    expect(rel(kid!.doseGy!, 3.8617)).toBeLessThan(0.01);
    // D6: BED = D (1 + D/(α/β) · T_rep/(T_rep + T_eff)), α/β 2.6 Gy, T_rep 2.8 h.
    const d = kid!.doseGy!;
    expect(rel(kid!.bedGy!, d * (1 + (d / 2.6) * (2.8 / (2.8 + 72))))).toBeLessThan(1e-9);
    expect(rel(kid!.bedGy!, 4.0764)).toBeLessThan(0.015);
  });

  it("D5: tumour by local deposition 19.89 Gy", () => {
    const [t] = computeDoses({ regions: [{ region: "tumour:T1", massG: 20, points: [{ timeH: 24, activityMBq: 20 }, { timeH: 168, activityMBq: 10 }] }] }, "mono");
    expect(rel(t!.tiaMBqH, 4663.8)).toBeLessThan(1e-4);
    expect(rel(t!.doseGy!, 19.8925)).toBeLessThan(1e-3);
  });

  it("D4: trapezoid + tail (last-two-points tail, A(0)=0) gives 14 276.2 MBq·h", () => {
    const [kid] = computeDoses({ regions: [{ region: "kidneys", points: [{ timeH: 24, activityMBq: 120 }, { timeH: 96, activityMBq: 60 }, { timeH: 168, activityMBq: 30 }] }] }, "trapezoid", "male");
    expect(rel(kid!.tiaMBqH, 14276.2)).toBeLessThan(1e-4);
  });

  it("prints JSON with units from a CSV through the command line", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", path.join(here, "bin.ts"), "dose", file, "--sex", "male", "--model", "mono", "--format", "json"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { units: Record<string, string>; regions: { region: string; doseGy: number }[] };
    expect(out.units.dose).toBe("Gy");
    expect(out.regions.map((x) => x.region)).toEqual(["kidneys", "tumour:T1"]);
  });

  it("refuses bad input naming the line and value, and organ doses without --sex", () => {
    const bad = path.join(dir, "bad.csv");
    writeFileSync(bad, "region,time_h,activity_mbq\nkidneys,24,abc\n");
    const r = spawnSync(process.execPath, ["--import", "tsx", path.join(here, "bin.ts"), "dose", bad], { encoding: "utf8" });
    expect(r.status).toBe(64);
    expect(r.stderr).toContain("line 2");
    expect(r.stderr).toContain('"abc"');
    expect(() => computeDoses({ regions: [{ region: "kidneys", points: [{ timeH: 24, activityMBq: 120 }, { timeH: 96, activityMBq: 60 }] }] }, "mono")).toThrow(/--sex/);
    expect(() => computeDoses({ regions: [{ region: "tumour:X", points: [{ timeH: 24, activityMBq: 1 }, { timeH: 96, activityMBq: 0.5 }] }] }, "mono")).toThrow(/mass_g is required/);
  });
});
