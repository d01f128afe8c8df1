import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, type Client, startTestServer, type TestServer } from "../../../test/harness";
import { clinicalFixture, daysAgoDate, hoursAgo, mutate, ok, q, siteSnapshot } from "../../../test/fixtures";

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

describe("lesions and lesion measurements through /graphql", () => {
  it("creates, reads, updates and voids lesions; duplicate label refused", async () => {
    const fx = await clinicalFixture(coord, phys);
    const physicist = await as(server, site.users.PHYSICIST.email);
    const l2 = await ok<{ label: string; organ: string }>(physicist, "lesionCreate", { patientId: fx.patientId, label: "L2", organ: "lymph node", firstSeenOn: daysAgoDate(10) });
    expect(l2).toMatchObject({ label: "L2", organ: "lymph node", version: 1 });
    const dup = await mutate(physicist, "lesionCreate", { patientId: fx.patientId, label: "L1", organ: "bone", firstSeenOn: daysAgoDate(1) });
    expect(dup.userErrors[0]).toMatchObject({ field: ["input", "label"], code: "DUPLICATE" });
    const rename = await mutate(physicist, "lesionUpdate", { id: l2.id, version: 1, label: "L1" });
    expect(rename.userErrors[0]).toMatchObject({ field: ["input", "label"], code: "DUPLICATE" });
    const u = await ok<{ label: string; location: string }>(physicist, "lesionUpdate", { id: l2.id, version: 1, label: "L2a", location: "para-aortic" });
    expect(u).toMatchObject({ version: 2, label: "L2a", location: "para-aortic" });
    const list = await q<{ node: { lesions: { id: string; label: string; measurements: { id: string; suvMax: number; study: { id: string } }[] }[] } }>(coord,
      `query($id:ID!){ node(id:$id){ ... on Patient { lesions { id label measurements { id suvMax study { id } } } } } }`, { id: fx.patientId });
    expect(list.node.lesions.map((l) => l.label)).toEqual(["L1", "L2a"]);
    expect(list.node.lesions[0]!.measurements).toEqual([{ id: fx.measurementId, suvMax: 24.5, study: { id: fx.studyId } }]);
    const v = await ok(physicist, "lesionVoid", { id: l2.id, version: 2, reason: "artefact" });
    expect(v.version).toBe(3);
    const after = await q<{ node: { lesions: { id: string }[] } }>(coord, `query($id:ID!){ node(id:$id){ ... on Patient { lesions { id } } } }`, { id: fx.patientId });
    expect(after.node.lesions.map((l) => l.id)).toEqual([fx.lesionId]);
  });

  it("one measurement per lesion × study; update, void, and re-record after void", async () => {
    const fx = await clinicalFixture(coord, phys);
    const before = await siteSnapshot(server, site.site.id);
    const dup = await mutate(phys, "lesionMeasurementRecord", { lesionId: fx.lesionId, studyId: fx.studyId, suvMax: 10, method: "MANUAL" });
    expect(dup.userErrors[0]).toMatchObject({ field: ["input", "studyId"], code: "DUPLICATE" });
    expect(await siteSnapshot(server, site.site.id)).toEqual(before);
    const byStudy = await q<{ node: { measurements: { id: string; lesion: { id: string } }[] } }>(coord,
      `query($id:ID!){ node(id:$id){ ... on ImagingStudy { measurements { id lesion { id } } } } }`, { id: fx.studyId });
    expect(byStudy.node.measurements).toEqual([{ id: fx.measurementId, lesion: { id: fx.lesionId } }]);
    const viaNode = await q<{ node: { suvPeak: number; isTarget: boolean; method: string } }>(coord,
      `query($id:ID!){ node(id:$id){ ... on LesionMeasurement { suvPeak isTarget method } } }`, { id: fx.measurementId });
    expect(viaNode.node).toEqual({ suvPeak: 18.2, isTarget: true, method: "MANUAL" });

    const u = await ok<{ suvMax: number; isTarget: boolean }>(phys, "lesionMeasurementUpdate", { id: fx.measurementId, version: 1, suvMax: 26.1, isTarget: false });
    expect(u).toMatchObject({ version: 2, suvMax: 26.1, isTarget: false });
    await ok(phys, "lesionMeasurementVoid", { id: fx.measurementId, version: 2, reason: "wrong ROI" });
    const again = await ok<{ suvMax: number }>(phys, "lesionMeasurementRecord", { lesionId: fx.lesionId, studyId: fx.studyId, suvMax: 25, method: "THRESHOLD", provenance: { tool: "test", thresholdPercent: 41 } });
    expect(again.suvMax).toBe(25);
  });

  it("refuses a measurement whose study belongs to another patient", async () => {
    const a = await clinicalFixture(coord, phys);
    const b = await clinicalFixture(coord, phys);
    const r = await mutate(phys, "lesionMeasurementRecord", { lesionId: a.lesionId, studyId: b.studyId, suvMax: 5, method: "MANUAL" });
    expect(r.userErrors[0]).toMatchObject({ field: ["input", "studyId"], code: "INVALID" });
  });

  // SUV consistency: mean ≤ peak ≤ max is checked as peak ≤ max and mean ≤ max; short ≤ long axis; SUV ≤ 200; Krenning 0–4.
  // (stored measurement: max 24.5, peak 18.2, mean 12.1; the update keeps the other stored values consistent)
  const cases: [string, Record<string, unknown>, string, string, Record<string, unknown>?][] = [
    ["peak above max", { suvMax: 10, suvPeak: 12 }, "suvPeak", "12", { suvMean: 5 }],
    ["mean above max", { suvMax: 10, suvMean: 10.5 }, "suvMean", "10.5", { suvPeak: 9 }],
    ["short axis above long axis", { longAxisMm: 20, shortAxisMm: 25 }, "shortAxisMm", "25"],
    ["implausible SUV", { suvMax: 250 }, "suvMax", "250"],
    ["negative SUV", { suvMax: -1 }, "suvMax", "-1"],
    ["Krenning score 5", { krenningScore: 5 }, "krenningScore", "5"],
    ["negative MTV", { mtvMl: -3 }, "mtvMl", "-3"],
  ];
  it.each(cases)("refuses %s on record and update, naming the field and value, writing nothing", async (_n, bad, field, shown, updateExtra) => {
    const fx = await clinicalFixture(coord, phys);
    const l2 = await ok(phys, "lesionCreate", { patientId: fx.patientId, label: "L9", organ: "liver", firstSeenOn: daysAgoDate(3) });
    const s2 = await ok(coord, "imagingStudyCreate", { patientId: fx.patientId, modality: "PET", tracerId: fx.ga.id, performedAt: hoursAgo(1), purpose: "INTERIM" });
    const before = await siteSnapshot(server, site.site.id);
    const r = await mutate(phys, "lesionMeasurementRecord", { lesionId: l2.id, studyId: s2.id, method: "MANUAL", ...bad });
    expect(r.entity).toBeNull();
    expect(r.userErrors[0]!.field).toEqual(["input", field]);
    expect(r.userErrors[0]!.message).toContain(shown);
    const u = await mutate(phys, "lesionMeasurementUpdate", { id: fx.measurementId, version: 1, ...bad, ...updateExtra });
    expect(u.entity).toBeNull();
    expect(u.userErrors[0]!.field).toEqual(["input", field]);
    expect(u.userErrors[0]!.message).toContain(shown);
    expect(await siteSnapshot(server, site.site.id)).toEqual(before);
  });

  it("checks update consistency against the stored values (peak raised above the stored max)", async () => {
    const fx = await clinicalFixture(coord, phys);
    const r = await mutate(phys, "lesionMeasurementUpdate", { id: fx.measurementId, version: 1, suvPeak: 30 });
    expect(r.userErrors[0]).toMatchObject({ field: ["input", "suvPeak"], code: "INVALID" });
    expect(r.userErrors[0]!.message).toContain("24.5");
  });
});
