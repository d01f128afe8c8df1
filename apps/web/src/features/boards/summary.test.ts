import { describe, expect, it } from "vitest";
import { decisionSummary } from "./summary";

describe("decisionSummary", () => {
  it("describes a regimen with GBq and votes", () => {
    expect(
      decisionSummary({ outcome: "START_PRRT", regimen: { plannedCycles: 4, activityPerCycleGBq: 7.4, radiopharmaceutical: { name: "177Lu-DOTATATE" }, protocolTemplate: null }, consensus: false, votesFor: 5, votesAgainst: 1, votesAbstain: 0 }),
    ).toBe("Start prrt · 177Lu-DOTATATE 4 × 7.4 GBq · votes 5 for / 1 against / 0 abstain");
  });
  it("describes modify-activity and delay decisions by consensus", () => {
    expect(decisionSummary({ outcome: "MODIFY_ACTIVITY", newActivityGBq: 5.55, consensus: true })).toBe("Modify activity · new activity 5.55 GBq · consensus");
    expect(decisionSummary({ outcome: "DELAY", delayWeeks: 4, consensus: true })).toBe("Delay · 4 weeks · consensus");
  });
});
