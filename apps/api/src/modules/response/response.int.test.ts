import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { auditEvent, responseAssessment, seedDemo } from "@lutetia/db";
import { as, Client, type GqlResult, startTestServer, type TestServer } from "../../../test/harness";
import { administrationInput, catalogue, clinicalFixture, errorCode, ok, patientInput, q, recordGo, uniq, type CatalogueAgent } from "../../../test/fixtures";
import { idOf } from "../../shared/ids";
import { responseSummaryForPatient } from "./summary";
import { RequestContext } from "../../graphql/context";

/**
 * Response assessment end to end through /graphql (and the CSV route) on a real database: the
 * reference cases of response-criteria.md are entered as lesions + measurements, an assessment is
 * created, and the categories and reasons computed by @lutetia/quantification are checked.
 */
let server: TestServer;
let site: Awaited<ReturnType<TestServer["createSite"]>>;
let coord: Client;
let phys: Client;
let physicist: Client;
let ga: CatalogueAgent;
let fdg: CatalogueAgent;
beforeAll(async () => {
  server = await startTestServer();
  site = await server.createSite(["COORDINATOR", "PHYSICIAN", "PHYSICIST", "VIEWER"]);
  coord = await as(server, site.users.COORDINATOR.email);
  phys = await as(server, site.users.PHYSICIAN.email);
  physicist = await as(server, site.users.PHYSICIST.email);
  const cat = await catalogue(phys);
  ga = cat.find((a) => a.name === "68Ga-DOTATATE")!;
  fdg = cat.find((a) => a.name === "18F-FDG")!;
});
afterAll(async () => {
  await server?.close();
});

/** Message of an error and its causes (drizzle wraps the driver's error). */
function errorText(e: unknown): string {
  const parts: string[] = [];
  for (let cur: unknown = e; cur instanceof Error; cur = (cur as Error & { cause?: unknown }).cause) parts.push(cur.message);
  return parts.join(" | ");
}

const daysAgo = (d: number, minutes = 0) => new Date(Date.now() - d * 86_400_000 - minutes * 60_000).toISOString();

type Tracer = "GA" | "FDG" | null;
interface StudySpec {
  modality: "PET" | "CT" | "MRI";
  tracer?: Tracer;
  daysAgo: number;
  /** Uptake time, min (PET). */
  uptakeMin?: number;
}
type Meas = Record<string, unknown> | null;
interface LesionSpec {
  label: string;
  organ: string;
  /** One entry per study (null = not measured). */
  m: Meas[];
}

async function casePatient(studies: StudySpec[], lesions: LesionSpec[]) {
  const p = await ok(coord, "patientCreate", patientInput(`RS-${uniq()}`));
  const studyIds: string[] = [];
  for (const s of studies) {
    const tracer = s.tracer === "GA" ? ga : s.tracer === "FDG" ? fdg : null;
    const st = await ok(coord, "imagingStudyCreate", {
      patientId: p.id, modality: s.modality, performedAt: daysAgo(s.daysAgo), purpose: "RESTAGING",
      ...(tracer ? { tracerId: tracer.id, injectedActivityMBq: 150, weightKg: 70, injectedAt: daysAgo(s.daysAgo, s.uptakeMin ?? 60) } : {}),
    });
    studyIds.push(st.id);
  }
  const lesionIds: Record<string, string> = {};
  for (const l of lesions) {
    const le = await ok(phys, "lesionCreate", { patientId: p.id, label: l.label, organ: l.organ, firstSeenOn: daysAgo(400).slice(0, 10) });
    lesionIds[l.label] = le.id;
    for (const [i, m] of l.m.entries()) {
      if (m) await ok(phys, "lesionMeasurementRecord", { lesionId: le.id, studyId: studyIds[i], method: "MANUAL", ...m });
    }
  }
  return { patientId: p.id, studyIds, lesionIds };
}

const A = `id version status revision frozen computedAt selectionNote
  warnings { code message }
  targetLesions { id label }
  lesionTable { label organ status isTarget baseline { longAxisMm suvMax suvPeak } followUp { longAxisMm suvMax suvPeak } change { diameterPercent suvMaxPercent suvPeakPercent mtvPercent } }
  results { criterion category evaluable reasons { code message rule } categories metricChangePercent }
  conclusion { criterion category computedCategory overridden reason concludedByName }
  signedAt signedByName csvPath amends { id } amendedBy { id }`;

interface View {
  id: string;
  version: number;
  status: string;
  revision: number;
  frozen: boolean;
  warnings: { code: string; message: string }[];
  targetLesions: { id: string; label: string }[];
  lesionTable: { label: string; status: string; isTarget: boolean; change: { diameterPercent: number | null; suvMaxPercent: number | null } }[];
  results: { criterion: string; category: string; evaluable: boolean; reasons: { code: string; message: string }[]; metricChangePercent: number | null }[];
  conclusion: { criterion: string; category: string; computedCategory: string; overridden: boolean; reason: string | null; concludedByName: string } | null;
  signedAt: string | null;
  signedByName: string | null;
  csvPath: string;
  amends: { id: string } | null;
  amendedBy: { id: string } | null;
}

async function create(client: Client, input: Record<string, unknown>) {
  const r = await client.gql<{ responseAssessmentCreate: { assessment: View | null; userErrors: { field: string[]; message: string; code: string }[] } }>(
    `mutation($i: ResponseAssessmentCreateInput!){ responseAssessmentCreate(input:$i){ assessment { ${A} } userErrors { field message code } } }`,
    { i: input },
  );
  return r;
}
async function created(input: Record<string, unknown>): Promise<View> {
  const r = await create(phys, input);
  if (r.errors || !r.data?.responseAssessmentCreate.assessment) throw new Error(JSON.stringify(r.errors ?? r.data));
  return r.data.responseAssessmentCreate.assessment;
}
async function get(client: Client, id: string): Promise<View> {
  return (await q<{ responseAssessment: View }>(client, `query($id:ID!){ responseAssessment(id:$id){ ${A} } }`, { id })).responseAssessment;
}
const result = (v: View, c: string) => v.results.find((r) => r.criterion === c)!;
type Payload<T> = { assessment: T | null; userErrors: { field: string[]; message: string; code: string }[] };
async function run<N extends string>(client: Client, name: N, input: Record<string, unknown>): Promise<GqlResult<Record<N, Payload<View>>>> {
  const type = name.replace(/^response/, "Response").replace(/^./, (c) => c.toUpperCase());
  return client.gql(`mutation($i: ${type}Input!){ ${name}(input:$i){ assessment { ${A} } userErrors { field message code } } }`, { i: input });
}

describe("reference cases of response-criteria.md through the API", () => {
  it("RECIST §1.2 worked example: 100 → 68 (PR) → 60 (PR, nadir) → 73 mm: PD vs nadir although −27 % vs baseline", async () => {
    const dims = [[60, 40], [40, 28], [36, 24], [44, 29]];
    const c = await casePatient(
      [0, 1, 2, 3].map((i) => ({ modality: "CT" as const, daysAgo: 400 - i * 84 })),
      [
        { label: "T1", organ: "liver", m: dims.map((d) => ({ longAxisMm: d[0], isTarget: true })) },
        { label: "T2", organ: "lung", m: dims.map((d) => ({ longAxisMm: d[1], isTarget: true })) },
      ],
    );
    const wk24 = await created({ patientId: c.patientId, baselineStudyId: c.studyIds[0], followUpStudyId: c.studyIds[2] });
    expect(wk24.targetLesions.map((l) => l.label).sort()).toEqual(["T1", "T2"]);
    expect(result(wk24, "RECIST_1_1").category).toBe("PR");
    expect(result(wk24, "RECIST_1_1").metricChangePercent).toBeCloseTo(-40, 9);
    const wk36 = await created({ patientId: c.patientId, baselineStudyId: c.studyIds[0], followUpStudyId: c.studyIds[3] });
    const r = result(wk36, "RECIST_1_1");
    expect(r.category).toBe("PD");
    expect(r.reasons.map((x) => x.code)).toContain("PD_SOD_INCREASE_VS_NADIR");
    expect(r.reasons.find((x) => x.code === "NADIR_TIME_POINTS")!.message).toContain("nadir SoD 60 mm");
    expect(r.metricChangePercent).toBeCloseTo(-27, 9);
    // Not PET: the PET criteria say why they cannot be evaluated.
    expect(result(wk36, "PERCIST_1_0")).toMatchObject({ category: "NE", evaluable: false });
    expect(result(wk36, "PERCIST_1_0").reasons[0]!.message).toBe("PERCIST 1.0 needs PET at both time points; baseline is CT");
  });

  it("RECIST edge case 1/2: baseline 40, nadir 20, now 24 mm (+4 mm < 5) → not PD, PR vs baseline", async () => {
    const c = await casePatient(
      [{ modality: "CT", daysAgo: 300 }, { modality: "CT", daysAgo: 200 }, { modality: "CT", daysAgo: 100 }],
      [{ label: "T1", organ: "liver", m: [{ longAxisMm: 40, isTarget: true }, { longAxisMm: 20 }, { longAxisMm: 24 }] }],
    );
    const v = await created({ patientId: c.patientId, baselineStudyId: c.studyIds[0], followUpStudyId: c.studyIds[2] });
    expect(result(v, "RECIST_1_1").category).toBe("PR");
  });

  it("SWOG §2 worked example: 40 × 30 → 30 × 25 mm = −37.5 % → MR, while RECIST (−25 %) → SD", async () => {
    const c = await casePatient(
      [{ modality: "CT", daysAgo: 200 }, { modality: "CT", daysAgo: 100 }],
      [{ label: "T1", organ: "liver", m: [{ longAxisMm: 40, shortAxisMm: 30, isTarget: true }, { longAxisMm: 30, shortAxisMm: 25 }] }],
    );
    const v = await created({ patientId: c.patientId, baselineStudyId: c.studyIds[0], followUpStudyId: c.studyIds[1] });
    expect(result(v, "SWOG")).toMatchObject({ category: "MR" });
    expect(result(v, "SWOG").metricChangePercent).toBeCloseTo(-37.5, 9);
    expect(result(v, "RECIST_1_1").category).toBe("SD");
    expect(v.lesionTable[0]).toMatchObject({ label: "T1", status: "MATCHED", isTarget: true });
    expect(v.lesionTable[0]!.change.diameterPercent).toBeCloseTo(-25, 9);
  });

  it.each([
    [5.0, 3.4, "PMR"],
    [2.2, 1.5, "SMD"],
    [4.0, 5.3, "PMD"],
  ])("PERCIST §4.3 worked example: SULpeak %f → %f → %s (liver entered, uptake 60 min)", async (b, f, cat) => {
    const c = await casePatient(
      [{ modality: "PET", tracer: "FDG", daysAgo: 120 }, { modality: "PET", tracer: "FDG", daysAgo: 30 }],
      [{ label: "L1", organ: "liver", m: [{ suvMax: b + 1, suvPeak: b }, { suvMax: f + 1, suvPeak: f }] }],
    );
    const v = await created({ patientId: c.patientId, baselineStudyId: c.studyIds[0], followUpStudyId: c.studyIds[1] });
    expect(result(v, "PERCIST_1_0").reasons[0]!.message).toBe("no liver reference at baseline (no liver VOI from the quantification and none entered)");
    const u = await run(phys, "responseAssessmentUpdate", { id: v.id, version: v.version, baselineLiverSuvMean: 1.0, baselineLiverSuvSd: 0.1, followUpLiverSuvMean: 1.0, followUpLiverSuvSd: 0.1 });
    const after = u.data!.responseAssessmentUpdate.assessment!;
    expect(result(after, "PERCIST_1_0").category).toBe(cat);
  });

  it("PERCIST: follow-up liver missing → NE naming the follow-up; uptake times 60 vs 80 min → quality NE + warning", async () => {
    const c = await casePatient(
      [{ modality: "PET", tracer: "FDG", daysAgo: 120, uptakeMin: 60 }, { modality: "PET", tracer: "FDG", daysAgo: 30, uptakeMin: 80 }],
      [{ label: "L1", organ: "liver", m: [{ suvMax: 6, suvPeak: 5 }, { suvMax: 4, suvPeak: 3.4 }] }],
    );
    const v = await created({ patientId: c.patientId, baselineStudyId: c.studyIds[0], followUpStudyId: c.studyIds[1] });
    expect(v.warnings.map((w) => w.code)).toContain("UPTAKE_TIME_DIFFERS");
    const u = await run(phys, "responseAssessmentUpdate", { id: v.id, version: v.version, baselineLiverSuvMean: 1.0, baselineLiverSuvSd: 0.1 });
    const a = u.data!.responseAssessmentUpdate.assessment!;
    expect(result(a, "PERCIST_1_0").reasons[0]!.message).toBe("no liver reference at follow-up (no liver VOI from the quantification and none entered)");
    const u2 = await run(phys, "responseAssessmentUpdate", { id: v.id, version: a.version, followUpLiverSuvMean: 1.0, followUpLiverSuvSd: 0.1 });
    const b = u2.data!.responseAssessmentUpdate.assessment!;
    expect(result(b, "PERCIST_1_0").category).toBe("NE");
    expect(result(b, "PERCIST_1_0").reasons.map((x) => x.code)).toContain("QUALITY_UPTAKE_TIME");
  });

  it("EORTC §5: SUV −20 % after one cycle → PMR (administered cycle between the scans is counted)", async () => {
    const fx = await clinicalFixture(coord, phys);
    await recordGo(phys, fx.cycleIds[0]!);
    await ok(phys, "cycleRecordAdministration", administrationInput(fx.cycleIds[0]!, 1, { infusionStart: daysAgo(60), infusionEnd: daysAgo(60, -30), calibrationTime: daysAgo(61), residualTime: daysAgo(60, -45) }));
    const b = await ok(coord, "imagingStudyCreate", { patientId: fx.patientId, modality: "PET", tracerId: fdg.id, performedAt: daysAgo(90), injectedAt: daysAgo(90, 60), purpose: "BASELINE" });
    const f = await ok(coord, "imagingStudyCreate", { patientId: fx.patientId, modality: "PET", tracerId: fdg.id, performedAt: daysAgo(10), injectedAt: daysAgo(10, 60), purpose: "RESTAGING" });
    const le = await ok(phys, "lesionCreate", { patientId: fx.patientId, label: "E1", organ: "liver", firstSeenOn: daysAgo(100).slice(0, 10) });
    await ok(phys, "lesionMeasurementRecord", { lesionId: le.id, studyId: b.id, suvMax: 10, longAxisMm: 30, method: "MANUAL" });
    await ok(phys, "lesionMeasurementRecord", { lesionId: le.id, studyId: f.id, suvMax: 8, longAxisMm: 30, method: "MANUAL" });
    // Suggestion: baseline = last measured study before the first cycle, follow-up = latest same modality/tracer after it.
    const s = await q<{ node: { responseStudySuggestion: { baselineStudy: { id: string }; followUpStudy: { id: string }; explanation: string[] } } }>(phys,
      `query($id:ID!){ node(id:$id){ ... on Patient { responseStudySuggestion { baselineStudy { id } followUpStudy { id } explanation } } } }`, { id: fx.patientId });
    expect(s.node.responseStudySuggestion.baselineStudy.id).toBe(b.id);
    expect(s.node.responseStudySuggestion.followUpStudy.id).toBe(f.id);
    expect(s.node.responseStudySuggestion.explanation[0]).toContain("the last study with lesion measurements before the first cycle of the current course");
    const v = await created({ patientId: fx.patientId, baselineStudyId: b.id, followUpStudyId: f.id });
    expect(result(v, "EORTC").category).toBe("PMR");
    expect(result(v, "EORTC").reasons[0]!.message).toContain("1 cycle(s) given between the scans");
  });

  it("SSTR-PET: T/L ratio −40 % in every lesion → DECREASE; NETPET: FDG > SSTR in one lesion → P4a", async () => {
    const c = await casePatient(
      [{ modality: "PET", tracer: "GA", daysAgo: 200 }, { modality: "PET", tracer: "FDG", daysAgo: 40 }, { modality: "PET", tracer: "GA", daysAgo: 30 }],
      [
        { label: "S1", organ: "liver", m: [{ suvMax: 20, krenningScore: 4 }, { suvMax: 9, provenance: { fdgPositive: true, fdgVsSstr: "higher" } }, { suvMax: 12, krenningScore: 3 }] },
        { label: "S2", organ: "bone", m: [{ suvMax: 10, krenningScore: 3 }, { suvMax: 1.2 }, { suvMax: 6, krenningScore: 3 }] },
      ],
    );
    const v = await created({ patientId: c.patientId, baselineStudyId: c.studyIds[0], followUpStudyId: c.studyIds[2] });
    expect(result(v, "SSTR_PET").reasons[0]!.message).toBe("no liver reference at baseline (tumour-to-liver ratio needs liver SUVmean)");
    const u = await run(phys, "responseAssessmentUpdate", { id: v.id, version: v.version, baselineLiverSuvMean: 5, baselineLiverSuvSd: 0.5, followUpLiverSuvMean: 5, followUpLiverSuvSd: 0.5 });
    const a = u.data!.responseAssessmentUpdate.assessment!;
    expect(result(a, "SSTR_PET").category).toBe("DECREASE");
    expect(result(a, "SSTR_PET").metricChangePercent).toBeCloseTo(-40, 9);
    expect(result(a, "NETPET").category).toBe("P4a");
    expect(result(a, "NETPET").reasons[0]!.message).toContain("paired with FDG PET");
    expect(result(a, "NETPET").reasons.map((r) => r.message)).toContain("no FDG+/SSTR− discordant lesion");
  });
});

describe("lesion matching, targets, suggestion", () => {
  it("NEW, DISAPPEARED (0 mm) and BASELINE_ONLY (not measured) lesions; a new lesion makes RECIST PD", async () => {
    const c = await casePatient(
      [{ modality: "CT", daysAgo: 200 }, { modality: "CT", daysAgo: 50 }],
      [
        { label: "L1", organ: "liver", m: [{ longAxisMm: 30, isTarget: true }, { longAxisMm: 20 }] },
        { label: "L2", organ: "lung", m: [{ longAxisMm: 15, isTarget: true }, { longAxisMm: 0 }] },
        { label: "L3", organ: "bone", m: [{ longAxisMm: 12 }, null] },
        { label: "N1", organ: "peritoneum", m: [null, { longAxisMm: 11 }] },
      ],
    );
    const v = await created({ patientId: c.patientId, baselineStudyId: c.studyIds[0], followUpStudyId: c.studyIds[1] });
    const st = Object.fromEntries(v.lesionTable.map((l) => [l.label, l.status]));
    expect(st).toEqual({ L1: "MATCHED", L2: "DISAPPEARED", L3: "BASELINE_ONLY", N1: "NEW" });
    expect(result(v, "RECIST_1_1").category).toBe("PD");
    expect(result(v, "RECIST_1_1").reasons.map((r) => r.code)).toContain("NEW_LESION");
  });

  it("target selection: > 2 per organ or > 5 in total is refused naming the field and the lesions; nothing changes", async () => {
    const labels = ["A1", "A2", "A3", "B1", "C1", "D1"];
    const c = await casePatient(
      [{ modality: "CT", daysAgo: 200 }, { modality: "CT", daysAgo: 50 }],
      labels.map((l) => ({ label: l, organ: l.startsWith("A") ? "liver" : `organ ${l}`, m: [{ longAxisMm: 30 }, { longAxisMm: 25 }] })),
    );
    const three = await create(phys, { patientId: c.patientId, baselineStudyId: c.studyIds[0], followUpStudyId: c.studyIds[1], targetLesionIds: ["A1", "A2", "A3"].map((l) => c.lesionIds[l]) });
    expect(three.data!.responseAssessmentCreate.userErrors).toEqual([
      { field: ["input", "targetLesionIds"], code: "INVALID", message: "RECIST 1.1 target selection: 3 target lesions in liver; RECIST 1.1 allows at most 2 per organ" },
    ]);
    const six = await create(phys, { patientId: c.patientId, baselineStudyId: c.studyIds[0], followUpStudyId: c.studyIds[1], targetLesionIds: ["A1", "A2", "B1", "C1", "D1", "A3"].map((l) => c.lesionIds[l]) });
    expect(six.data!.responseAssessmentCreate.userErrors.map((e) => e.message)).toContain("RECIST 1.1 target selection: 6 target lesions selected; RECIST 1.1 allows at most 5");
    const bad = await create(phys, { patientId: c.patientId, baselineStudyId: c.studyIds[0], followUpStudyId: c.studyIds[1], targetLesionIds: ["not-an-id"] });
    expect(bad.data!.responseAssessmentCreate.userErrors[0]).toMatchObject({ field: ["input", "targetLesionIds", "0"], code: "NOT_FOUND" });
    const rows = await server.db.db.select().from(responseAssessment).where(eq(responseAssessment.patientId, idOf(c.patientId, "Patient")!));
    expect(rows).toEqual([]);
    // Follow-up before baseline, same study: refused with the field named.
    const rev = await create(phys, { patientId: c.patientId, baselineStudyId: c.studyIds[1], followUpStudyId: c.studyIds[0] });
    expect(rev.data!.responseAssessmentCreate.userErrors[0]!.field).toEqual(["input", "followUpStudyId"]);
    const same = await create(phys, { patientId: c.patientId, baselineStudyId: c.studyIds[0], followUpStudyId: c.studyIds[0] });
    expect(same.data!.responseAssessmentCreate.userErrors[0]!.message).toBe("must be a different study than the baseline");
  });

  it("comparability warnings: modality and tracer differ", async () => {
    const c = await casePatient(
      [{ modality: "PET", tracer: "GA", daysAgo: 200 }, { modality: "CT", daysAgo: 50 }],
      [{ label: "L1", organ: "liver", m: [{ longAxisMm: 30, suvMax: 10 }, { longAxisMm: 25 }] }],
    );
    const pre = await q<{ responseComparability: { code: string }[] }>(phys, `query($b:ID!,$f:ID!){ responseComparability(baselineStudyId:$b, followUpStudyId:$f){ code message } }`, { b: c.studyIds[0], f: c.studyIds[1] });
    expect(pre.responseComparability.map((w) => w.code)).toEqual(["MODALITY_DIFFERS", "TRACER_DIFFERS"]);
    const v = await created({ patientId: c.patientId, baselineStudyId: c.studyIds[0], followUpStudyId: c.studyIds[1] });
    expect(v.warnings.map((w) => w.code)).toEqual(["MODALITY_DIFFERS", "TRACER_DIFFERS"]);
  });

  it("a draft whose baseline study was voided since says so and computes nothing (the board's one-pager reads it too)", async () => {
    const c = await casePatient(
      [{ modality: "PET", tracer: "GA", daysAgo: 200 }, { modality: "PET", tracer: "GA", daysAgo: 50 }],
      [{ label: "L1", organ: "liver", m: [{ longAxisMm: 30, suvMax: 10 }, { longAxisMm: 25, suvMax: 8 }] }],
    );
    const v = await created({ patientId: c.patientId, baselineStudyId: c.studyIds[0], followUpStudyId: c.studyIds[1] });
    expect(v.results.length).toBeGreaterThan(0);
    const voided = await phys.gql<{ imagingStudyVoid: { userErrors: unknown[] } }>(
      `mutation($i: VoidInput!){ imagingStudyVoid(input:$i){ userErrors { field message code } } }`,
      { i: { id: c.studyIds[0], version: 1, reason: "wrong patient" } },
    );
    expect(voided.errors).toBeUndefined();
    expect(voided.data!.imagingStudyVoid.userErrors).toEqual([]);
    const after = await get(phys, v.id);
    expect(after.warnings.map((w) => w.code)).toEqual(["STUDY_VOIDED"]);
    expect(after.warnings[0]!.message).toContain("baseline study");
    expect(after.results).toEqual([]);
    const actor = { userId: site.users.PHYSICIAN.id, siteId: site.site.id, roles: ["PHYSICIAN"] } as never;
    const ctx = new RequestContext("test-voided", actor, server.db.db, undefined as never, undefined as never, undefined as never);
    const s = await responseSummaryForPatient(ctx, idOf(c.patientId, "Patient")!);
    expect(s).toMatchObject({ assessmentId: v.id, status: "DRAFT", results: [], lesions: [] });
  });
});

describe("confirm / override / sign / amend, immutability, permissions, audit", () => {
  async function draft() {
    const c = await casePatient(
      [{ modality: "CT", daysAgo: 200 }, { modality: "CT", daysAgo: 50 }],
      [{ label: "T1", organ: "liver", m: [{ longAxisMm: 50, shortAxisMm: 40, isTarget: true }, { longAxisMm: 30, shortAxisMm: 20 }] }],
    );
    return { c, v: await created({ patientId: c.patientId, baselineStudyId: c.studyIds[0], followUpStudyId: c.studyIds[1] }) };
  }

  it("override needs a reason; confirm; sign freezes results; signed is immutable (service and trigger); amend makes a linked version", async () => {
    const { c, v } = await draft();
    expect(result(v, "RECIST_1_1").category).toBe("PR");
    const noReason = await run(phys, "responseAssessmentConclude", { id: v.id, version: v.version, criterion: "RECIST_1_1", category: "SD" });
    expect(noReason.data!.responseAssessmentConclude.userErrors[0]).toMatchObject({ field: ["input", "reason"], code: "INVALID" });
    const badCat = await run(phys, "responseAssessmentConclude", { id: v.id, version: v.version, criterion: "RECIST_1_1", category: "PMR", reason: "x" });
    expect(badCat.data!.responseAssessmentConclude.userErrors[0]!.message).toBe('must be one of CR, PR, SD, PD, NON_CR_NON_PD, NE for RECIST_1_1 (got "PMR")');
    const unsigned = await run(phys, "responseAssessmentSign", { id: v.id, version: v.version });
    expect(unsigned.data!.responseAssessmentSign.userErrors[0]!.message).toBe("confirm or override a criterion's category before signing");
    const over = await run(phys, "responseAssessmentConclude", { id: v.id, version: v.version, criterion: "RECIST_1_1", category: "SD", reason: "measurement artefact on T1" });
    const o = over.data!.responseAssessmentConclude.assessment!;
    expect(o.conclusion).toMatchObject({ criterion: "RECIST_1_1", category: "SD", computedCategory: "PR", overridden: true, reason: "measurement artefact on T1" });
    const conf = await run(phys, "responseAssessmentConclude", { id: v.id, version: o.version, criterion: "RECIST_1_1" });
    const cf = conf.data!.responseAssessmentConclude.assessment!;
    expect(cf.conclusion).toMatchObject({ category: "PR", overridden: false, reason: null });
    // A physicist reads but cannot sign.
    const ps = await run(physicist, "responseAssessmentSign", { id: v.id, version: cf.version });
    expect(errorCode(ps)).toBe("FORBIDDEN");
    expect((await get(physicist, v.id)).status).toBe("DRAFT");
    const signed = (await run(phys, "responseAssessmentSign", { id: v.id, version: cf.version })).data!.responseAssessmentSign.assessment!;
    expect(signed).toMatchObject({ status: "SIGNED", frozen: true });
    expect(signed.signedByName).toBeTruthy();
    // What the physician saw is stored: a later measurement change does not move the signed result.
    const lesionId = c.lesionIds.T1!;
    const m = await q<{ node: { measurements: { id: string; version: number; study: { id: string } }[] } }>(phys, `query($id:ID!){ node(id:$id){ ... on Lesion { measurements { id version study { id } } } } }`, { id: lesionId });
    const fm = m.node.measurements.find((x) => x.study.id === c.studyIds[1])!;
    await ok(phys, "lesionMeasurementUpdate", { id: fm.id, version: fm.version, longAxisMm: 80 });
    const again = await get(phys, v.id);
    expect(result(again, "RECIST_1_1").category).toBe("PR");
    const [row] = await server.db.db.select().from(responseAssessment).where(eq(responseAssessment.id, idOf(v.id, "ResponseAssessment")!));
    expect((row!.computed as { inputs: { measurements: { longAxisMm: number }[] } }).inputs.measurements.map((x) => x.longAxisMm).sort()).toEqual([30, 50]);
    // Service refuses changes to the signed row...
    for (const [name, input] of [
      ["responseAssessmentUpdate", { id: v.id, version: signed.version, nonTargetResponse: "CR" }],
      ["responseAssessmentConclude", { id: v.id, version: signed.version, criterion: "SWOG" }],
      ["responseAssessmentSign", { id: v.id, version: signed.version }],
    ] as const) {
      const r = await run(phys, name, input);
      expect(r.data![name]!.userErrors[0], name).toMatchObject({ code: "CONFLICT", message: "this response assessment is signed and immutable; amend it to make a new version" });
    }
    // ...and so does the database, whatever the client.
    for (const stmt of [sql`update response_assessment set conclusion_category = 'PD' where id = ${row!.id}`, sql`delete from response_assessment where id = ${row!.id}`, sql`truncate response_assessment`]) {
      // In a transaction that is always rolled back: a missing trigger fails the test, never the data.
      let failure = "";
      await server.db.db
        .transaction(async (tx) => {
          await tx.execute(stmt);
          throw new Error("statement was accepted");
        })
        .catch((e: unknown) => {
          failure = errorText(e);
        });
      expect(failure).toMatch(/is signed and immutable|holds signed records: TRUNCATE refused/);
    }
    const [still] = await server.db.db.select().from(responseAssessment).where(eq(responseAssessment.id, row!.id));
    expect(still).toMatchObject({ status: "SIGNED", conclusionCategory: "PR" });
    // Amendment: a new linked DRAFT (revision 2); the signed one is untouched; only one amendment per version.
    const am = (await run(phys, "responseAssessmentAmend", { id: v.id, reason: "T1 re-measured" })).data!.responseAssessmentAmend.assessment!;
    expect(am).toMatchObject({ status: "DRAFT", revision: 2, amends: { id: v.id } });
    expect(result(am, "RECIST_1_1").category).toBe("PD"); // 50 → 80 mm with the corrected measurement
    expect((await get(phys, v.id)).amendedBy).toEqual({ id: am.id });
    const twice = await run(phys, "responseAssessmentAmend", { id: v.id, reason: "again" });
    expect(twice.data!.responseAssessmentAmend.userErrors[0]!.message).toBe("is already amended by revision 2; amend the latest version");
    // Drafts awaiting signature list the amendment, not the signed one.
    const home = await q<{ responseAssessmentsAwaitingSignature: { id: string }[] }>(phys, `{ responseAssessmentsAwaitingSignature { id } }`);
    expect(home.responseAssessmentsAwaitingSignature.map((x) => x.id)).toContain(am.id);
    expect(home.responseAssessmentsAwaitingSignature.map((x) => x.id)).not.toContain(v.id);
    // Audit rows of the writes.
    const audit = await server.db.db.select().from(auditEvent).where(and(eq(auditEvent.entityId, row!.id), eq(auditEvent.outcome, "SUCCESS")));
    const actions = audit.map((a) => a.action);
    for (const a of ["response_assessment.create", "response_assessment.conclude", "response_assessment.sign", "ResponseAssessment.read"]) expect(actions).toContain(a);
    expect(audit.every((a) => a.patientId === idOf(c.patientId, "Patient"))).toBe(true);
  });

  it("bad reader input is refused naming the field and value, and changes nothing", async () => {
    const { v } = await draft();
    const liver = await run(phys, "responseAssessmentUpdate", { id: v.id, version: v.version, followUpLiverSuvMean: 80 });
    expect(liver.data!.responseAssessmentUpdate.userErrors).toEqual([
      { field: ["input", "followUpLiverSuvMean"], code: "INVALID", message: "followUpLiverSuvMean must be ≤ 50 (implausible liver SUV) (got 80)" },
    ]);
    const pd = await run(phys, "responseAssessmentUpdate", { id: v.id, version: v.version, nonTargetResponse: "PD" });
    expect(pd.data!.responseAssessmentUpdate.userErrors[0]).toMatchObject({ field: ["input", "nonTargetPdReason"], code: "INVALID" });
    const stale = await run(phys, "responseAssessmentConclude", { id: v.id, version: v.version + 5, criterion: "RECIST_1_1" });
    expect(stale.data!.responseAssessmentConclude.userErrors[0]).toMatchObject({ field: ["input", "version"], code: "CONFLICT" });
    const after = await get(phys, v.id);
    expect(after.version).toBe(v.version);
    expect(after.conclusion).toBeNull();
    // Non-target PD with the reader's reason → RECIST overall PD, reason stored in the result.
    const ok = await run(phys, "responseAssessmentUpdate", { id: v.id, version: v.version, nonTargetResponse: "PD", nonTargetPdReason: "new ascites" });
    const a = ok.data!.responseAssessmentUpdate.assessment!;
    expect(result(a, "RECIST_1_1").category).toBe("PD");
    expect(result(a, "RECIST_1_1").reasons.map((r) => r.message)).toContain("non-target unequivocal progression (reader): new ascites");
  });

  it("signing refuses when the computed category changed since the confirmation", async () => {
    const { c, v } = await draft();
    const cf = (await run(phys, "responseAssessmentConclude", { id: v.id, version: v.version, criterion: "RECIST_1_1" })).data!.responseAssessmentConclude.assessment!;
    const m = await q<{ node: { measurements: { id: string; version: number; study: { id: string } }[] } }>(phys, `query($id:ID!){ node(id:$id){ ... on Lesion { measurements { id version study { id } } } } }`, { id: c.lesionIds.T1 });
    const fm = m.node.measurements.find((x) => x.study.id === c.studyIds[1])!;
    await ok(phys, "lesionMeasurementUpdate", { id: fm.id, version: fm.version, longAxisMm: 70 });
    const s = await run(phys, "responseAssessmentSign", { id: v.id, version: cf.version });
    expect(s.data!.responseAssessmentSign.userErrors[0]).toMatchObject({ code: "CONFLICT", message: "the computed RECIST_1_1 category changed since you confirmed (PR → PD): review and confirm again" });
  });

  it("cross-site: another site's physician gets NOT_FOUND and a DENIED audit row; reads return null", async () => {
    const { c, v } = await draft();
    const other = await server.createSite(["PHYSICIAN"]);
    const op = await as(server, other.users.PHYSICIAN.email);
    const r = await run(op, "responseAssessmentConclude", { id: v.id, version: v.version, criterion: "RECIST_1_1" });
    expect(r.data!.responseAssessmentConclude.userErrors[0]).toMatchObject({ field: ["input", "id"], code: "NOT_FOUND" });
    const cr = await create(op, { patientId: c.patientId, baselineStudyId: c.studyIds[0], followUpStudyId: c.studyIds[1] });
    expect(cr.data!.responseAssessmentCreate.userErrors[0]).toMatchObject({ field: ["input", "patientId"], code: "NOT_FOUND" });
    const read = await op.gql<{ responseAssessment: unknown }>(`query($id:ID!){ responseAssessment(id:$id){ id } }`, { id: v.id });
    expect(read.data!.responseAssessment).toBeNull();
    const viaNode = await op.gql<{ node: unknown }>(`query($id:ID!){ node(id:$id){ id } }`, { id: v.id });
    expect(viaNode.data!.node).toBeNull();
    const own = await q<{ node: { __typename: string; status: string } }>(phys, `query($id:ID!){ node(id:$id){ __typename ... on ResponseAssessment { status } } }`, { id: v.id });
    expect(own.node).toEqual({ __typename: "ResponseAssessment", status: "DRAFT" });
    const denied = await server.db.db.select().from(auditEvent).where(and(eq(auditEvent.actorUserId, other.users.PHYSICIAN.id), eq(auditEvent.outcome, "DENIED")));
    expect(denied.length).toBeGreaterThanOrEqual(2);
    const csv = await fetch(`${server.base}${(await get(phys, v.id)).csvPath}`, { headers: { cookie: op.cookie ?? "" } });
    expect(csv.status).toBe(404);
  });

  it("CSV export: authenticated, audited, RFC 4180 with units in the headers; anonymous → 401", async () => {
    const c = await casePatient(
      [{ modality: "CT", daysAgo: 200 }, { modality: "CT", daysAgo: 50 }],
      [{ label: 'T1 "segment, VII"', organ: "liver", m: [{ longAxisMm: 50, isTarget: true }, { longAxisMm: 30 }] }],
    );
    const v = await created({ patientId: c.patientId, baselineStudyId: c.studyIds[0], followUpStudyId: c.studyIds[1] });
    expect(v.csvPath).toMatch(/^\/api\/response\/[A-Za-z0-9_-]+\/lesions\.csv$/);
    const res = await fetch(`${server.base}${v.csvPath}`, { headers: { cookie: phys.cookie ?? "" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const text = await res.text();
    const lines = text.split("\r\n");
    expect(lines[0]).toContain("baseline_long_axis_mm");
    expect(lines[0]).toContain("change_diameter_percent");
    expect(lines[1]).toBe('"T1 ""segment, VII""",liver,MATCHED,yes,50,,,,,,30,,,,,,-40,,,');
    const rows = await server.db.db.select().from(auditEvent).where(and(eq(auditEvent.action, "ResponseAssessmentExport.read"), eq(auditEvent.entityId, idOf(v.id, "ResponseAssessment")!)));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actorUserId).toBe(site.users.PHYSICIAN.id);
    const anon = await fetch(`${server.base}${v.csvPath}`);
    expect(anon.status).toBe(401);
  });

  it("waterfall: best change per patient, filterable by criterion; summary contract for the board", async () => {
    const { c, v } = await draft();
    const w = await q<{ responseWaterfall: { patient: { id: string }; criterion: string; bestChangePercent: number; category: string }[] }>(phys,
      `{ responseWaterfall(criterion: RECIST_1_1) { patient { id } criterion bestChangePercent category } }`);
    const bar = w.responseWaterfall.find((b) => b.patient.id === c.patientId)!;
    expect(bar).toMatchObject({ criterion: "RECIST_1_1", category: "PR" });
    expect(bar.bestChangePercent).toBeCloseTo(-40, 9);
    expect(w.responseWaterfall.every((b) => b.criterion === "RECIST_1_1")).toBe(true);
    // Summary contract (tumour-board one-pager).
    const actor = { userId: site.users.PHYSICIAN.id, siteId: site.site.id, roles: ["PHYSICIAN"] } as never;
    const ctx = new RequestContext("test-summary", actor, server.db.db, undefined as never, undefined as never, undefined as never);
    const s = await responseSummaryForPatient(ctx, idOf(c.patientId, "Patient")!);
    expect(s).toMatchObject({ assessmentId: v.id, status: "DRAFT", conclusion: null });
    expect(s!.results.find((r) => r.criterion === "RECIST_1_1")!.category).toBe("PR");
    expect(s!.results.find((r) => r.criterion === "PERCIST_1_0")!.category).toBe("NOT_EVALUABLE");
    expect(s!.lesions[0]).toMatchObject({ label: "T1", status: "MATCHED", isTarget: true, baseline: { longAxisMm: 50 }, followUp: { longAxisMm: 30 } });
    const other = await responseSummaryForPatient(ctx, "00000000-0000-4000-8000-000000000000");
    expect(other).toBeNull();
  });

  it("viewer reads but cannot create", async () => {
    const { c, v } = await draft();
    const viewer = await as(server, site.users.VIEWER.email);
    expect((await get(viewer, v.id)).id).toBe(v.id);
    const r = await create(viewer, { patientId: c.patientId, baselineStudyId: c.studyIds[0], followUpStudyId: c.studyIds[1] });
    expect(r.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("demo seed", () => {
  it("gives completed patients an assessable follow-up and DRAFT assessments with evaluable criteria", async () => {
    await seedDemo(server.db.db, { production: false, patients: 24 });
    const demo = await new Client(server.base).login("physician@demo.lutetia.test", "demo-physician-lutetia");
    const drafts = await q<{ responseAssessmentsAwaitingSignature: { id: string }[] }>(demo, `{ responseAssessmentsAwaitingSignature { id } }`);
    expect(drafts.responseAssessmentsAwaitingSignature).toHaveLength(3); // 4 completed patients, the first left for "New assessment"
    const cats = [];
    for (const d of drafts.responseAssessmentsAwaitingSignature) {
      const v = await get(demo, d.id);
      expect(result(v, "RECIST_1_1").evaluable).toBe(true);
      expect(result(v, "SSTR_PET").evaluable).toBe(true);
      cats.push(result(v, "RECIST_1_1").category);
    }
    expect(new Set(cats).size).toBeGreaterThan(1);
    const w = await q<{ responseWaterfall: unknown[] }>(demo, `{ responseWaterfall(criterion: SSTR_PET) { bestChangePercent } }`);
    expect(w.responseWaterfall).toHaveLength(3);
  });
});
