import { describe, expect, it } from "vitest";
import { ctcaeGrade, ctcaeResult } from "./ctcae";

// Boundaries from reference/prrt-protocols.md §4 (CTCAE v5.0); "< 75 000 – 50 000" = 50 000 ≤ x < 75 000.
describe("ctcaeGrade", () => {
  it("grades platelets (10^9/L) at each boundary", () => {
    expect(ctcaeGrade("PLATELETS", 150)).toBe(0);
    expect(ctcaeGrade("PLATELETS", 149)).toBe(1);
    expect(ctcaeGrade("PLATELETS", 75)).toBe(1);
    expect(ctcaeGrade("PLATELETS", 74.9)).toBe(2);
    expect(ctcaeGrade("PLATELETS", 50)).toBe(2);
    expect(ctcaeGrade("PLATELETS", 49.9)).toBe(3);
    expect(ctcaeGrade("PLATELETS", 25)).toBe(3);
    expect(ctcaeGrade("PLATELETS", 24.9)).toBe(4);
  });
  it("grades neutrophils, WBC and lymphocytes", () => {
    expect(ctcaeGrade("NEUTROPHILS", 1.2)).toBe(2);
    expect(ctcaeGrade("NEUTROPHILS", 0.4)).toBe(4);
    expect(ctcaeGrade("WBC", 2.5)).toBe(2);
    expect(ctcaeGrade("LYMPHOCYTES", 0.3)).toBe(3);
  });
  it("grades haemoglobin up to 3 only (grade 4 is clinical)", () => {
    expect(ctcaeGrade("HAEMOGLOBIN", 11)).toBe(1);
    expect(ctcaeGrade("HAEMOGLOBIN", 9)).toBe(2);
    expect(ctcaeGrade("HAEMOGLOBIN", 5)).toBe(3);
  });
  it("grades creatinine and bilirubin as multiples of ULN", () => {
    expect(ctcaeGrade("CREATININE", 100, { uln: 100 })).toBe(0);
    expect(ctcaeGrade("CREATININE", 150, { uln: 100 })).toBe(1);
    expect(ctcaeGrade("CREATININE", 151, { uln: 100 })).toBe(2);
    expect(ctcaeGrade("CREATININE", 301, { uln: 100 })).toBe(3);
    expect(ctcaeGrade("CREATININE", 601, { uln: 100 })).toBe(4);
    expect(ctcaeGrade("BILIRUBIN", 1001, { uln: 100 })).toBe(4);
    expect(ctcaeGrade("BILIRUBIN", 1000, { uln: 100 })).toBe(3);
  });
  it("grades albumin in g/L (3.0 g/dL = 30 g/L)", () => {
    expect(ctcaeGrade("ALBUMIN", 34)).toBe(1);
    expect(ctcaeGrade("ALBUMIN", 29)).toBe(2);
    expect(ctcaeGrade("ALBUMIN", 19)).toBe(3);
  });
  it("maps eGFR to chronic kidney disease and names the term and rule", () => {
    expect(ctcaeGrade("EGFR", 45)).toBe(2);
    const r = ctcaeResult("PLATELETS", 60);
    expect(r?.term).toBe("Platelet count decreased");
    expect(r?.rule).toMatch(/grade 2/);
  });
  it("returns null for analytes without a lab CTCAE term and for non-finite values", () => {
    expect(ctcaeGrade("CHROMOGRANIN_A", 1000)).toBeNull();
    expect(ctcaeGrade("PLATELETS", Number.NaN)).toBeNull();
  });
});
