import { describe, expect, it } from "vitest";
import { csvField } from "../../shared/exports";
import {
  checkTargets,
  comparability,
  computeResults,
  CSV_HEADER,
  defaultTargets,
  joinLesionDoses,
  lesionTable,
  lesionTableCsv,
  suggestStudies,
  type AssessmentInputs,
  type CycleInfo,
  type LesionInfo,
  type MeasurementInfo,
  type StudyInfo,
} from "./response.logic";

const d = (iso: string) => new Date(`${iso}T10:00:00Z`);
const study = (id: string, iso: string, over: Partial<StudyInfo> = {}): StudyInfo => ({
  id, performedAt: d(iso), injectedAt: new Date(d(iso).getTime() - 60 * 60_000), modality: "PET", purpose: "RESTAGING", tracerName: "68Ga-DOTATATE", tracerKind: "SSTR", ...over,
});
const meas = (lesionId: string, studyId: string, over: Partial<MeasurementInfo> = {}): MeasurementInfo => ({
  lesionId, studyId, longAxisMm: null, shortAxisMm: null, suvMax: null, suvPeak: null, suvMean: null, mtvMl: null, tlg: null, krenningScore: null, isTarget: false, provenance: null, ...over,
});
const lesion = (id: string, organ = "liver"): LesionInfo => ({ id, label: id.toUpperCase(), organ, firstSeenOn: "2025-01-01" });

describe("suggestStudies", () => {
  const studies = [
    study("s0", "2025-01-10"),
    study("s1", "2025-02-01"),
    study("post", "2025-02-20", { purpose: "POST_THERAPY", modality: "SPECT", tracerName: "177Lu-DOTATATE" }),
    study("fdg", "2025-05-01", { tracerName: "18F-FDG", tracerKind: "FDG" }),
    study("s2", "2025-06-01"),
    study("s3", "2025-09-01"),
    study("unmeasured", "2025-10-01"),
  ];
  const measured = new Set(["s0", "s1", "post", "fdg", "s2", "s3"]);
  const cycles: CycleInfo[] = [
    { courseId: "c1", number: 1, status: "ADMINISTERED", at: d("2025-02-15") },
    { courseId: "c1", number: 2, status: "ADMINISTERED", at: d("2025-04-15") },
    { courseId: "c1", number: 3, status: "PLANNED", at: d("2025-12-15") },
  ];
  it("baseline = last measured study before the first cycle; follow-up = latest same modality + tracer after it (unmeasured and post-therapy scans skipped)", () => {
    const s = suggestStudies(studies, measured, cycles);
    expect(s.baseline?.id).toBe("s1");
    expect(s.followUp?.id).toBe("s3");
    expect(s.explanation[0]).toBe("Baseline: PET 68Ga-DOTATATE of 2025-02-01, the last study with lesion measurements before the first cycle of the current course (2025-02-15).");
    expect(s.warnings).toEqual([]);
  });
  it("retreatment: the current course is the latest course with an administered cycle", () => {
    const s = suggestStudies(studies, measured, [...cycles, { courseId: "c2", number: 1, status: "ADMINISTERED", at: d("2025-07-01") }]);
    expect(s.baseline?.id).toBe("s2");
    expect(s.followUp?.id).toBe("s3");
  });
  it("no administered cycle: earliest measured study as baseline; nothing after it → no follow-up, explained", () => {
    expect(suggestStudies(studies, measured, []).baseline?.id).toBe("s0");
    const lone = suggestStudies([study("a", "2025-01-01")], new Set(["a"]), []);
    expect(lone.followUp).toBeNull();
    expect(lone.explanation[1]).toBe("No measured study after the baseline yet: a follow-up cannot be suggested.");
  });
  it("no study of the same modality and tracer after the cycle: the latest one is proposed with a warning", () => {
    const s = suggestStudies([study("b", "2025-01-01"), study("ct", "2025-06-01", { modality: "CT", tracerName: null, tracerKind: "NONE", injectedAt: null })], new Set(["b", "ct"]), cycles);
    expect(s.followUp?.id).toBe("ct");
    expect(s.warnings.map((w) => w.code)).toEqual(["MODALITY_DIFFERS", "TRACER_DIFFERS"]);
  });
});

describe("comparability", () => {
  it("uptake times 60 vs 80 min (≥ 15 min) warn; 60 vs 70 do not; baseline after first cycle warns", () => {
    const b = study("b", "2025-01-01");
    const f = study("f", "2025-06-01", { injectedAt: new Date(d("2025-06-01").getTime() - 80 * 60_000) });
    expect(comparability(b, f, null)[0]).toEqual({ code: "UPTAKE_TIME_DIFFERS", message: "uptake times differ by 20 min (baseline 60 min, follow-up 80 min; PERCIST requires < 15 min)" });
    const f70 = study("f", "2025-06-01", { injectedAt: new Date(d("2025-06-01").getTime() - 70 * 60_000) });
    expect(comparability(b, f70, null)).toEqual([]);
    expect(comparability(b, f70, d("2024-12-01")).map((w) => w.code)).toEqual(["BASELINE_AFTER_FIRST_CYCLE"]);
  });
});

describe("lesionTable", () => {
  const lesions = [lesion("a"), lesion("b"), lesion("c"), lesion("n", "lymph node"), lesion("z")];
  const m = [
    meas("a", "B", { longAxisMm: 40, suvMax: 10, mtvMl: 8 }), meas("a", "F", { longAxisMm: 30, suvMax: 5, mtvMl: 4 }),
    meas("b", "B", { longAxisMm: 20 }), meas("b", "F", { longAxisMm: 0 }),
    meas("c", "B", { longAxisMm: 15 }),
    meas("n", "B", { longAxisMm: 25, shortAxisMm: 20 }), meas("n", "F", { longAxisMm: 22, shortAxisMm: 10 }),
    meas("z", "F", { longAxisMm: 12, mtvMl: 0 }),
    meas("x", "F", { longAxisMm: 5 }),
  ];
  const rows = lesionTable(lesions, m, "B", "F", ["a"]);
  it("MATCHED / DISAPPEARED (0 mm or 0 mL) / BASELINE_ONLY / NEW; targets first", () => {
    expect(rows.map((r) => [r.label, r.status, r.isTarget])).toEqual([
      ["A", "MATCHED", true], ["N", "MATCHED", false], ["B", "DISAPPEARED", false], ["C", "BASELINE_ONLY", false], ["Z", "NEW", false],
    ]);
  });
  it("Δ %: diameter = short axis for nodes, long axis otherwise; SUVmax and MTV", () => {
    const a = rows.find((r) => r.label === "A")!;
    expect(a.change.diameter).toBeCloseTo(-0.25, 12);
    expect(a.change.suvMax).toBeCloseTo(-0.5, 12);
    expect(a.change.mtv).toBeCloseTo(-0.5, 12);
    expect(rows.find((r) => r.label === "N")!.change.diameter).toBeCloseTo(-0.5, 12);
    expect(rows.find((r) => r.label === "C")!.change.diameter).toBeNull();
  });
});

describe("target selection (RECIST 1.1 §1.1: ≤ 5, ≤ 2 per organ, nodes as one organ, measurable)", () => {
  const lesions = [lesion("a"), lesion("b"), lesion("c"), lesion("n1", "lymph node left"), lesion("n2", "lymph node right"), lesion("n3", "lymph node pelvic"), lesion("s", "bone")];
  const m = [
    meas("a", "B", { longAxisMm: 50, isTarget: true }), meas("b", "B", { longAxisMm: 40, isTarget: true }), meas("c", "B", { longAxisMm: 30, isTarget: true }),
    meas("n1", "B", { shortAxisMm: 20, isTarget: true }), meas("n2", "B", { shortAxisMm: 16, isTarget: true }), meas("n3", "B", { shortAxisMm: 12, isTarget: true }),
    meas("s", "B", { longAxisMm: 8, isTarget: true }),
  ];
  it("three liver lesions → the per-organ error names the organ and count", () => {
    expect(checkTargets(["a", "b", "c"], lesions, m, "B").map((p) => p.message)).toEqual(["3 target lesions in liver; RECIST 1.1 allows at most 2 per organ"]);
  });
  it("nodes count as one organ; a 12 mm node and an 8 mm lesion are not measurable", () => {
    const msgs = checkTargets(["n1", "n2", "n3"], lesions, m, "B").map((p) => p.message);
    expect(msgs).toContain("3 target lesions in lymph node; RECIST 1.1 allows at most 2 per organ");
    expect(msgs).toContain("N3: node SA 12 mm (10–15 mm) is pathological but non-measurable → non-target");
    expect(checkTargets(["s"], lesions, m, "B")[0]!.message).toBe("S: LD 8 mm < 10 mm minimum → non-measurable");
  });
  it("duplicates and unmeasured targets are refused", () => {
    expect(checkTargets(["a", "a"], lesions, m, "B")[0]!.message).toBe("lists A twice");
    expect(checkTargets(["a"], lesions, [], "B")[0]!.message).toBe("A: a baseline target must have a measured long axis");
  });
  it("default: flagged baseline targets, largest first, within the limits and measurable", () => {
    expect(defaultTargets(lesions, m, "B")).toEqual(["a", "b", "n1", "n2"]);
  });
});

describe("computeResults (inputs assembled for @lutetia/quantification)", () => {
  const base = (over: Partial<AssessmentInputs>): AssessmentInputs => ({
    baseline: study("B", "2025-01-01", { tracerName: "18F-FDG", tracerKind: "FDG" }),
    followUp: study("F", "2025-06-01", { tracerName: "18F-FDG", tracerKind: "FDG" }),
    intermediate: [], lesions: [lesion("a")], measurements: [meas("a", "B", { suvMax: 10, longAxisMm: 30 }), meas("a", "F", { suvMax: 8, longAxisMm: 30 })],
    targetIds: [], nonTargetResponse: null, nonTargetPdReason: null, liver: { baseline: null, followUp: null }, cyclesGiven: 1, fdgStudy: null, ...over,
  });
  const eortc = (x: AssessmentInputs) => computeResults(x).find((r) => r.criterion === "EORTC")!;
  it("EORTC §5 example: −20 % after 1 cycle → PMR, after 3 cycles → SMD", () => {
    expect(eortc(base({ cyclesGiven: 1 })).category).toBe("PMR");
    expect(eortc(base({ cyclesGiven: 3 })).category).toBe("SMD");
  });
  it("criteria that cannot be evaluated say why", () => {
    const r = computeResults(base({}));
    expect(r.find((x) => x.criterion === "RECIST_1_1")!.reasons[0]!.message).toBe("no RECIST target lesions selected (select up to 5, at most 2 per organ)");
    expect(r.find((x) => x.criterion === "SSTR_PET")!.reasons[0]!.message).toBe("SSTR-PET (Krenning / SUV / T-L) needs SSTR PET; baseline tracer is 18F-FDG");
    expect(r.find((x) => x.criterion === "NETPET")!.reasons[0]!.message).toBe("NETPET grades paired SSTR and FDG PET; the follow-up is PET 18F-FDG of 2025-06-01");
    expect(r.find((x) => x.criterion === "PERCIST_1_0")!.reasons[0]!.code).toBe("NO_LIVER_REFERENCE");
    expect(r.every((x) => x.evaluable || x.category === "NE")).toBe(true);
  });
  it("EORTC: hottest baseline lesion not measured at follow-up → NE naming it", () => {
    const r = eortc(base({ measurements: [meas("a", "B", { suvMax: 10 })] }));
    expect(r).toMatchObject({ category: "NE", evaluable: false });
    expect(r.reasons[0]!.message).toBe("the hottest baseline lesion A is not measured at follow-up");
  });
});

describe("joinLesionDoses (dose vs response) with fake dosimetry rows", () => {
  const rows = lesionTable([lesion("a"), lesion("b")], [meas("a", "B", { suvMax: 10, mtvMl: 10 }), meas("a", "F", { suvMax: 6, mtvMl: 5 }), meas("b", "B", { suvMax: 4 }), meas("b", "F", { suvMax: 5 })], "B", "F", []);
  it("sums per-cycle doses per lesion, keeps cycle order and signed state; lesions without dosimetry are left out; global ids match too", () => {
    const out = joinLesionDoses(rows, [
      { lesionId: "a", cycleId: "c2", cycleNumber: 2, absorbedDoseGy: 10.5, signed: false },
      { lesionId: "a", cycleId: "c1", cycleNumber: 1, absorbedDoseGy: 12.5, signed: true },
      { lesionId: "GID-other", cycleId: "c1", cycleNumber: 1, absorbedDoseGy: 3, signed: true },
    ], (id) => `GID-${id}`);
    expect(out).toHaveLength(1);
    expect(out[0]!.cumulativeDoseGy).toBeCloseTo(23, 12);
    expect(out[0]!.cycles.map((c) => c.cycleNumber)).toEqual([1, 2]);
    expect(out[0]!.allSigned).toBe(false);
    expect(out[0]!.suvMaxChange).toBeCloseTo(-0.4, 12);
    expect(out[0]!.mtvChange).toBeCloseTo(-0.5, 12);
    expect(joinLesionDoses(rows, [{ lesionId: "GID-b", cycleId: "c1", cycleNumber: 1, absorbedDoseGy: 7, signed: true }], (id) => `GID-${id}`)[0]!.label).toBe("B");
    expect(joinLesionDoses(rows, [], (id) => id)).toEqual([]);
  });
});

describe("CSV (RFC 4180)", () => {
  it("quotes fields with comma, quote or line break; doubles quotes; CRLF; units in the header", () => {
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
    expect(csvField("line\nbreak")).toBe('"line\nbreak"');
    expect(csvField(null)).toBe("");
    expect(csvField(12.345678, 4)).toBe("12.3457");
    const rows = lesionTable([lesion("a")], [meas("a", "B", { longAxisMm: 40 }), meas("a", "F", { longAxisMm: 30 })], "B", "F", ["a"]);
    const csv = lesionTableCsv(rows);
    expect(csv.endsWith("\r\n")).toBe(true);
    const [head, first] = csv.split("\r\n");
    expect(head).toBe(CSV_HEADER.join(","));
    expect(head).toContain("baseline_suv_max_g_per_ml");
    expect(first).toBe("A,liver,MATCHED,yes,40,,,,,,30,,,,,,-25,,,");
  });
});

describe("NETPET with discordance (response-criteria.md §7.1, §7.3)", () => {
  it("an FDG-positive lesion with Krenning 1 on the SSTR PET → P5 and listed as FDG+/SSTR− discordant", () => {
    const sstrB = study("B", "2025-01-01");
    const sstrF = study("F", "2025-06-01");
    const fdg = study("G", "2025-05-20", { tracerName: "18F-FDG", tracerKind: "FDG" });
    const r = computeResults({
      baseline: sstrB, followUp: sstrF, intermediate: [], lesions: [lesion("a"), lesion("b")], targetIds: [], nonTargetResponse: null, nonTargetPdReason: null,
      liver: { baseline: null, followUp: null }, cyclesGiven: 0, fdgStudy: fdg,
      measurements: [
        meas("a", "F", { suvMax: 12, krenningScore: 3, longAxisMm: 20 }), meas("a", "G", { suvMax: 1.5 }),
        meas("b", "F", { suvMax: 2, krenningScore: 1, longAxisMm: 25 }), meas("b", "G", { suvMax: 8 }),
      ],
    }).find((x) => x.criterion === "NETPET")!;
    expect(r.category).toBe("P5");
    expect(r.reasons.map((x) => x.message)).toContain("FDG+/SSTR− discordant lesion(s): B");
  });
});
