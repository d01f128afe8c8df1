import { describe, expect, it } from "vitest";
import { suggestedKrenning } from "./quantify";

// response-criteria.md §6.1 suggested grade from SUVs: > spleen → 4, > liver → 3, ≈ liver → 2, below → 1;
// no suggestion without both reference organs (the physician grades visually).
describe("suggestedKrenning (delegates to @lutetia/quantification suggestedKrenningScore)", () => {
  it("grades against liver and spleen means", () => {
    expect(suggestedKrenning(30, 6, 9)).toBe(4);
    expect(suggestedKrenning(8, 6, 9)).toBe(3);
    expect(suggestedKrenning(1, 6, 9)).toBe(1);
  });
  it("gives no suggestion without a liver or spleen reference", () => {
    expect(suggestedKrenning(8, null, 9)).toBeNull();
    expect(suggestedKrenning(8, 6, null)).toBeNull();
    expect(suggestedKrenning(8, 0, 9)).toBeNull();
  });
});
