import { describe, expect, it } from "vitest";
import { categoryTone, criterionLabel, signedPercent, sortBy, waterfallOrder } from "./view";

describe("response view helpers", () => {
  it("tones: responses green, stable blue, progression red, NE grey; NETPET P5/P4b flagged", () => {
    expect(["CR", "PR", "MR", "CMR", "PMR", "DECREASE"].map(categoryTone)).toEqual(Array(6).fill("ok"));
    expect(["SD", "SMD", "STABLE"].map(categoryTone)).toEqual(["info", "info", "info"]);
    expect(["PD", "PMD", "INCREASE"].map(categoryTone)).toEqual(["bad", "bad", "bad"]);
    expect(categoryTone("NE")).toBe("neutral");
    expect(categoryTone("P5")).toBe("warn");
    expect(categoryTone("P1")).toBe("info");
  });
  it("signed percent with a sign, dash for missing, no negative zero", () => {
    expect(signedPercent(-32)).toBe("-32.0 %");
    expect(signedPercent(21.66)).toBe("+21.7 %");
    expect(signedPercent(null)).toBe("—");
    expect(signedPercent(-0.01)).toBe("0.0 %");
  });
  it("sorts with nulls last both ways, numeric-aware labels", () => {
    const rows = [{ v: 2, l: "L10" }, { v: null, l: "L2" }, { v: -1, l: "L1" }];
    expect(sortBy(rows, (r) => r.v, "asc").map((r) => r.v)).toEqual([-1, 2, null]);
    expect(sortBy(rows, (r) => r.v, "desc").map((r) => r.v)).toEqual([2, -1, null]);
    expect(sortBy(rows, (r) => r.l, "asc").map((r) => r.l)).toEqual(["L1", "L2", "L10"]);
  });
  it("criterion labels", () => {
    expect(criterionLabel("RECIST_1_1")).toBe("RECIST 1.1");
    expect(criterionLabel("UNKNOWN")).toBe("UNKNOWN");
  });
  it("waterfall: largest increase left, best response right", () => {
    expect(waterfallOrder([{ bestChangePercent: -40 }, { bestChangePercent: 10 }, { bestChangePercent: -5 }]).map((b) => b.bestChangePercent)).toEqual([10, -5, -40]);
  });
});
