import { describe, expect, it } from "vitest";
import { DEFAULT_LAB_REFERENCE_LIMITS, gradeCanonicalLab, isCanonicalLabAnalyte } from "./canonical.js";

// CTCAE v5 boundaries from reference/prrt-protocols.md §4, applied to canonical units.
describe("gradeCanonicalLab", () => {
  it("grades counts against the LLN (platelets 150 ×10⁹/L default)", () => {
    expect(gradeCanonicalLab("PLATELETS", 150)!.result.grade).toBe(0);
    expect(gradeCanonicalLab("PLATELETS", 74.9)!.result.grade).toBe(2);
    expect(gradeCanonicalLab("PLATELETS", 24.9)!.result.grade).toBe(4);
    expect(gradeCanonicalLab("PLATELETS", 149)!.limit).toBe(150);
  });
  it("grades albumin stored in g/L with the g/dL CTCAE cut-offs (3.0 g/dL = 30 g/L)", () => {
    expect(gradeCanonicalLab("ALBUMIN", 34)!.result.grade).toBe(1);
    expect(gradeCanonicalLab("ALBUMIN", 29)!.result.grade).toBe(2);
    expect(gradeCanonicalLab("ALBUMIN", 19)!.result.grade).toBe(3);
  });
  it("applies a site limit and the creatinine baseline", () => {
    expect(gradeCanonicalLab("CREATININE", 151, { limit: { uln: 100 } })!.result.grade).toBe(2);
    expect(gradeCanonicalLab("CREATININE", 151, { limit: { uln: 100 } })!.limit).toBe(100);
    const withBaseline = gradeCanonicalLab("CREATININE", 100, { limit: { uln: 110 }, baselineCreatinine: 40 })!;
    expect(withBaseline.result.grade).toBeGreaterThanOrEqual(2);
  });
  it("returns null for analytes without a CTCAE lab term and refuses bad values naming them", () => {
    expect(gradeCanonicalLab("CHROMOGRANIN_A", 500)).toBeNull();
    expect(isCanonicalLabAnalyte("EGFR")).toBe(true);
    expect(() => gradeCanonicalLab("PLATELETS", -1)).toThrow(/-1/);
  });
  it("states that the default limits are an unverified site policy", () => {
    expect(DEFAULT_LAB_REFERENCE_LIMITS.source).toMatch(/unverified/);
  });
});
