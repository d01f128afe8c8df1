import { describe, expect, it } from "vitest";
import { DEFAULT_GO_NO_GO_POLICY, recommendGoNoGo } from "../index.js";
import type { GoNoGoInput } from "../index.js";

const normal = (): GoNoGoInput => ({
  cycleNumber: 2,
  plannedActivityGBq: 7.4,
  labs: {
    platelets: { value: 200, lln: 150 },
    neutrophils: { value: 3, lln: 2 },
    haemoglobin: { value: 13, lln: 12 },
    creatinineClearanceMLPerMin: 80,
    baselineCreatinineClearanceMLPerMin: 85,
    bilirubin: { value: 10, uln: 21 },
    albuminGPerDL: 4,
  },
});
const w = (mut: (i: GoNoGoInput) => void) => {
  const i = normal();
  mut(i);
  return recommendGoNoGo(i);
};

describe("recommendGoNoGo (prrt-protocols.md §5, label via AJR 2023)", () => {
  it("normal labs → GO at the planned 7.4 GBq", () => {
    const r = recommendGoNoGo(normal());
    expect(r.action).toBe("GO");
    expect(r.recommendedActivityGBq).toBe(7.4);
    expect(r.reasons.map((x) => x.rule)).toEqual(["NO_HOLD_CONDITION"]);
    expect(r.reasons[0]?.source).toMatch(/§5/);
  });

  it("thrombocytopenia: grade 1 (75 ×10⁹/L) → GO, grade 2 (74.9) → DELAY until grade 0–1", () => {
    expect(
      w((i) => {
        i.labs.platelets = { value: 75, lln: 150 };
      }).action,
    ).toBe("GO");
    const r = w((i) => {
      i.labs.platelets = { value: 74.9, lln: 150 };
    });
    expect(r.action).toBe("DELAY");
    expect(r.recommendedActivityGBq).toBeNull();
    expect(r.triggers).toEqual(["THROMBOCYTOPENIA"]);
    expect(r.resumeWhen).toEqual(["platelet count decreased grade 0–1"]);
  });

  it("neutropenia and anaemia: grade 2 → GO, grade 3 → DELAY (grades or raw values)", () => {
    expect(
      w((i) => {
        i.labs.neutrophils = { value: 1.0, lln: 2 };
      }).action,
    ).toBe("GO");
    expect(
      w((i) => {
        i.labs.neutrophils = { value: 0.99, lln: 2 };
      }).triggers,
    ).toEqual(["NEUTROPENIA"]);
    expect(
      w((i) => {
        i.labs.haemoglobin = { grade: 2 };
      }).action,
    ).toBe("GO");
    const r = w((i) => {
      i.labs.haemoglobin = { value: 7.9, lln: 12 };
    });
    expect(r.action).toBe("DELAY");
    expect(r.resumeWhen).toEqual(["anaemia grade 0–2"]);
  });

  it("lymphopenia alone never modifies treatment", () => {
    const r = w((i) => {
      i.labs.lymphocytes = { grade: 4 };
      i.toxicities = [{ term: "Lymphocyte count decreased", grade: 4 }];
    });
    expect(r.action).toBe("GO");
    expect(r.reasons.map((x) => x.rule)).toContain("LYMPHOPENIA_NO_MODIFICATION");
  });

  it("renal: CrCl 40 → GO, 39.9 → DELAY; CrCl fall 40 % from baseline → DELAY, 39.9 % → GO; creatinine rise 40 % → DELAY", () => {
    expect(
      w((i) => {
        i.labs.creatinineClearanceMLPerMin = 40;
        i.labs.baselineCreatinineClearanceMLPerMin = 50;
      }).action,
    ).toBe("GO");
    expect(
      w((i) => {
        i.labs.creatinineClearanceMLPerMin = 39.9;
        i.labs.baselineCreatinineClearanceMLPerMin = null;
      }).triggers,
    ).toEqual(["RENAL"]);
    expect(
      w((i) => {
        i.labs.creatinineClearanceMLPerMin = 60;
        i.labs.baselineCreatinineClearanceMLPerMin = 100;
      }).reasons.map((x) => x.rule),
    ).toContain("RENAL_CRCL_FALL");
    expect(
      w((i) => {
        i.labs.creatinineClearanceMLPerMin = 60.1;
        i.labs.baselineCreatinineClearanceMLPerMin = 100;
      }).action,
    ).toBe("GO");
    expect(
      w((i) => {
        i.labs.serumCreatinine = { value: 1.4, baseline: 1.0 };
      }).reasons.map((x) => x.rule),
    ).toContain("RENAL_CREATININE_RISE");
    expect(
      w((i) => {
        i.labs.serumCreatinine = { value: 1.39, baseline: 1.0 };
      }).action,
    ).toBe("GO");
  });

  it("hepatic: bilirubin 3 × ULN → GO, above → DELAY; albumin < 3.0 with INR > 1.5 → DELAY, INR 1.5 → GO, INR missing → DELAY (LABS_MISSING)", () => {
    expect(
      w((i) => {
        i.labs.bilirubin = { value: 63, uln: 21 };
      }).action,
    ).toBe("GO");
    expect(
      w((i) => {
        i.labs.bilirubin = { value: 63.1, uln: 21 };
      }).triggers,
    ).toEqual(["HEPATIC"]);
    expect(
      w((i) => {
        i.labs.albuminGPerDL = 2.9;
        i.labs.inr = 1.6;
      }).triggers,
    ).toEqual(["HEPATIC"]);
    expect(
      w((i) => {
        i.labs.albuminGPerDL = 2.9;
        i.labs.inr = 1.5;
      }).action,
    ).toBe("GO");
    const m = w((i) => {
      i.labs.albuminGPerDL = 2.9;
    });
    expect(m.action).toBe("DELAY");
    expect(m.reasons.map((x) => x.rule)).toEqual(["LABS_MISSING"]);
  });

  it("other related AE grade 3 → DELAY; grade 2 or unrelated → GO", () => {
    expect(
      w((i) => {
        i.toxicities = [{ term: "Nausea", grade: 3 }];
      }).triggers,
    ).toEqual(["OTHER"]);
    expect(
      w((i) => {
        i.toxicities = [{ term: "Nausea", grade: 2 }];
      }).action,
    ).toBe("GO");
    expect(
      w((i) => {
        i.toxicities = [{ term: "Fracture", grade: 3, relatedToPrrt: false }];
      }).action,
    ).toBe("GO");
  });

  it("hypersensitivity grade 3 → STOP now and in later cycles; grade 2 → GO", () => {
    const r = w((i) => {
      i.toxicities = [{ term: "Anaphylaxis", grade: 3 }];
    });
    expect(r.action).toBe("STOP");
    expect(r.triggers).toEqual(["HYPERSENSITIVITY"]);
    expect(
      w((i) => {
        i.toxicities = [{ term: "Allergic reaction", grade: 2 }];
      }).action,
    ).toBe("GO");
    expect(
      w((i) => {
        i.previousDecisions = [{ cycleNumber: 1, action: "STOP", triggers: ["HYPERSENSITIVITY"] }];
      }).action,
    ).toBe("STOP");
  });

  it("withhold → resume at reduced 3.7 GBq → continue reduced; recurrence after reduction → STOP", () => {
    const held = w((i) => {
      i.labs.platelets = { grade: 2 };
    });
    expect(held.action).toBe("DELAY");
    const resumed = w((i) => {
      i.previousDecisions = [{ cycleNumber: 2, action: "DELAY", triggers: held.triggers }];
    });
    expect(resumed.action).toBe("REDUCE");
    expect(resumed.recommendedActivityGBq).toBe(3.7);
    expect(resumed.triggers).toEqual(["THROMBOCYTOPENIA"]);
    const history = [
      { cycleNumber: 2, action: "DELAY" as const, triggers: held.triggers },
      { cycleNumber: 2, action: "REDUCE" as const, triggers: held.triggers },
    ];
    const next = w((i) => {
      i.cycleNumber = 3;
      i.previousDecisions = history;
    });
    expect(next.action).toBe("REDUCE");
    expect(next.recommendedActivityGBq).toBe(3.7);
    const rec = w((i) => {
      i.cycleNumber = 3;
      i.previousDecisions = history;
      i.labs.platelets = { value: 60, lln: 150 };
    });
    expect(rec.action).toBe("STOP");
    expect(rec.reasons.at(-1)?.rule).toBe("RECURRENCE_AFTER_REDUCTION");
    // a different toxicity after a platelet reduction is withheld, not stopped
    expect(
      w((i) => {
        i.cycleNumber = 3;
        i.previousDecisions = history;
        i.labs.neutrophils = { grade: 3 };
      }).action,
    ).toBe("DELAY");
  });

  it("policy may return to the planned activity after a tolerated reduced cycle", () => {
    const policy = {
      ...DEFAULT_GO_NO_GO_POLICY,
      returnToPlannedActivityAfterToleratedReduction: { value: true, source: "label" },
    };
    const i = normal();
    i.cycleNumber = 3;
    i.previousDecisions = [
      { cycleNumber: 2, action: "DELAY", triggers: ["THROMBOCYTOPENIA"] },
      { cycleNumber: 2, action: "REDUCE", triggers: ["THROMBOCYTOPENIA"] },
    ];
    const r = recommendGoNoGo(i, policy);
    expect(r.action).toBe("GO");
    expect(r.recommendedActivityGBq).toBe(7.4);
  });

  it("delay ≥ 16 weeks (112 days) with persisting toxicity → STOP; 111 days → DELAY", () => {
    expect(
      w((i) => {
        i.labs.platelets = { grade: 2 };
        i.delayDays = 111;
      }).action,
    ).toBe("DELAY");
    const r = w((i) => {
      i.labs.platelets = { grade: 2 };
      i.delayDays = 112;
    });
    expect(r.action).toBe("STOP");
    expect(r.reasons.at(-1)?.rule).toBe("DELAY_16_WEEKS");
  });

  it("optional renal CTCAE discontinuation rule (off by default)", () => {
    const i = normal();
    i.toxicities = [{ term: "Chronic kidney disease", grade: 3 }];
    expect(recommendGoNoGo(i).action).toBe("DELAY"); // treated as other grade-3 AE
    const policy = {
      ...DEFAULT_GO_NO_GO_POLICY,
      discontinueOnRenalCtcaeGradeAtLeast: { value: 3, source: "site" },
    };
    expect(recommendGoNoGo(i, policy).action).toBe("STOP");
  });

  it("missing required labs → DELAY (LABS_MISSING), never a silent GO", () => {
    const r = w((i) => {
      delete i.labs.platelets;
      delete i.labs.bilirubin;
    });
    expect(r.action).toBe("DELAY");
    expect(r.reasons.at(-1)?.rule).toBe("LABS_MISSING");
    expect(String(r.reasons.at(-1)?.value)).toMatch(/platelets.*bilirubin/);
    expect(
      w((i) => {
        i.labs.creatinineClearanceMLPerMin = null;
      }).action,
    ).toBe("DELAY");
  });

  it("bad input throws naming the field and value", () => {
    expect(() =>
      w((i) => {
        i.plannedActivityGBq = 0;
      }),
    ).toThrow(/input\.plannedActivityGBq.*0/);
    expect(() =>
      w((i) => {
        i.plannedActivityGBq = 74;
      }),
    ).toThrow(/plannedActivityGBq.*74/);
    expect(() =>
      w((i) => {
        i.cycleNumber = 0;
      }),
    ).toThrow(/input\.cycleNumber/);
    expect(() =>
      w((i) => {
        i.labs.platelets = { grade: 7 as 4 };
      }),
    ).toThrow(/input\.labs\.platelets\.grade.*7/);
    expect(() =>
      w((i) => {
        i.labs.platelets = { value: -3, lln: 150 };
      }),
    ).toThrow(/input\.labs\.platelets.*-3/);
    expect(() =>
      w((i) => {
        i.labs.creatinineClearanceMLPerMin = -1;
      }),
    ).toThrow(/creatinineClearanceMLPerMin/);
    expect(() =>
      w((i) => {
        i.delayDays = -2;
      }),
    ).toThrow(/input\.delayDays/);
    expect(() =>
      w((i) => {
        i.toxicities = [{ term: "", grade: 3 }];
      }),
    ).toThrow(/toxicities\[0\]\.term/);
    expect(() =>
      w((i) => {
        i.labs.bilirubin = { value: 1, uln: 0 };
      }),
    ).toThrow(/bilirubin\.uln/);
  });
});
