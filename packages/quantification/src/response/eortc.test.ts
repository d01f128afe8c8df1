import { describe, expect, it } from "vitest";
import { assessEortc, type EortcInput } from "./eortc";

const base: EortcInput = {
  baselineSuv: 10,
  followUpSuv: 10,
  cyclesGiven: 1,
  newLesions: false,
  completeResolution: false,
};

describe("EORTC 1999 – response-criteria.md §5 example", () => {
  it("−20 % after 1 cycle → PMR", () => {
    const r = assessEortc({ ...base, followUpSuv: 8, cyclesGiven: 1 });
    expect(r.category).toBe("PMR");
    expect(r.suvChange).toBeCloseTo(-0.2, 12);
  });
  it("−20 % after 3 cycles → SMD", () => {
    const r = assessEortc({ ...base, followUpSuv: 8, cyclesGiven: 3 });
    expect(r.category).toBe("SMD");
    expect(r.reasons[0]?.message).toMatch(/PMR needs < −25 % after 3 cycles/);
  });
});

describe("EORTC thresholds and boundaries (§5 table / pseudo-code)", () => {
  it("exactly −15 % after one cycle → PMR (inclusive); −14 % → SMD", () => {
    expect(assessEortc({ ...base, followUpSuv: 8.5 }).category).toBe("PMR");
    expect(assessEortc({ ...base, followUpSuv: 8.6 }).category).toBe("SMD");
  });
  it("exactly −25 % after >1 cycle → SMD (exclusive); −26 % → PMR", () => {
    expect(assessEortc({ ...base, followUpSuv: 7.5, cyclesGiven: 2 }).category).toBe("SMD");
    expect(assessEortc({ ...base, followUpSuv: 7.4, cyclesGiven: 2 }).category).toBe("PMR");
  });
  it("+25 % → SMD (exclusive); +26 % → PMD", () => {
    expect(assessEortc({ ...base, followUpSuv: 12.5 }).category).toBe("SMD");
    expect(assessEortc({ ...base, followUpSuv: 12.6 }).category).toBe("PMD");
  });
  it("extent > +20 % or new lesions → PMD; complete resolution → CMR", () => {
    expect(assessEortc({ ...base, extentIncrease: 0.21 }).category).toBe("PMD");
    expect(assessEortc({ ...base, extentIncrease: 0.2 }).category).toBe("SMD");
    expect(assessEortc({ ...base, newLesions: true, completeResolution: true }).category).toBe(
      "PMD",
    );
    expect(assessEortc({ ...base, followUpSuv: 1, completeResolution: true }).category).toBe("CMR");
  });
  it("bad input names the field", () => {
    expect(() => assessEortc({ ...base, baselineSuv: 0 })).toThrow(
      "baselineSuv must be > 0, got 0",
    );
    expect(() => assessEortc({ ...base, cyclesGiven: 1.5 })).toThrow(
      "cyclesGiven must be an integer ≥ 0, got 1.5",
    );
    expect(() => assessEortc({ ...base, followUpSuv: -2 })).toThrow(
      "followUpSuv must be ≥ 0, got -2",
    );
  });
});
