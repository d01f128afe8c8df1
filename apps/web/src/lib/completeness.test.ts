import { describe, expect, it } from "vitest";
import { missingData } from "./completeness";

const now = new Date("2026-06-30T12:00:00Z");
const complete = {
  heightCm: 170,
  currentDiagnosis: { ki67Percent: 5 },
  latestWeight: { measuredAt: "2026-06-01T09:00:00Z" },
  labResults: [{ sampledAt: "2026-06-20T09:00:00Z" }],
};

describe("missingData", () => {
  it("finds nothing for a complete record", () => {
    expect(missingData(complete, now)).toEqual([]);
  });
  it("flags each missing item with the tab that fixes it", () => {
    const codes = missingData({ heightCm: null, currentDiagnosis: null, latestWeight: null, labResults: [] }, now).map(
      (m) => `${m.code}:${m.tab}`,
    );
    expect(codes).toEqual(["NO_DIAGNOSIS:diagnosis", "NO_HEIGHT:diagnosis", "NO_WEIGHT:diagnosis", "NO_LABS:labs"]);
  });
  it("flags stale weight (> 90 d) and stale labs (> 30 d) and a diagnosis without Ki-67", () => {
    const codes = missingData(
      {
        ...complete,
        currentDiagnosis: { ki67Percent: null },
        latestWeight: { measuredAt: "2026-03-01T09:00:00Z" },
        labResults: [{ sampledAt: "2026-05-01T09:00:00Z" }],
      },
      now,
    ).map((m) => m.code);
    expect(codes).toEqual(["NO_KI67", "OLD_WEIGHT", "OLD_LABS"]);
  });
});
