import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, type Client, startTestServer, type TestServer } from "../../../test/harness";
import { agent, clinicalFixture, hoursAgo, mutate, ok, patientInput, q, siteSnapshot, uniq } from "../../../test/fixtures";

let server: TestServer;
let site: Awaited<ReturnType<TestServer["createSite"]>>;
let coord: Client;
let phys: Client;
beforeAll(async () => {
  server = await startTestServer();
  site = await server.createSite(["COORDINATOR", "PHYSICIAN", "PHYSICIST"]);
  coord = await as(server, site.users.COORDINATOR.email);
  phys = await as(server, site.users.PHYSICIAN.email);
});
afterAll(async () => {
  await server?.close();
});

const STUDIES = `query($f: ImagingStudyFilter, $first: Int, $after: String){ studies(first: $first, after: $after, filter: $f) { totalCount pageInfo { hasNextPage endCursor } edges { node { id modality purpose performedAt } } } }`;
type Studies = { studies: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { id: string; modality: string; purpose: string; performedAt: string } }[] } };

describe("imaging studies through /graphql", () => {
  it("creates (with tracer and linked cycle), reads, updates and voids a study", async () => {
    const fx = await clinicalFixture(coord, phys);
    const physicist = await as(server, site.users.PHYSICIST.email);
    const post = await ok<{ tracer: { id: string; name: string }; cycle: { id: string } }>(physicist, "imagingStudyCreate", {
      patientId: fx.patientId, modality: "SPECT", tracerId: fx.lu.id, performedAt: hoursAgo(2), purpose: "POST_THERAPY",
      cycleId: fx.cycleIds[0], studyInstanceUid: `1.2.826.0.1.${Date.now()}`,
    });
    expect(post.tracer).toEqual({ id: fx.lu.id, name: "177Lu-DOTATATE" });
    expect(post.cycle).toEqual({ id: fx.cycleIds[0] });
    const read = await q<{ node: { id: string; modality: string; patient: { id: string }; measurements: unknown[] } }>(coord,
      `query($id:ID!){ node(id:$id){ id ... on ImagingStudy { modality patient { id } measurements { id } } } }`, { id: post.id });
    expect(read.node).toEqual({ id: post.id, modality: "SPECT", patient: { id: fx.patientId }, measurements: [] });
    const latest = await q<{ node: { latestStudy: { id: string }; studies: { id: string }[] } }>(coord,
      `query($id:ID!){ node(id:$id){ ... on Patient { latestStudy { id } studies { id } } } }`, { id: fx.patientId });
    expect(latest.node.latestStudy.id).toBe(post.id);
    expect(latest.node.studies.map((s) => s.id)).toEqual([post.id, fx.studyId]);

    const u = await ok<{ purpose: string; weightKg: number }>(physicist, "imagingStudyUpdate", { id: post.id, version: 1, purpose: "INTERIM", weightKg: 70.5 });
    expect(u).toMatchObject({ version: 2, purpose: "INTERIM", weightKg: 70.5 });
    const v = await ok<{ voidedAt: string }>(physicist, "imagingStudyVoid", { id: post.id, version: 2, reason: "duplicate upload" });
    expect(v.version).toBe(3);
    const after = await q<{ node: { latestStudy: { id: string } } }>(coord, `query($id:ID!){ node(id:$id){ ... on Patient { latestStudy { id } } } }`, { id: fx.patientId });
    expect(after.node.latestStudy.id).toBe(fx.studyId);
  });

  const tracerCases: [string, string, boolean][] = [
    ["PET", "68Ga-DOTATATE", true],
    ["PET", "18F-FDG", true],
    ["SPECT", "111In-pentetreotide", true],
    ["SPECT", "177Lu-DOTATATE", true],
    ["PET", "177Lu-DOTATATE", false],
    ["PET", "111In-pentetreotide", false],
    ["SPECT", "68Ga-DOTATATE", false],
    ["CT", "68Ga-DOTATATE", false],
    ["MRI", "99mTc-HYNIC-TATE", false],
  ];
  it.each(tracerCases)("a %s study with tracer %s → accepted=%s", async (modality, tracer, accepted) => {
    const p = await ok(coord, "patientCreate", patientInput(`IM-${uniq()}`));
    const a = await agent(coord, tracer);
    const before = await siteSnapshot(server, site.site.id);
    const r = await mutate(coord, "imagingStudyCreate", { patientId: p.id, modality, tracerId: a.id, performedAt: hoursAgo(3), purpose: "BASELINE" });
    if (accepted) {
      expect(r.userErrors).toEqual([]);
      expect((r.entity!.tracer as { id: string }).id).toBe(a.id);
    } else {
      expect(r.entity).toBeNull();
      expect(r.userErrors[0]).toMatchObject({ field: ["input", "tracerId"], code: "INVALID" });
      expect(r.userErrors[0]!.message).toContain(tracer);
      expect(r.userErrors[0]!.message).toContain(modality);
      expect(await siteSnapshot(server, site.site.id)).toEqual(before);
    }
  });

  it("refuses an injected activity outside the tracer's plausible range, injection after the scan, and a duplicate StudyInstanceUID", async () => {
    const p = await ok(coord, "patientCreate", patientInput(`IA-${uniq()}`));
    const ga = await agent(coord, "68Ga-DOTATATE");
    const before = await siteSnapshot(server, site.site.id);
    const act = await mutate(coord, "imagingStudyCreate", { patientId: p.id, modality: "PET", tracerId: ga.id, injectedActivityMBq: 1850, performedAt: hoursAgo(3), purpose: "BASELINE" });
    expect(act.userErrors[0]).toMatchObject({ field: ["input", "injectedActivityMBq"], code: "INVALID" });
    expect(act.userErrors[0]!.message).toContain("1850");
    const inj = await mutate(coord, "imagingStudyCreate", { patientId: p.id, modality: "PET", tracerId: ga.id, injectedAt: hoursAgo(1), performedAt: hoursAgo(2), purpose: "BASELINE" });
    expect(inj.userErrors[0]).toMatchObject({ field: ["input", "injectedAt"], code: "INVALID" });
    expect(await siteSnapshot(server, site.site.id)).toEqual(before);
    const uid = `1.2.3.${Date.now()}`;
    await ok(coord, "imagingStudyCreate", { patientId: p.id, modality: "CT", performedAt: hoursAgo(3), purpose: "BASELINE", studyInstanceUid: uid });
    const dup = await mutate(coord, "imagingStudyCreate", { patientId: p.id, modality: "CT", performedAt: hoursAgo(3), purpose: "BASELINE", studyInstanceUid: uid });
    expect(dup.userErrors[0]).toMatchObject({ field: ["input", "studyInstanceUid"], code: "DUPLICATE" });
  });

  it("an update is checked against the stored tracer, modality and times (activity range, injection after scan)", async () => {
    const p = await ok(coord, "patientCreate", patientInput(`IU-${uniq()}`));
    const ga = await agent(coord, "68Ga-DOTATATE");
    const s = await ok(coord, "imagingStudyCreate", { patientId: p.id, modality: "PET", tracerId: ga.id, injectedActivityMBq: 150, injectedAt: hoursAgo(3), performedAt: hoursAgo(2), purpose: "BASELINE" });
    const before = await siteSnapshot(server, site.site.id);
    const act = await mutate(coord, "imagingStudyUpdate", { id: s.id, version: 1, injectedActivityMBq: 5000 });
    expect(act.userErrors[0]).toMatchObject({ field: ["input", "injectedActivityMBq"], code: "INVALID" });
    expect(act.userErrors[0]!.message).toContain("5000");
    const inj = await mutate(coord, "imagingStudyUpdate", { id: s.id, version: 1, injectedAt: hoursAgo(1) });
    expect(inj.userErrors[0]).toMatchObject({ field: ["input", "injectedAt"], code: "INVALID" });
    const lu = await agent(coord, "177Lu-DOTATATE");
    const tracer = await mutate(coord, "imagingStudyUpdate", { id: s.id, version: 1, tracerId: lu.id });
    expect(tracer.userErrors[0]).toMatchObject({ field: ["input", "tracerId"], code: "INVALID" });
    expect(await siteSnapshot(server, site.site.id)).toEqual(before);
    const fine = await ok<{ tracer: { id: string } }>(coord, "imagingStudyUpdate", { id: s.id, version: 1, injectedActivityMBq: 180 });
    expect(fine.tracer.id).toBe(ga.id);
  });

  it("the studies connection filters by patient, modality, purpose and time window, and pages", async () => {
    const s = await server.createSite(["COORDINATOR"]);
    const c = await as(server, s.users.COORDINATOR.email);
    const p1 = await ok(c, "patientCreate", patientInput(`SA-${uniq()}`));
    const p2 = await ok(c, "patientCreate", patientInput(`SB-${uniq()}`));
    const made: { id: string; patient: string; modality: string; purpose: string; h: number }[] = [];
    const plan: [string, string, string, number][] = [
      [p1.id, "PET", "BASELINE", 100], [p1.id, "CT", "BASELINE", 99], [p1.id, "PET", "RESTAGING", 50],
      [p2.id, "SPECT", "POST_THERAPY", 40], [p2.id, "PET", "FOLLOW_UP", 10],
    ];
    for (const [patientId, modality, purpose, h] of plan) {
      const st = await ok(c, "imagingStudyCreate", { patientId, modality, purpose, performedAt: hoursAgo(h) });
      made.push({ id: st.id, patient: patientId, modality, purpose, h });
    }
    const ids = async (f: Record<string, unknown>) => (await q<Studies>(c, STUDIES, { f })).studies.edges.map((e) => e.node.id);
    const newestFirst = [...made].sort((a, b) => a.h - b.h).map((m) => m.id);
    expect(await ids({})).toEqual(newestFirst);
    expect(await ids({ patientId: p1.id })).toEqual(made.filter((m) => m.patient === p1.id).sort((a, b) => a.h - b.h).map((m) => m.id));
    expect(await ids({ modality: ["PET"] })).toEqual(made.filter((m) => m.modality === "PET").sort((a, b) => a.h - b.h).map((m) => m.id));
    expect(await ids({ modality: ["PET", "SPECT"], purpose: ["FOLLOW_UP", "POST_THERAPY"] })).toEqual([made[4]!.id, made[3]!.id]);
    expect(await ids({ from: hoursAgo(60), to: hoursAgo(20) })).toEqual([made[3]!.id, made[2]!.id]);

    const page1 = (await q<Studies>(c, STUDIES, { first: 2 })).studies;
    expect(page1.totalCount).toBe(5);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await q<Studies>(c, STUDIES, { first: 2, after: page1.pageInfo.endCursor })).studies;
    const page3 = (await q<Studies>(c, STUDIES, { first: 2, after: page2.pageInfo.endCursor })).studies;
    expect(page3.pageInfo.hasNextPage).toBe(false);
    expect([...page1.edges, ...page2.edges, ...page3.edges].map((e) => e.node.id)).toEqual(newestFirst);
  });
});
