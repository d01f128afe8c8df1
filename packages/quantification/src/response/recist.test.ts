import { describe, expect, it } from "vitest";
import {
  assessRecist,
  classifyLymphNode,
  recistBestOverallResponse,
  recistLesionValue,
  recistNewLesionsPd,
  recistOverallResponse,
  recistTargetResponse,
  RECIST_1_1_DEFAULT_POLICY,
  validateRecistBaseline,
  type RecistStudy,
  type RecistTargetLesion,
  type RecistTimePoint,
} from "./recist";

const L1: RecistTargetLesion = { lesionId: "L1", organ: "liver", nodal: false };
const L2: RecistTargetLesion = { lesionId: "L2", organ: "liver", nodal: false };
const N1: RecistTargetLesion = { lesionId: "N1", organ: "mesentery", nodal: true };

function tp(
  id: string,
  date: string,
  ld: Record<string, number | null>,
  extra: Partial<RecistTimePoint> = {},
): RecistTimePoint {
  return {
    timePointId: id,
    date,
    targets: Object.entries(ld).map(([lesionId, v]) =>
      lesionId.startsWith("N") ? { lesionId, shortAxisMm: v } : { lesionId, longAxisMm: v },
    ),
    nonTarget: "NON_CR_NON_PD",
    newLesions: [],
    ...extra,
  };
}

describe("RECIST worked example 1 – response-criteria.md §1.2 'Worked example (RECIST)'", () => {
  // baseline SoD 100 → wk12 68 (PR) → wk24 60 (PR, nadir 60) → wk36 73 (PD vs nadir, −27 % vs baseline)
  const study: RecistStudy = {
    targets: [L1, { ...L2, organ: "lung" }],
    baseline: tp("BL", "2025-01-06", { L1: 60, L2: 40 }),
    followUps: [
      tp("W12", "2025-03-31", { L1: 40, L2: 28 }),
      tp("W24", "2025-06-23", { L1: 36, L2: 24 }),
      tp("W36", "2025-09-15", { L1: 44, L2: 29 }),
    ],
  };
  const r = assessRecist(study);
  it("week 12: 68 mm, −32 % → PR", () => {
    expect(r.timePoints[0]?.target.sumOfDiametersMm).toBeCloseTo(68, 9);
    expect(r.timePoints[0]?.target.changeFromBaseline).toBeCloseTo(-0.32, 9);
    expect(r.timePoints[0]?.category).toBe("PR");
  });
  it("week 24: 60 mm, −40 % → PR", () => {
    expect(r.timePoints[1]?.target.changeFromBaseline).toBeCloseTo(-0.4, 9);
    expect(r.timePoints[1]?.category).toBe("PR");
  });
  it("week 36: 73 mm = +13 mm and +21.7 % vs nadir 60 → PD although −27 % vs baseline", () => {
    const w36 = r.timePoints[2];
    expect(w36?.nadirSodMm).toBeCloseTo(60, 9);
    expect(w36?.target.changeFromNadir).toBeCloseTo(0.2167, 4);
    expect(w36?.target.changeFromBaseline).toBeCloseTo(-0.27, 9);
    expect(w36?.category).toBe("PD");
    const pd = w36?.reasons.find((x) => x.code === "PD_SOD_INCREASE_VS_NADIR");
    expect(pd?.values?.nadirSodMm).toBeCloseTo(60, 9);
    expect(pd?.message).toMatch(/\+13 mm and \+21\.7 % vs nadir 60 mm/);
  });
  it("best overall response = PR (best before PD, edge case 8)", () => {
    expect(r.bestOverallResponse.category).toBe("PR");
  });
});

describe("RECIST worked example 2 and edge case 1 – §1.2 (PD needs ≥ 20 % AND ≥ 5 mm over nadir)", () => {
  it("baseline 40, nadir 20, now 24 → +4 mm (< 5) → not PD; −40 % vs baseline → PR", () => {
    const r = recistTargetResponse(40, 20, [{ lesionId: "L1", nodal: false, valueMm: 24 }]);
    expect(r.category).toBe("PR");
    expect(r.reasons.map((x) => x.code)).toContain("NOT_PD_ABSOLUTE_INCREASE_TOO_SMALL");
    expect(r.changeFromNadir).toBeCloseTo(0.2, 12);
  });
  it("same via the study timeline (nadir computed, not typed in)", () => {
    const r = assessRecist({
      targets: [L1],
      baseline: tp("BL", "2025-01-01", { L1: 40 }),
      followUps: [tp("T1", "2025-03-01", { L1: 20 }), tp("T2", "2025-05-01", { L1: 24 })],
    });
    expect(r.timePoints[1]?.nadirSodMm).toBeCloseTo(20, 9);
    expect(r.timePoints[1]?.category).toBe("PR");
  });
  it("nadir 20 → 24 with baseline 25 → SD (not PD, not PR)", () => {
    expect(
      recistTargetResponse(25, 20, [{ lesionId: "L1", nodal: false, valueMm: 24 }]).category,
    ).toBe("SD");
  });
  it("nadir 20 → 25 (+5 mm, +25 %) → PD (boundaries inclusive)", () => {
    expect(
      recistTargetResponse(25, 20, [{ lesionId: "L1", nodal: false, valueMm: 25 }]).category,
    ).toBe("PD");
  });
  it("nadir 50 → 59 (+9 mm but +18 %) → not PD", () => {
    expect(
      recistTargetResponse(60, 50, [{ lesionId: "L1", nodal: false, valueMm: 59 }]).category,
    ).toBe("SD");
  });
});

describe("nadir 0 after complete disappearance", () => {
  it("reappearance at 5 mm (too small) → PD; change vs nadir is null, message without NaN/Infinity", () => {
    const r = recistTargetResponse(30, 0, [{ lesionId: "L1", nodal: false, valueMm: 5 }]);
    expect(r.category).toBe("PD");
    expect(r.changeFromNadir).toBeNull();
    expect(r.reasons[0]?.message).toBe(
      "SoD 5 mm is +5 mm and n/a (reference 0) vs nadir 0 mm (≥ 20 % and ≥ 5 mm) → PD although -83.3 % vs baseline (PR range) – PD wins",
    );
  });
  it("decimal diameters are formatted without binary noise", () => {
    const r = recistTargetResponse(40, 20.1, [{ lesionId: "L1", nodal: false, valueMm: 24.3 }]);
    expect(r.reasons[0]?.message).toMatch(/only \+4\.2 mm/);
  });
});

describe("edge case 2 – PR vs baseline and PD vs nadir at the same visit: PD wins (§1.2)", () => {
  it("baseline 100, nadir 40, now 50 (−50 % vs baseline, +25 %/+10 mm vs nadir) → PD", () => {
    const r = recistTargetResponse(100, 40, [{ lesionId: "L1", nodal: false, valueMm: 50 }]);
    expect(r.category).toBe("PD");
    const reason = r.reasons.find((x) => x.code === "PD_SOD_INCREASE_VS_NADIR");
    expect(reason?.rule).toBe("response-criteria.md §1.2 edge case 2");
    expect(reason?.message).toMatch(/PD wins/);
  });
});

describe("edge cases 3 and 4 – too small, disappeared, fragments, coalescence (§1.2)", () => {
  it("too small to measure → 5 mm; disappeared → 0 mm", () => {
    expect(recistLesionValue(L1, { lesionId: "L1", state: "too_small_to_measure" }).valueMm).toBe(
      5,
    );
    expect(recistLesionValue(L1, { lesionId: "L1", state: "disappeared" }).valueMm).toBeCloseTo(
      0,
      9,
    );
    expect(
      recistLesionValue(L1, { lesionId: "L1", state: "too_small_to_measure" }).reason?.rule,
    ).toBe("response-criteria.md §1.2 edge case 3");
  });
  it("fragments → sum of fragment LDs; coalesced → 0 with the merged LD on the other target", () => {
    expect(
      recistLesionValue(L1, {
        lesionId: "L1",
        state: "fragmented",
        fragmentDiametersMm: [12, 7, 4],
      }).valueMm,
    ).toBeCloseTo(23, 9);
    const r = assessRecist({
      targets: [L1, L2],
      baseline: tp("BL", "2025-01-01", { L1: 30, L2: 20 }),
      followUps: [
        {
          ...tp("T1", "2025-03-01", {}),
          targets: [
            { lesionId: "L1", longAxisMm: 55 },
            { lesionId: "L2", state: "coalesced" },
          ],
        },
      ],
    });
    expect(r.timePoints[0]?.target.sumOfDiametersMm).toBeCloseTo(55, 9);
    expect(r.timePoints[0]?.reasons.map((x) => x.code)).toContain("COALESCED");
    expect(r.timePoints[0]?.category).toBe("SD"); // +10 % vs nadir 50
  });
  it("fragmented without fragments throws naming the field", () => {
    expect(() => recistLesionValue(L1, { lesionId: "L1", state: "fragmented" })).toThrow(
      'fragmentDiametersMm of L1 must be non-empty when state is "fragmented", got []',
    );
  });
});

describe("edge case 5 – nodal target < 10 mm keeps its SA: CR with SoD > 0 (§1.2)", () => {
  it("liver lesion gone + node 20 → 8 mm SA → CR, SoD 8 mm", () => {
    const r = assessRecist({
      targets: [L1, N1],
      baseline: tp("BL", "2025-01-01", { L1: 30, N1: 20 }),
      followUps: [
        {
          ...tp("T1", "2025-04-01", { N1: 8 }, { nonTarget: "NONE" }),
          targets: [
            { lesionId: "L1", state: "disappeared" },
            { lesionId: "N1", shortAxisMm: 8 },
          ],
        },
      ],
    });
    expect(r.timePoints[0]?.target.category).toBe("CR");
    expect(r.timePoints[0]?.target.sumOfDiametersMm).toBeCloseTo(8, 9);
    expect(r.timePoints[0]?.category).toBe("CR");
    expect(r.timePoints[0]?.reasons.find((x) => x.code === "CR_TARGETS")?.rule).toBe(
      "response-criteria.md §1.2 edge case 5",
    );
  });
  it("node at exactly 10 mm is not normal → not CR (PR by −80 %)", () => {
    const r = recistTargetResponse(50, 50, [
      { lesionId: "L1", nodal: false, valueMm: 0 },
      { lesionId: "N1", nodal: true, valueMm: 10 },
    ]);
    expect(r.category).toBe("PR");
  });
});

describe("edge case 6 – new lesions on FDG-PET (§1.2)", () => {
  it("negative baseline FDG-PET → PD; no baseline FDG-PET → PD only if anatomically confirmed", () => {
    expect(
      recistNewLesionsPd([
        { lesionId: "X", modality: "FDG_PET", unequivocal: true, baselineFdgPet: "negative" },
      ]).pd,
    ).toBe(true);
    expect(
      recistNewLesionsPd([
        { lesionId: "X", modality: "FDG_PET", unequivocal: true, baselineFdgPet: "not_done" },
      ]).pd,
    ).toBe(false);
    expect(
      recistNewLesionsPd([
        {
          lesionId: "X",
          modality: "FDG_PET",
          unequivocal: true,
          baselineFdgPet: "not_done",
          anatomicallyConfirmed: true,
        },
      ]).pd,
    ).toBe(true);
  });
  it("unequivocal CT lesion → PD; equivocal → not PD", () => {
    expect(recistNewLesionsPd([{ lesionId: "X", modality: "CT", unequivocal: true }]).pd).toBe(
      true,
    );
    const eq = recistNewLesionsPd([{ lesionId: "X", modality: "CT", unequivocal: false }]);
    expect(eq.pd).toBe(false);
    expect(eq.reasons[0]?.code).toBe("NEW_LESION_EQUIVOCAL");
  });
  it("new lesion → overall PD even with target PR", () => {
    const r = assessRecist({
      targets: [L1],
      baseline: tp("BL", "2025-01-01", { L1: 50 }),
      followUps: [
        tp(
          "T1",
          "2025-03-01",
          { L1: 20 },
          { newLesions: [{ lesionId: "NEW1", modality: "MRI", unequivocal: true }] },
        ),
      ],
    });
    expect(r.timePoints[0]?.target.category).toBe("PR");
    expect(r.timePoints[0]?.category).toBe("PD");
    expect(r.timePoints[0]?.reasons.find((x) => x.code === "NEW_LESION")?.lesionIds).toEqual([
      "NEW1",
    ]);
  });
});

describe("overall time-point table – §1.2", () => {
  it.each([
    ["CR", "CR", false, "CR"],
    ["CR", "NONE", false, "CR"],
    ["CR", "NON_CR_NON_PD", false, "PR"],
    ["CR", "NE", false, "PR"],
    ["PR", "NON_CR_NON_PD", false, "PR"],
    ["PR", "NE", false, "PR"],
    ["SD", "NON_CR_NON_PD", false, "SD"],
    ["SD", "NE", false, "SD"],
    ["NE", "NON_CR_NON_PD", false, "NE"],
    ["PD", "CR", false, "PD"],
    ["CR", "PD", false, "PD"],
    ["SD", "NON_CR_NON_PD", true, "PD"],
    ["NONE", "NON_CR_NON_PD", false, "NON_CR_NON_PD"],
    ["NONE", "CR", false, "CR"],
  ] as const)("target %s × non-target %s × new %s → %s", (t, nt, nl, expected) => {
    expect(recistOverallResponse(t, nt, nl).category).toBe(expected);
  });
  it("non-target unequivocal progression → PD with the reader's reason", () => {
    const r = assessRecist({
      targets: [L1],
      baseline: tp("BL", "2025-01-01", { L1: 50 }),
      followUps: [
        tp(
          "T1",
          "2025-03-01",
          { L1: 45 },
          { nonTarget: "PD", nonTargetPdReason: "massive ascites increase" },
        ),
      ],
    });
    expect(r.timePoints[0]?.category).toBe("PD");
    expect(
      r.timePoints[0]?.reasons.find((x) => x.code === "NON_TARGET_UNEQUIVOCAL_PROGRESSION")
        ?.message,
    ).toMatch(/massive ascites increase/);
  });
});

describe("missing measurements → NE unless PD regardless (§1.2 anyPdDespiteMissing)", () => {
  it("one target missing, others not PD → NE", () => {
    const r = recistTargetResponse(60, 60, [
      { lesionId: "L1", nodal: false, valueMm: 30 },
      { lesionId: "L2", nodal: false, valueMm: null },
    ]);
    expect(r.category).toBe("NE");
    expect(r.reasons[0]?.lesionIds).toEqual(["L2"]);
  });
  it("one target missing but measured ones already +20 % and +5 mm over nadir → PD", () => {
    const r = recistTargetResponse(60, 40, [
      { lesionId: "L1", nodal: false, valueMm: 50 },
      { lesionId: "L2", nodal: false, valueMm: null },
    ]);
    expect(r.category).toBe("PD");
    expect(r.reasons.at(-1)?.code).toBe("PD_DESPITE_MISSING");
  });
  it("NE time points do not update the nadir", () => {
    const r = assessRecist({
      targets: [L1, L2],
      baseline: tp("BL", "2025-01-01", { L1: 30, L2: 30 }),
      followUps: [
        tp("T1", "2025-03-01", { L1: 10, L2: null }),
        tp("T2", "2025-05-01", { L1: 30, L2: 30 }),
      ],
    });
    expect(r.timePoints[0]?.category).toBe("NE");
    expect(r.timePoints[1]?.nadirSodMm).toBeCloseTo(60, 9);
    expect(r.timePoints[1]?.category).toBe("SD");
  });
});

describe("baseline validation – §1.1", () => {
  it("max 5 targets and max 2 per organ (nodes as one organ)", () => {
    const targets: RecistTargetLesion[] = [
      { lesionId: "A", organ: "liver", nodal: false },
      { lesionId: "B", organ: "liver", nodal: false },
      { lesionId: "C", organ: "liver", nodal: false },
      { lesionId: "N1", organ: "mesentery", nodal: true },
      { lesionId: "N2", organ: "retroperitoneum", nodal: true },
      { lesionId: "N3", organ: "neck", nodal: true },
    ];
    const v = validateRecistBaseline(targets, [
      { lesionId: "A", longAxisMm: 20 },
      { lesionId: "B", longAxisMm: 20 },
      { lesionId: "C", longAxisMm: 20 },
      { lesionId: "N1", shortAxisMm: 20 },
      { lesionId: "N2", shortAxisMm: 20 },
      { lesionId: "N3", shortAxisMm: 20 },
    ]);
    expect(v.valid).toBe(false);
    const codes = v.issues.map((i) => i.code);
    expect(codes).toContain("TOO_MANY_TARGETS");
    expect(
      v.issues.filter((i) => i.code === "TOO_MANY_TARGETS_IN_ORGAN").map((i) => i.values?.organ),
    ).toEqual(["liver", "lymph node"]);
    expect(v.sumOfDiametersMm).toBeCloseTo(120, 9);
  });
  it("node SA < 10 mm normal; 10–15 mm non-target; LD < 10 mm or < 2 × slice thickness non-measurable", () => {
    expect(classifyLymphNode(9.9)).toBe("normal");
    expect(classifyLymphNode(10)).toBe("pathological_non_measurable");
    expect(classifyLymphNode(14.9)).toBe("pathological_non_measurable");
    expect(classifyLymphNode(15)).toBe("measurable");
    const v = validateRecistBaseline(
      [L1, N1, { lesionId: "N2", organ: "x", nodal: true }],
      [
        { lesionId: "L1", longAxisMm: 11 },
        { lesionId: "N1", shortAxisMm: 12 },
        { lesionId: "N2", shortAxisMm: 8 },
      ],
      6,
    );
    expect(v.issues.map((i) => i.code)).toEqual([
      "LESION_NOT_MEASURABLE",
      "NODE_NOT_MEASURABLE",
      "NODE_NORMAL",
    ]);
    expect(
      v.issues.find((i) => i.code === "LESION_NOT_MEASURABLE")?.thresholds?.minLongAxisMm,
    ).toBe(12);
  });
  it("a valid baseline reports no issues", () => {
    const v = validateRecistBaseline(
      [L1, N1],
      [
        { lesionId: "L1", longAxisMm: 25 },
        { lesionId: "N1", shortAxisMm: 18 },
      ],
    );
    expect(v.valid).toBe(true);
    expect(v.sumOfDiametersMm).toBeCloseTo(43, 9);
  });
});

describe("best overall response and confirmation – edge cases 7 and 8", () => {
  const conf = { ...RECIST_1_1_DEFAULT_POLICY, confirmationRequired: true };
  it("without confirmation: PR at a single time point counts", () => {
    const r = recistBestOverallResponse("2025-01-01", [
      { timePointId: "T1", date: "2025-03-01", category: "PR" },
      { timePointId: "T2", date: "2025-05-01", category: "PD" },
    ]);
    expect(r.category).toBe("PR");
  });
  it("with confirmation: PR followed by PD is not confirmed → SD (≥ 42 days)", () => {
    const r = recistBestOverallResponse(
      "2025-01-01",
      [
        { timePointId: "T1", date: "2025-03-01", category: "PR" },
        { timePointId: "T2", date: "2025-05-01", category: "PD" },
      ],
      conf,
    );
    expect(r.category).toBe("SD");
    expect(r.reasons[0]?.code).toBe("UNCONFIRMED_RESPONSE");
  });
  it("with confirmation: PR confirmed by PR ≥ 28 days later → PR; CR confirmed only by PR → PR", () => {
    expect(
      recistBestOverallResponse(
        "2025-01-01",
        [
          { timePointId: "T1", date: "2025-03-01", category: "PR" },
          { timePointId: "T2", date: "2025-04-01", category: "PR" },
        ],
        conf,
      ).category,
    ).toBe("PR");
    expect(
      recistBestOverallResponse(
        "2025-01-01",
        [
          { timePointId: "T1", date: "2025-03-01", category: "CR" },
          { timePointId: "T2", date: "2025-04-15", category: "PR" },
        ],
        conf,
      ).category,
    ).toBe("PR");
  });
  it("confirmation < 28 days apart does not confirm", () => {
    const r = recistBestOverallResponse(
      "2025-01-01",
      [
        { timePointId: "T1", date: "2025-03-01", category: "CR" },
        { timePointId: "T2", date: "2025-03-20", category: "CR" },
      ],
      conf,
    );
    expect(r.category).toBe("SD");
  });
  it("SD earlier than 42 days then PD → PD", () => {
    const r = recistBestOverallResponse("2025-01-01", [
      { timePointId: "T1", date: "2025-01-29", category: "SD" },
      { timePointId: "T2", date: "2025-03-01", category: "PD" },
    ]);
    expect(r.category).toBe("PD");
    expect(r.reasons.map((x) => x.code)).toContain("SD_TOO_EARLY");
  });
  it("only NE → NE", () => {
    expect(
      recistBestOverallResponse("2025-01-01", [
        { timePointId: "T1", date: "2025-03-01", category: "NE" },
      ]).category,
    ).toBe("NE");
  });
});

describe("RECIST bad input", () => {
  it("names the parameter and value", () => {
    expect(() => classifyLymphNode(-1)).toThrow("shortAxisMm must be ≥ 0, got -1");
    expect(() => recistLesionValue(L1, { lesionId: "L1", longAxisMm: -3 })).toThrow(
      "longAxisMm of L1 must be ≥ 0, got -3",
    );
    expect(() =>
      recistTargetResponse(Number.NaN, 10, [{ lesionId: "L1", nodal: false, valueMm: 1 }]),
    ).toThrow("baselineSodMm must be a finite number, got NaN");
    expect(() =>
      assessRecist({
        targets: [L1],
        baseline: tp("BL", "2025-01-01", { L1: 20 }),
        followUps: [tp("T1", "2024-12-01", { L1: 20 })],
      }),
    ).toThrow("followUps[0].date must be after the previous time point, got 2024-12-01");
    expect(() =>
      assessRecist({ targets: [L1], baseline: tp("BL", "not a date", { L1: 20 }), followUps: [] }),
    ).toThrow('baseline.date must be an ISO-8601 date, got "not a date"');
    expect(() =>
      assessRecist({
        targets: [L1],
        baseline: tp("BL", "2025-01-01", { L1: null }),
        followUps: [],
      }),
    ).toThrow("baseline.targets must measure every target lesion, got missing: L1");
    expect(() =>
      assessRecist({
        targets: [L1],
        baseline: tp("BL", "2025-01-01", { L1: 20 }),
        followUps: [tp("T1", "2025-03-01", { L9: 20 })],
      }),
    ).toThrow('followUps[0].targets[0].lesionId must be a baseline target, got "L9"');
    expect(() => validateRecistBaseline([L1, L1], [])).toThrow(
      'targets[1].lesionId must be unique, got duplicate "L1"',
    );
  });
});
