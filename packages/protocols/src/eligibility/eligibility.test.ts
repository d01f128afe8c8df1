import { describe, expect, it } from "vitest";
import {
  LUTIA_ELIGIBILITY_POLICY,
  NETTER_STYLE_ELIGIBILITY_POLICY,
  evaluateEligibility,
  whoGradeFromKi67,
} from "../index.js";
import type { CriterionResult, EligibilityInput, EligibilityPolicy } from "../index.js";

/** A complete, eligible synthetic patient (no PHI). */
const ok = (): EligibilityInput => ({
  asOf: "2026-03-10T12:00:00Z",
  timeZone: "Europe/Amsterdam",
  sstr: {
    targetLesions: [
      { id: "L1", krenning: 3 },
      { id: "L2", krenning: 4 },
    ],
  },
  fdg: { performed: false },
  pathology: { ki67Percent: 5, whoGrade: "G2" },
  labs: {
    sampledAt: "2026-03-05T08:00:00Z",
    haemoglobinGPerDL: 12,
    wbcE9PerL: 5,
    plateletsE9PerL: 200,
    creatinineClearanceMLPerMin: 80,
    bilirubin: { value: 10, uln: 21 },
    albuminGPerDL: 4,
    inr: 1.0,
  },
  performance: { ecog: 1 },
  priorPrrt: { received: false },
  ssa: {
    plannedAdministrationAt: "2026-03-17T09:00:00+01:00",
    lastLongActingAt: "2026-02-17T10:00:00+01:00",
    lastShortActingAt: null,
  },
});
const crit = (r: { criteria: CriterionResult[] }, id: string): CriterionResult => {
  const c = r.criteria.find((x) => x.id === id);
  if (!c) throw new Error(`no criterion ${id}`);
  return c;
};
const run = (mut: (p: EligibilityInput) => void, policy?: EligibilityPolicy) => {
  const p = ok();
  mut(p);
  return evaluateEligibility(p, policy);
};

describe("evaluateEligibility – overall (prrt-protocols.md §3)", () => {
  it("complete eligible patient → ELIGIBLE with every criterion PASS and sourced", () => {
    const r = evaluateEligibility(ok());
    expect(r.overall).toBe("ELIGIBLE");
    expect(r.criteria.map((c) => c.status).every((s) => s === "PASS")).toBe(true);
    expect(r.criteria.map((c) => c.id)).toEqual([
      "sstr-uptake",
      "ki67",
      "fdg-discordance",
      "haemoglobin",
      "wbc",
      "platelets",
      "renal",
      "bilirubin",
      "albumin",
      "inr",
      "performance",
      "prior-prrt",
      "ssa-washout",
      "lab-age",
    ]);
    expect(r.criteria.every((c) => c.source.includes(".md §"))).toBe(true);
    expect(r.reasons).toEqual([]);
    expect(r.advisory).toBe(true);
  });
  it("empty input → NEEDS_DATA for every criterion, never a silent pass", () => {
    const r = evaluateEligibility({ asOf: "2026-03-10T12:00:00Z" });
    expect(r.overall).toBe("NEEDS_DATA");
    expect(r.criteria.every((c) => c.status === "NEEDS_DATA")).toBe(true);
    expect(r.reasons).toHaveLength(r.criteria.length);
  });
  it("FAIL beats NEEDS_DATA beats WARN", () => {
    expect(
      run((p) => {
        p.labs!.plateletsE9PerL = 10;
        delete p.performance;
      }).overall,
    ).toBe("NOT_ELIGIBLE");
    expect(
      run((p) => {
        delete p.performance;
        p.priorPrrt = { received: true, cumulativeActivityGBq: 29.6, cumulativeKidneyDoseGy: 15 };
      }).overall,
    ).toBe("NEEDS_DATA");
    expect(
      run((p) => {
        p.priorPrrt = {
          received: true,
          cumulativeActivityGBq: 29.6,
          cumulativeKidneyDoseGy: 15,
          pfsMonthsAfterLastCourse: 24,
        };
      }).overall,
    ).toBe("REVIEW");
  });
});

describe("SSTR uptake (Krenning ≥ 2 default; response-criteria.md §6.1)", () => {
  it("Krenning 2 passes, 1 fails; threshold 3 (> liver) makes 2 fail", () => {
    expect(
      crit(
        run((p) => {
          p.sstr = { targetLesions: [{ id: "L1", krenning: 2 }] };
        }),
        "sstr-uptake",
      ).status,
    ).toBe("PASS");
    const f = crit(
      run((p) => {
        p.sstr = {
          targetLesions: [
            { id: "L1", krenning: 4 },
            { id: "L2", krenning: 1 },
          ],
        };
      }),
      "sstr-uptake",
    );
    expect(f.status).toBe("FAIL");
    expect(f.value).toBe(1);
    expect(f.message).toMatch(/L2=1/);
    const strict = {
      ...NETTER_STYLE_ELIGIBILITY_POLICY,
      minKrenning: { value: 3, source: "PET-era > liver" },
    };
    expect(
      crit(
        run((p) => {
          p.sstr = { targetLesions: [{ id: "L1", krenning: 2 }] };
        }, strict),
        "sstr-uptake",
      ).status,
    ).toBe("FAIL");
  });
  it("unscored target lesion → NEEDS_DATA; empty list → NEEDS_DATA", () => {
    expect(
      crit(
        run((p) => {
          p.sstr = {
            targetLesions: [
              { id: "L1", krenning: 3 },
              { id: "L2", krenning: null },
            ],
          };
        }),
        "sstr-uptake",
      ).status,
    ).toBe("NEEDS_DATA");
    expect(
      crit(
        run((p) => {
          p.sstr = { targetLesions: [] };
        }),
        "sstr-uptake",
      ).status,
    ).toBe("NEEDS_DATA");
  });
  it("Krenning outside 0–4 throws naming the field", () => {
    expect(() =>
      run((p) => {
        p.sstr = { targetLesions: [{ id: "L1", krenning: 5 }] };
      }),
    ).toThrow(/targetLesions\[0\]\.krenning.*5/);
  });
});

describe("FDG+/SSTR− discordance (response-criteria.md §7.3)", () => {
  it("FDG+ lesion with Krenning 1 → FAIL by default, WARN when policy says so", () => {
    const mut = (p: EligibilityInput) => {
      p.fdg = {
        performed: true,
        lesions: [
          { id: "L1", fdgPositive: true, krenning: 3 },
          { id: "L9", fdgPositive: true, krenning: 1 },
        ],
      };
    };
    const f = crit(run(mut), "fdg-discordance");
    expect(f.status).toBe("FAIL");
    expect(f.message).toMatch(/L9/);
    const lenient = {
      ...NETTER_STYLE_ELIGIBILITY_POLICY,
      discordantLesionStatus: { value: "WARN" as const, source: "site" },
    };
    expect(crit(run(mut, lenient), "fdg-discordance").status).toBe("WARN");
  });
  it("FDG+ with Krenning 2 is concordant; FDG− with Krenning 0 is not discordant", () => {
    expect(
      crit(
        run((p) => {
          p.fdg = {
            performed: true,
            lesions: [
              { id: "a", fdgPositive: true, krenning: 2 },
              { id: "b", fdgPositive: false, krenning: 0 },
            ],
          };
        }),
        "fdg-discordance",
      ).status,
    ).toBe("PASS");
  });
  it("indeterminate small lesion → WARN; FDG+ lesion without SSTR score → NEEDS_DATA", () => {
    expect(
      crit(
        run((p) => {
          p.fdg = {
            performed: true,
            lesions: [{ id: "a", fdgPositive: true, krenning: 0, indeterminate: true }],
          };
        }),
        "fdg-discordance",
      ).status,
    ).toBe("WARN");
    expect(
      crit(
        run((p) => {
          p.fdg = { performed: true, lesions: [{ id: "a", fdgPositive: true, krenning: null }] };
        }),
        "fdg-discordance",
      ).status,
    ).toBe("NEEDS_DATA");
  });
  it("FDG not performed: PASS at Ki-67 10 %, WARN at 10.1 % or G3, NEEDS_DATA if FDG status unknown", () => {
    expect(
      crit(
        run((p) => {
          p.pathology = { ki67Percent: 10 };
        }),
        "fdg-discordance",
      ).status,
    ).toBe("PASS");
    expect(
      crit(
        run((p) => {
          p.pathology = { ki67Percent: 10.1 };
        }),
        "fdg-discordance",
      ).status,
    ).toBe("WARN");
    expect(
      crit(
        run((p) => {
          p.pathology = { whoGrade: "G3" };
        }),
        "fdg-discordance",
      ).status,
    ).toBe("WARN");
    expect(
      crit(
        run((p) => {
          delete p.fdg;
        }),
        "fdg-discordance",
      ).status,
    ).toBe("NEEDS_DATA");
  });
});

describe("Ki-67 / WHO grade (≤ 20 % default)", () => {
  it("20 % passes, 20.1 % fails", () => {
    expect(
      crit(
        run((p) => {
          p.pathology = { ki67Percent: 20 };
        }),
        "ki67",
      ).status,
    ).toBe("PASS");
    expect(
      crit(
        run((p) => {
          p.pathology = { ki67Percent: 20.1 };
        }),
        "ki67",
      ).status,
    ).toBe("FAIL");
  });
  it("grade/Ki-67 mismatch warns", () => {
    expect(
      crit(
        run((p) => {
          p.pathology = { ki67Percent: 2, whoGrade: "G2" };
        }),
        "ki67",
      ).status,
    ).toBe("WARN");
  });
  it("grade only: G1/G2 pass, G3 fails; NETTER-2 range 10–55 % makes G2 need the Ki-67 value", () => {
    expect(
      crit(
        run((p) => {
          p.pathology = { whoGrade: "G2" };
        }),
        "ki67",
      ).status,
    ).toBe("PASS");
    expect(
      crit(
        run((p) => {
          p.pathology = { whoGrade: "G3" };
        }),
        "ki67",
      ).status,
    ).toBe("FAIL");
    const n2 = {
      ...NETTER_STYLE_ELIGIBILITY_POLICY,
      minKi67Percent: { value: 10, source: "NETTER-2" },
      maxKi67Percent: { value: 55, source: "NETTER-2" },
    };
    expect(
      crit(
        run((p) => {
          p.pathology = { whoGrade: "G2" };
        }, n2),
        "ki67",
      ).status,
    ).toBe("NEEDS_DATA");
    expect(
      crit(
        run((p) => {
          p.pathology = { whoGrade: "G1" };
        }, n2),
        "ki67",
      ).status,
    ).toBe("FAIL");
    expect(
      crit(
        run((p) => {
          p.pathology = { ki67Percent: 9.9 };
        }, n2),
        "ki67",
      ).status,
    ).toBe("FAIL");
    expect(
      crit(
        run((p) => {
          p.pathology = { ki67Percent: 10 };
        }, n2),
        "ki67",
      ).status,
    ).toBe("PASS");
    expect(
      crit(
        run((p) => {
          p.pathology = { ki67Percent: 55 };
        }, n2),
        "ki67",
      ).status,
    ).toBe("PASS");
  });
  it("whoGradeFromKi67 bands: 2.9 → G1, 3 → G2, 20 → G2, 20.1 → G3", () => {
    expect([2.9, 3, 20, 20.1].map(whoGradeFromKi67)).toEqual(["G1", "G2", "G2", "G3"]);
    expect(() => whoGradeFromKi67(101)).toThrow(/ki67Percent.*101/);
  });
});

describe("labs (NETTER-style thresholds, canonical units)", () => {
  it.each([
    ["haemoglobin", "haemoglobinGPerDL", 8.0, 7.99],
    ["wbc", "wbcE9PerL", 2.0, 1.99],
    ["platelets", "plateletsE9PerL", 75, 74.9],
    ["renal", "creatinineClearanceMLPerMin", 50, 49.9],
    ["albumin", "albuminGPerDL", 3.0, 2.99],
  ] as const)("%s: %s = boundary passes, just below fails", (id, field, pass, fail) => {
    expect(
      crit(
        run((p) => {
          p.labs = { ...p.labs, [field]: pass };
        }),
        id,
      ).status,
    ).toBe("PASS");
    const mut = (p: EligibilityInput) => {
      p.labs = { ...p.labs, [field]: fail, prothrombinTimeNormal: false };
    };
    expect(crit(run(mut), id).status).toBe("FAIL");
    expect(
      crit(
        run((p) => {
          p.labs = { ...p.labs, [field]: null };
        }),
        id,
      ).status,
    ).toBe("NEEDS_DATA");
  });
  it("bilirubin 3.0 × ULN passes, 3.01 × ULN fails (×ULN)", () => {
    expect(
      crit(
        run((p) => {
          p.labs!.bilirubin = { value: 63, uln: 21 };
        }),
        "bilirubin",
      ).status,
    ).toBe("PASS");
    expect(
      crit(
        run((p) => {
          p.labs!.bilirubin = { value: 63.3, uln: 21 };
        }),
        "bilirubin",
      ).status,
    ).toBe("FAIL");
    expect(() =>
      run((p) => {
        p.labs!.bilirubin = { value: 10, uln: 0 };
      }),
    ).toThrow(/bilirubin\.uln/);
  });
  it("albumin < 3.0 is accepted when prothrombin time is normal, NEEDS_DATA when PT unknown; LUTIA has no exception", () => {
    expect(
      crit(
        run((p) => {
          p.labs!.albuminGPerDL = 2.8;
          p.labs!.prothrombinTimeNormal = true;
        }),
        "albumin",
      ).status,
    ).toBe("PASS");
    expect(
      crit(
        run((p) => {
          p.labs!.albuminGPerDL = 2.8;
        }),
        "albumin",
      ).status,
    ).toBe("NEEDS_DATA");
    expect(
      crit(
        run((p) => {
          p.labs!.albuminGPerDL = 2.8;
          p.labs!.prothrombinTimeNormal = true;
        }, LUTIA_ELIGIBILITY_POLICY),
        "albumin",
      ).status,
    ).toBe("FAIL");
  });
  it("INR 1.5 passes, 1.51 fails; policy null skips INR", () => {
    expect(
      crit(
        run((p) => {
          p.labs!.inr = 1.5;
        }),
        "inr",
      ).status,
    ).toBe("PASS");
    expect(
      crit(
        run((p) => {
          p.labs!.inr = 1.51;
        }),
        "inr",
      ).status,
    ).toBe("FAIL");
    const r = run(
      (p) => {
        delete p.labs!.inr;
      },
      { ...NETTER_STYLE_ELIGIBILITY_POLICY, maxInr: null },
    );
    expect(r.criteria.some((c) => c.id === "inr")).toBe(false);
    expect(r.overall).toBe("ELIGIBLE");
  });
  it("Cockcroft–Gault fallback: reference example 53.1 mL/min passes ≥ 50 and shows the value", () => {
    const c = crit(
      run((p) => {
        p.labs!.creatinineClearanceMLPerMin = null;
        p.labs!.cockcroftGault = {
          ageYears: 65,
          weightKg: 60,
          serumCreatinineMgPerDL: 1.0,
          sex: "F",
        };
      }),
      "renal",
    );
    expect(c.status).toBe("PASS");
    expect(c.value).toBeCloseTo(53.125, 10);
    expect(c.message).toMatch(/Cockcroft/);
    // a rounding-sized change flips it (reference: "show the computed value")
    const f = crit(
      run((p) => {
        p.labs!.creatinineClearanceMLPerMin = null;
        p.labs!.cockcroftGault = {
          ageYears: 65,
          weightKg: 60,
          serumCreatinineMgPerDL: 1.07,
          sex: "F",
        };
      }),
      "renal",
    );
    expect(f.status).toBe("FAIL");
  });
  it("eGFR is the last-resort renal input and is labelled as such", () => {
    const c = crit(
      run((p) => {
        p.labs!.creatinineClearanceMLPerMin = null;
        p.labs!.egfrMLPerMinPer173m2 = 49;
      }),
      "renal",
    );
    expect(c.status).toBe("FAIL");
    expect(c.message).toMatch(/eGFR/);
  });

  it("LUTIA policy: platelets 99 fail, WBC 2.9 fail, bilirubin 1.01 × ULN fails, ECOG 2 fails", () => {
    const L = LUTIA_ELIGIBILITY_POLICY;
    expect(
      crit(
        run((p) => {
          p.labs!.plateletsE9PerL = 99;
        }, L),
        "platelets",
      ).status,
    ).toBe("FAIL");
    expect(
      crit(
        run((p) => {
          p.labs!.plateletsE9PerL = 100;
        }, L),
        "platelets",
      ).status,
    ).toBe("PASS");
    expect(
      crit(
        run((p) => {
          p.labs!.wbcE9PerL = 2.9;
        }, L),
        "wbc",
      ).status,
    ).toBe("FAIL");
    expect(
      crit(
        run((p) => {
          p.labs!.bilirubin = { value: 21.3, uln: 21 };
        }, L),
        "bilirubin",
      ).status,
    ).toBe("FAIL");
    expect(
      crit(
        run((p) => {
          p.performance = { ecog: 2 };
        }, L),
        "performance",
      ).status,
    ).toBe("FAIL");
    expect(
      crit(
        run((p) => {
          p.labs!.haemoglobinGPerDL = 8.8;
        }, L),
        "haemoglobin",
      ).status,
    ).toBe("FAIL");
    expect(
      crit(
        run((p) => {
          p.labs!.haemoglobinGPerDL = 8.9;
        }, L),
        "haemoglobin",
      ).status,
    ).toBe("PASS");
  });
  it("negative or non-numeric lab values throw naming the field", () => {
    expect(() =>
      run((p) => {
        p.labs!.plateletsE9PerL = -1;
      }),
    ).toThrow(/patient\.labs\.plateletsE9PerL.*-1/);
    expect(() =>
      run((p) => {
        p.labs!.haemoglobinGPerDL = "12" as unknown as number;
      }),
    ).toThrow(TypeError);
  });
});

describe("performance status (Karnofsky ≥ 60 ≈ ECOG ≤ 2)", () => {
  it("ECOG 2 passes, 3 fails; KPS 60 passes, 50 fails; either failing fails; none → NEEDS_DATA", () => {
    expect(
      crit(
        run((p) => {
          p.performance = { ecog: 2 };
        }),
        "performance",
      ).status,
    ).toBe("PASS");
    expect(
      crit(
        run((p) => {
          p.performance = { ecog: 3 };
        }),
        "performance",
      ).status,
    ).toBe("FAIL");
    expect(
      crit(
        run((p) => {
          p.performance = { karnofsky: 60 };
        }),
        "performance",
      ).status,
    ).toBe("PASS");
    expect(
      crit(
        run((p) => {
          p.performance = { karnofsky: 50 };
        }),
        "performance",
      ).status,
    ).toBe("FAIL");
    expect(
      crit(
        run((p) => {
          p.performance = { ecog: 1, karnofsky: 50 };
        }),
        "performance",
      ).status,
    ).toBe("FAIL");
    expect(
      crit(
        run((p) => {
          p.performance = {};
        }),
        "performance",
      ).status,
    ).toBe("NEEDS_DATA");
    expect(() =>
      run((p) => {
        p.performance = { ecog: 6 };
      }),
    ).toThrow(/ecog.*6/);
    expect(() =>
      run((p) => {
        p.performance = { karnofsky: 65 };
      }),
    ).toThrow(/karnofsky.*65/);
  });
});

describe("prior PRRT (§3, §7; kidney limit dosimetry.md §6)", () => {
  it("kidney dose 22.9 Gy → WARN (review), 23 Gy → FAIL; missing dose → NEEDS_DATA; disallowed → FAIL", () => {
    expect(
      crit(
        run((p) => {
          p.priorPrrt = {
            received: true,
            cumulativeActivityGBq: 29.6,
            cumulativeKidneyDoseGy: 22.9,
            pfsMonthsAfterLastCourse: 30,
          };
        }),
        "prior-prrt",
      ).status,
    ).toBe("WARN");
    expect(
      crit(
        run((p) => {
          p.priorPrrt = { received: true, cumulativeActivityGBq: 29.6, cumulativeKidneyDoseGy: 23 };
        }),
        "prior-prrt",
      ).status,
    ).toBe("FAIL");
    expect(
      crit(
        run((p) => {
          p.priorPrrt = { received: true, cumulativeActivityGBq: 29.6 };
        }),
        "prior-prrt",
      ).status,
    ).toBe("NEEDS_DATA");
    const no = {
      ...NETTER_STYLE_ELIGIBILITY_POLICY,
      allowPriorPrrt: { value: false, source: "NETTER-2" },
    };
    expect(
      crit(
        run((p) => {
          p.priorPrrt = { received: true, cumulativeActivityGBq: 7.4, cumulativeKidneyDoseGy: 4 };
        }, no),
        "prior-prrt",
      ).status,
    ).toBe("FAIL");
  });
  it("PFS < 18 months is stated in the message", () => {
    const c = crit(
      run((p) => {
        p.priorPrrt = {
          received: true,
          cumulativeActivityGBq: 29.6,
          cumulativeKidneyDoseGy: 15,
          pfsMonthsAfterLastCourse: 12,
        };
      }),
      "prior-prrt",
    );
    expect(c.message).toMatch(/PFS 12 months < 18/);
  });
});

describe("SSA washout (label §2.3)", () => {
  it("long-acting 28 days before passes, 27 fails; short-acting 24 h passes, 23 h fails; never on SSA passes", () => {
    expect(
      crit(
        run((p) => {
          p.ssa = {
            plannedAdministrationAt: "2026-03-17T09:00",
            lastLongActingAt: "2026-02-17T16:00",
            lastShortActingAt: null,
          };
        }),
        "ssa-washout",
      ).status,
    ).toBe("PASS");
    const f = crit(
      run((p) => {
        p.ssa = {
          plannedAdministrationAt: "2026-03-17T09:00",
          lastLongActingAt: "2026-02-18T08:00",
          lastShortActingAt: null,
        };
      }),
      "ssa-washout",
    );
    expect(f.status).toBe("FAIL");
    expect(f.value).toBe(27);
    expect(
      crit(
        run((p) => {
          p.ssa = {
            plannedAdministrationAt: "2026-03-17T09:00",
            lastLongActingAt: null,
            lastShortActingAt: "2026-03-16T09:00",
          };
        }),
        "ssa-washout",
      ).status,
    ).toBe("PASS");
    expect(
      crit(
        run((p) => {
          p.ssa = {
            plannedAdministrationAt: "2026-03-17T09:00",
            lastLongActingAt: null,
            lastShortActingAt: "2026-03-16T10:00",
          };
        }),
        "ssa-washout",
      ).status,
    ).toBe("FAIL");
    expect(
      crit(
        run((p) => {
          p.ssa = {
            plannedAdministrationAt: "2026-03-17T09:00",
            lastLongActingAt: null,
            lastShortActingAt: null,
          };
        }),
        "ssa-washout",
      ).status,
    ).toBe("PASS");
  });
  it("bad date throws naming the field", () => {
    expect(() =>
      run((p) => {
        p.ssa = {
          plannedAdministrationAt: "soon",
          lastLongActingAt: null,
          lastShortActingAt: null,
        };
      }),
    ).toThrow(/plannedAdministrationAt.*soon/);
  });
});

describe("lab age (≤ 14 days policy)", () => {
  it("14 days old passes, 15 days → NEEDS_DATA (repeat labs), future date → NEEDS_DATA", () => {
    expect(
      crit(
        run((p) => {
          p.labs!.sampledAt = "2026-02-24T08:00:00Z";
        }),
        "lab-age",
      ).status,
    ).toBe("PASS");
    const old = crit(
      run((p) => {
        p.labs!.sampledAt = "2026-02-23T08:00:00Z";
      }),
      "lab-age",
    );
    expect(old.status).toBe("NEEDS_DATA");
    expect(old.value).toBe(15);
    expect(
      crit(
        run((p) => {
          p.labs!.sampledAt = "2026-03-12T08:00:00Z";
        }),
        "lab-age",
      ).status,
    ).toBe("NEEDS_DATA");
  });
  it("bad time zone throws", () => {
    expect(() =>
      run((p) => {
        p.timeZone = "Atlantis/Capital";
      }),
    ).toThrow(/patient\.timeZone/);
    expect(() => evaluateEligibility(null as unknown as EligibilityInput)).toThrow(/patient/);
  });
});
