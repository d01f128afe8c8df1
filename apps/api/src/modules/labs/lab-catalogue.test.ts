import { describe, expect, it } from "vitest";
import { LAB_CATALOGUE, toCanonical, type Analyte } from "./lab-catalogue";

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/**
 * Each accepted unit's factor against the reference (reference/prrt-protocols.md §3 "Helper
 * formulas" unit notes and eligibility table; §4 "Units: /mm³ = /µL") or, where the reference
 * has no line, against the factor recomputed from a molar mass or a unit definition.
 * [analyte, value, unit, expected canonical value, relative tolerance, provenance]
 */
const REFERENCE: [Analyte, number, string, number, number, string][] = [
  ["CREATININE", 1.0, "mg/dL", 88.4, 1e-12, "prrt-protocols.md: SCr mg/dL = SCr µmol/L / 88.4"],
  ["CREATININE", 1.0, "mg/dL", (10 / 113.12) * 1000, 1e-3, "creatinine 113.12 g/mol: 10 mg/L ÷ 113.12 g/mol"],
  ["CREATININE", 88.4, "µmol/L", 88.4, 0, "canonical"],
  ["CREATININE", 88.4, "umol/L", 88.4, 0, "ASCII spelling of µmol/L"],
  ["ALBUMIN", 3.0, "g/dL", 30, 1e-12, "prrt-protocols.md: albumin g/L = g/dL × 10 (3.0 g/dL threshold)"],
  ["PLATELETS", 75_000, "/mm³", 75, 1e-12, "prrt-protocols.md: 75 000/mm³ = 75 × 10⁹/L"],
  ["PLATELETS", 75_000, "/µL", 75, 1e-12, "prrt-protocols.md §4: /mm³ = /µL"],
  ["PLATELETS", 100, "10^3/µL", 100, 1e-12, "NCT01842165: ≥ 100 × 10³/µL (= 10⁹/L)"],
  ["WBC", 2000, "/mm³", 2, 1e-12, "prrt-protocols.md: WBC < 2000/mm³ (2 × 10⁹/L)"],
  ["NEUTROPHILS", 1.5, "10^3/µL", 1.5, 1e-12, "NCT01842165: neutrophils ≥ 1.5 × 10³/µL"],
  ["HAEMOGLOBIN", 5.0, "mmol/L", 8.0, 1e-2, "prrt-protocols.md: < 8.0 g/dL (< 5.0 mmol/L), a rounded pairing"],
  ["HAEMOGLOBIN", 5.0, "mmol/L", (5 * 16_114) / 10_000, 1e-3, "Hb monomer 16 114 g/mol: 1 mmol/L = 16.114 g/L"],
  ["HAEMOGLOBIN", 80, "g/L", 8.0, 1e-12, "1 g/dL = 10 g/L"],
  ["BILIRUBIN", 1.0, "mg/dL", (10 / 584.66) * 1000, 1e-3, "bilirubin 584.66 g/mol: 10 mg/L ÷ 584.66 g/mol = 17.10 µmol/L"],
  ["ALT", 1.0, "µkat/L", 60, 1e-12, "1 U = 1 µmol/min = 1/60 µkat"],
  ["ALT", 0.5, "ukat/L", 30, 1e-12, "1 U = 1/60 µkat (ASCII spelling)"],
  ["AST", 1.0, "µkat/L", 60, 1e-12, "1 U = 1 µmol/min = 1/60 µkat"],
  ["AST", 0.5, "ukat/L", 30, 1e-12, "1 U = 1/60 µkat (ASCII spelling)"],
  ["BILIRUBIN", 17, "umol/L", 17, 0, "ASCII spelling of µmol/L"],
  ["LYMPHOCYTES", 800, "/µL", 0.8, 1e-12, "/µL = 10⁻³ × 10⁹/L"],
  ["CREATININE_CLEARANCE", 1.0, "mL/s", 60, 1e-12, "60 s per min"],
  ["EGFR", 60, "mL/min/1.73m2", 60, 0, "ASCII spelling of m²"],
  ["CHROMOGRANIN_A", 120, "ng/mL", 120, 1e-12, "1 ng/mL = 1 µg/L"],
];

describe("lab unit conversions", () => {
  it.each(REFERENCE)("%s %d %s → %d (tolerance %d; %s)", (analyte, value, unit, expected, tol, _source) => {
    const r = toCanonical(analyte, value, unit);
    expect(r.unit).toBe(LAB_CATALOGUE[analyte].canonicalUnit);
    if (tol === 0) expect(r.value).toBe(expected);
    else expect(rel(r.value, expected)).toBeLessThanOrEqual(tol);
  });

  it("every accepted unit of every analyte is covered by a reference case or is the canonical unit", () => {
    const covered = new Set(REFERENCE.map(([a, , u]) => `${a}|${u}`));
    const countUnits = new Set(REFERENCE.filter(([a]) => ["PLATELETS", "WBC", "NEUTROPHILS", "LYMPHOCYTES"].includes(a)).map(([, , u]) => u));
    for (const info of Object.values(LAB_CATALOGUE)) {
      for (const [unit, factor] of Object.entries(info.units)) {
        if (factor === 1 && (unit === info.canonicalUnit || unit.replace("µ", "u") === info.canonicalUnit.replace("µ", "u") || unit.replace("²", "2") === info.canonicalUnit.replace("²", "2"))) continue;
        const isCount = info.units === LAB_CATALOGUE.WBC.units;
        expect(covered.has(`${info.analyte}|${unit}`) || (isCount && countUnits.has(unit)), `${info.analyte} ${unit}`).toBe(true);
      }
      expect(info.units[info.canonicalUnit], `${info.analyte} accepts its canonical unit at factor 1`).toBe(1);
    }
  });

  it("refuses a unit the analyte does not accept, naming the unit and the accepted ones", () => {
    expect(() => toCanonical("CREATININE", 1, "mmol/L")).toThrow(RangeError);
    expect(() => toCanonical("CREATININE", 1, "mmol/L")).toThrow(/"mmol\/L".*CREATININE.*µmol\/L, umol\/L, mg\/dL/);
    expect(() => toCanonical("ALBUMIN", 3, "G/DL")).toThrow(/"G\/DL"/);
  });

  it("refuses values outside the plausible range, naming the value and both units", () => {
    expect(() => toCanonical("HAEMOGLOBIN", 130, "g/dL")).toThrow(/value 130 g\/dL .*outside the plausible range 2–25 g\/dL/);
    expect(() => toCanonical("CREATININE", 40, "mg/dL")).toThrow(/value 40 mg\/dL \(= 3536 µmol\/L\)/);
    expect(() => toCanonical("PLATELETS", -1, "10^9/L")).toThrow(/-1/);
    // Edges of the range are accepted.
    expect(toCanonical("HAEMOGLOBIN", 2, "g/dL").value).toBe(2);
    expect(toCanonical("HAEMOGLOBIN", 25, "g/dL").value).toBe(25);
  });

  it("refuses non-finite values", () => {
    for (const v of [Number.NaN, Number.POSITIVE_INFINITY]) expect(() => toCanonical("WBC", v, "10^9/L")).toThrow(/finite/);
  });
});
