import { describe, expect, it } from "vitest";
import {
  DISCORDANCE_DEFAULT_POLICY,
  detectDiscordance,
  karfisCategory,
  NETPET_DEFAULT_POLICY,
  netpetGrade,
  type PairedLesion,
} from "./netpet";

const L = (
  id: string,
  krenning: number,
  fdgPositive: boolean,
  extra: Partial<PairedLesion> = {},
): PairedLesion => ({
  lesionId: id,
  krenning,
  fdgPositive,
  ...extra,
});

describe("NETPET grade – response-criteria.md §7.1 table and pseudo-code", () => {
  it.each([
    [[], "P0"],
    [[L("a", 0, false)], "P0"],
    [[L("a", 3, false)], "P1"],
    [[L("a", 3, true, { fdgVsSstr: "lower" })], "P2"],
    [[L("a", 3, true, { fdgVsSstr: "equal" })], "P3"],
    [[L("a", 3, true, { fdgVsSstr: "higher" })], "P4a"],
    [[L("a", 3, true, { fdgVsSstr: "higher" }), L("b", 3, true, { fdgVsSstr: "higher" })], "P4a"],
    [
      [
        L("a", 3, true, { fdgVsSstr: "higher" }),
        L("b", 3, true, { fdgVsSstr: "higher" }),
        L("c", 2, true, { fdgVsSstr: "higher" }),
      ],
      "P4b",
    ],
    [[L("a", 1, true)], "P5"],
  ] as const)("lesions %j → %s", (lesions, grade) => {
    expect(netpetGrade(lesions).category).toBe(grade);
  });
  it("worst lesion drives the patient grade (policy): P1 + P5 lesion → P5, not suitable", () => {
    const r = netpetGrade([L("a", 4, false), L("b", 1, true)]);
    expect(r.category).toBe("P5");
    expect(r.suitability).toBe("not suitable");
    expect(r.reasons.at(-1)?.lesionIds).toEqual(["b"]);
    expect(r.lesionGrades).toEqual([
      { lesionId: "a", grade: 1 },
      { lesionId: "b", grade: 5 },
    ]);
  });
  it("SSTR positivity = modified Krenning ≥ 2 by default; configurable", () => {
    expect(netpetGrade([L("a", 2, false)]).category).toBe("P1");
    expect(
      netpetGrade([L("a", 2, false)], { ...NETPET_DEFAULT_POLICY, sstrPositiveMinKrenning: 3 })
        .category,
    ).toBe("P0");
  });
  it("physiological uptake excluded (§7.3 edge case 2)", () => {
    const r = netpetGrade([
      L("a", 3, false),
      L("uncinate", 0, true, { physiologicalUptake: true }),
    ]);
    expect(r.category).toBe("P1");
    expect(r.reasons[0]?.code).toBe("EXCLUDED_PHYSIOLOGICAL");
  });
  it("bad input names the field", () => {
    expect(() => netpetGrade([L("a", 3, true)])).toThrow(
      "lesions[0].fdgVsSstr is required when both SSTR and FDG are positive, got undefined",
    );
    expect(() => netpetGrade([L("a", 7, true)])).toThrow(
      "lesions[0].krenning must be an integer 0–4, got 7",
    );
  });
});

describe("FDG+/SSTR− discordance – §7.3 rule and edge cases", () => {
  const lesions = [
    L("liver1", 1, true, { diameterMm: 25 }), // discordant
    L("node1", 3, true, { diameterMm: 18, fdgVsSstr: "lower" }), // concordant positive
    L("bone1", 0, false), // FDG negative
    L("tiny", 0, true, { diameterMm: 7 }), // edge case 3: indeterminate
    L("adrenal", 0, true, { physiologicalUptake: true }), // edge case 2
  ];
  it("rule: FDG+ and Krenning < 2 → discordant; lesion list surfaced (edge case 4)", () => {
    const r = detectDiscordance(lesions);
    expect(r.category).toBe("DISCORDANT");
    expect(r.discordantLesionIds).toEqual(["liver1"]);
    expect(r.lesions.map((l) => l.status)).toEqual([
      "DISCORDANT",
      "CONCORDANT_POSITIVE",
      "FDG_NEGATIVE",
      "INDETERMINATE_SMALL",
      "EXCLUDED_PHYSIOLOGICAL",
    ]);
  });
  it("threshold 3 (liver reference, Zidan) makes a Krenning-2 FDG+ lesion discordant", () => {
    const l = [L("x", 2, true, { diameterMm: 20, fdgVsSstr: "equal" })];
    expect(detectDiscordance(l).category).toBe("NO_DISCORDANCE");
    expect(
      detectDiscordance(l, undefined, { ...DISCORDANCE_DEFAULT_POLICY, sstrPositiveMinKrenning: 3 })
        .discordantLesionIds,
    ).toEqual(["x"]);
  });
  it("edge case 1: scans > 8 weeks apart are flagged", () => {
    const r = detectDiscordance(lesions, { sstr: "2025-01-01", fdg: "2025-03-15" });
    expect(r.scanIntervalDays).toBeCloseTo(73, 9);
    expect(r.scanIntervalExceeded).toBe(true);
    expect(r.reasons[0]?.code).toBe("SCAN_INTERVAL_EXCEEDED");
    expect(
      detectDiscordance(lesions, { sstr: "2025-01-01", fdg: "2025-02-26" }).scanIntervalExceeded,
    ).toBe(false);
  });
  it("bad input names the field", () => {
    expect(() => detectDiscordance([L("a", 1, true, { diameterMm: -2 })])).toThrow(
      "lesions[0].diameterMm must be ≥ 0, got -2",
    );
    expect(() => detectDiscordance([], { sstr: "x", fdg: "2025-01-01" })).toThrow(
      'scanDates.sstr must be an ISO-8601 date, got "x"',
    );
  });
});

describe("Karfis dual-tracer categories – response-criteria.md §7.2", () => {
  it("C1 all SSTR+/FDG−; C2 all SSTR+ with ≥ 1 FDG+; C3 ≥ 1 FDG+/SSTR−", () => {
    expect(karfisCategory([L("a", 3, false), L("b", 2, false)]).category).toBe("C1");
    expect(karfisCategory([L("a", 3, false), L("b", 2, true)]).category).toBe("C2");
    const c3 = karfisCategory([L("a", 3, true), L("b", 1, true)]);
    expect(c3.category).toBe("C3");
    expect(c3.reasons[0]?.lesionIds).toEqual(["b"]);
    expect(karfisCategory([L("a", 0, false)]).category).toBe("NONE");
  });
  it("Zidan grade 4 (liver reference) equals discordance with threshold 3", () => {
    const l = [L("a", 2, true, { diameterMm: 20 })];
    expect(karfisCategory(l).category).toBe("C2");
    expect(
      detectDiscordance(l, undefined, { ...DISCORDANCE_DEFAULT_POLICY, sstrPositiveMinKrenning: 3 })
        .category,
    ).toBe("DISCORDANT");
  });
  it("bad input names the field", () => {
    expect(() => karfisCategory([L("a", -1, true)])).toThrow(
      "lesions[0].krenning must be an integer 0–4, got -1",
    );
  });
});
