import { describe, expect, it } from "vitest";
import pngjs from "pngjs";
import { decisionProblems, signProblem, transitionProblem, type DecisionFields } from "./boards.policy";
import { canonicalJson, contentHash } from "./canonical";
import { coronalMip, encodePng, renderMip, windowUpper } from "./mip";
import { pdfText } from "../../shared/exports";

const fieldsOf = (d: DecisionFields) => Object.fromEntries(decisionProblems(d, "2026-01-10").map((p) => [p.field, p.message]));

describe("meeting lifecycle", () => {
  it("allows exactly SCHEDULED→IN_PROGRESS→CLOSED and SCHEDULED→CANCELLED", () => {
    expect(transitionProblem("SCHEDULED", "START")).toBeNull();
    expect(transitionProblem("IN_PROGRESS", "CLOSE")).toBeNull();
    expect(transitionProblem("SCHEDULED", "CANCEL")).toBeNull();
    expect(transitionProblem("SCHEDULED", "CLOSE")).toMatch(/SCHEDULED meeting cannot be closed/);
    expect(transitionProblem("IN_PROGRESS", "CANCEL")).toMatch(/cannot be cancelled/);
    expect(transitionProblem("CLOSED", "START")).toMatch(/cannot be started/);
    expect(transitionProblem("CANCELLED", "START")).not.toBeNull();
  });
});

describe("signing is the chair's", () => {
  const meeting = { chairUserId: "chair", status: "IN_PROGRESS" as const };
  it("refuses anyone else (FORBIDDEN), a signed decision, and a cancelled/scheduled meeting", () => {
    expect(signProblem(meeting, { status: "DRAFT" }, "chair")).toBeNull();
    expect(signProblem({ ...meeting, status: "CLOSED" }, { status: "DRAFT" }, "chair")).toBeNull();
    expect(signProblem(meeting, { status: "DRAFT" }, "someone")?.code).toBe("FORBIDDEN");
    expect(signProblem(meeting, { status: "SIGNED" }, "chair")?.message).toMatch(/already signed/);
    expect(signProblem({ ...meeting, status: "SCHEDULED" }, { status: "DRAFT" }, "chair")?.code).toBe("INVALID");
  });
});

describe("decision fields per outcome", () => {
  it("START_PRRT needs agent, cycles and activity within range", () => {
    expect(fieldsOf({ outcome: "START_PRRT", radiopharmaceuticalId: "x", plannedCycles: 4, activityPerCycleGBq: 7.4, consensus: true })).toEqual({});
    const f = fieldsOf({ outcome: "START_PRRT", plannedCycles: 0, activityPerCycleGBq: 0.5, consensus: true });
    expect(f.radiopharmaceuticalId).toMatch(/required/);
    expect(f.plannedCycles).toMatch(/got 0/);
    expect(f.activityPerCycleGBq).toMatch(/between 1 and 15 GBq \(got 0.5\)/);
    expect(fieldsOf({ outcome: "RETREATMENT", radiopharmaceuticalId: "x", plannedCycles: 2.5, activityPerCycleGBq: 7.4, consensus: true }).plannedCycles).toMatch(/whole number/);
  });
  it("MODIFY_ACTIVITY needs the new activity; other outcomes refuse it", () => {
    expect(fieldsOf({ outcome: "MODIFY_ACTIVITY", consensus: true }).newActivityGBq).toMatch(/required/);
    expect(fieldsOf({ outcome: "MODIFY_ACTIVITY", newActivityGBq: 3.7, consensus: true })).toEqual({});
    expect(fieldsOf({ outcome: "CONTINUE", newActivityGBq: 3.7, consensus: true }).newActivityGBq).toMatch(/must be empty for CONTINUE/);
    expect(fieldsOf({ outcome: "STOP", plannedCycles: 2, consensus: true }).plannedCycles).toMatch(/must be empty/);
  });
  it("DELAY needs a future date or 1–52 weeks, not both", () => {
    expect(fieldsOf({ outcome: "DELAY", consensus: true }).delayUntil).toMatch(/date or a number of weeks/);
    expect(fieldsOf({ outcome: "DELAY", delayUntil: "2026-01-10", consensus: true }).delayUntil).toMatch(/after today/);
    expect(fieldsOf({ outcome: "DELAY", delayUntil: "2026-02-01", delayWeeks: 3, consensus: true }).delayWeeks).toMatch(/not both/);
    expect(fieldsOf({ outcome: "DELAY", delayWeeks: 60, consensus: true }).delayWeeks).toMatch(/1–52/);
    expect(fieldsOf({ outcome: "DELAY", delayWeeks: 4, consensus: true })).toEqual({});
  });
  it("always needs a rationale", () => {
    expect(fieldsOf({ outcome: "STOP", consensus: true, rationale: "  " }).rationale).toMatch(/rationale is required/);
    expect(fieldsOf({ outcome: "STOP", consensus: true, rationale: "progression on two criteria" })).toEqual({});
  });
  it("needs votes or consensus, not both, and at least one vote", () => {
    expect(fieldsOf({ outcome: "CONTINUE" }).votesFor).toMatch(/votes|consensus/);
    expect(fieldsOf({ outcome: "CONTINUE", consensus: true, votesFor: 3 }).consensus).toMatch(/not both/);
    expect(fieldsOf({ outcome: "CONTINUE", votesFor: 0, votesAgainst: 0 }).votesFor).toMatch(/at least one vote/);
    expect(fieldsOf({ outcome: "CONTINUE", votesFor: -1 }).votesFor).toMatch(/got -1/);
    expect(fieldsOf({ outcome: "CONTINUE", votesFor: 4, votesAgainst: 1 })).toEqual({});
  });
});

describe("canonical content hash", () => {
  it("does not depend on key order and changes with any value", () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: null }], u: undefined })).toBe('{"a":[1,{"c":null,"d":2}],"b":1}');
    expect(contentHash({ a: 1, b: 2 })).toBe(contentHash({ b: 2, a: 1 }));
    expect(contentHash({ a: 1, b: 2 })).not.toBe(contentHash({ a: 1, b: 3 }));
    // SHA-256 of "{}" (FIPS 180-4 test style reference, computed with sha256sum).
    expect(contentHash({})).toBe("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  });
});

describe("coronal MIP", () => {
  it("takes the maximum over rows (y) for every column and slice", () => {
    // 3 × 2 × 2 volume, data[x + nx*(y + ny*z)]
    const data = [1, 2, 3, 4, 0, 9, /* z=1 */ 5, 5, 5, 0, 7, 1];
    expect([...coronalMip(data, [3, 2, 2])]).toEqual([4, 2, 9, 5, 7, 5]);
    expect(() => coronalMip([1, 2], [3, 2, 2])).toThrow(/does not match dims 3×2×2/);
  });
  it("windows at the 99.5th percentile of positive values, renders uptake dark with the physical aspect and cranial end on top", () => {
    expect(windowUpper([0, 0, 0])).toBe(1);
    const vals = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(windowUpper(vals)).toBe(995);
    // nx = 2, nz = 2; z = 1 (last slice) is hot in column 0.
    const mip = new Float32Array([0, 0, 10, 0]);
    const img = renderMip(mip, 2, 2, 4, 8, false, 2);
    expect([img.width, img.height]).toEqual([2, 4]); // 8 mm wide, 16 mm tall
    expect(img.grey[0]).toBe(0); // top-left: the hot voxel (cranial end on top), black
    expect(img.grey[img.grey.length - 1]).toBe(255);
    const flipped = renderMip(mip, 2, 2, 4, 8, true, 2);
    expect(flipped.grey[0]).toBe(255);
    const png = pngjs.PNG.sync.read(encodePng(img));
    expect([png.width, png.height, png.data[0], png.data[3]]).toEqual([2, 4, 0, 255]);
  });
});

describe("PDF text", () => {
  it("spells out symbols the standard PDF font lacks", () => {
    expect(pdfText("CrCl ≥ 50 mL/min → ok, µmol/L")).toBe("CrCl >= 50 mL/min -> ok, µmol/L");
    expect(pdfText("α 漢")).toBe("alpha ?");
  });
});
