import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, type Client, startTestServer, type TestServer } from "../../../test/harness";
import { mutate, ok, patientInput, q, siteSnapshot, uniq } from "../../../test/fixtures";

let server: TestServer;
let site: Awaited<ReturnType<TestServer["createSite"]>>;
let coord: Client;
beforeAll(async () => {
  server = await startTestServer();
  site = await server.createSite(["COORDINATOR", "PHYSICIAN"]);
  coord = await as(server, site.users.COORDINATOR.email);
});
afterAll(async () => {
  await server?.close();
});

const base = (patientId: string, over: Record<string, unknown> = {}) => ({
  patientId, primarySite: "pancreas", histology: "well-differentiated NET", whoGrade: "G2", ki67Percent: 12,
  differentiation: "WELL", functionalSyndrome: null, diagnosedOn: "2025-02-03", ...over,
});

describe("diagnoses through /graphql", () => {
  it("creates, reads (node + patient.currentDiagnosis), updates and voids a diagnosis", async () => {
    const p = await ok(coord, "patientCreate", patientInput(`DX-${uniq()}`));
    const d = await ok<{ whoGrade: string; ki67Percent: number }>(coord, "diagnosisCreate", base(p.id));
    expect(d).toMatchObject({ version: 1, whoGrade: "G2", ki67Percent: 12 });
    const read = await q<{ node: { currentDiagnosis: { id: string; diagnosedOn: string; primarySite: string } } }>(
      coord, `query($id:ID!){ node(id:$id){ ... on Patient { currentDiagnosis { id diagnosedOn primarySite } } } }`, { id: p.id });
    expect(read.node.currentDiagnosis).toEqual({ id: d.id, diagnosedOn: "2025-02-03", primarySite: "pancreas" });
    const byNode = await q<{ node: { id: string; whoGrade: string; patient: { id: string } } }>(
      coord, `query($id:ID!){ node(id:$id){ id ... on Diagnosis { whoGrade patient { id } } } }`, { id: d.id });
    expect(byNode.node).toEqual({ id: d.id, whoGrade: "G2", patient: { id: p.id } });

    const u = await ok<{ whoGrade: string; ki67Percent: number; histology: string }>(coord, "diagnosisUpdate", { id: d.id, version: 1, whoGrade: "G3", ki67Percent: 25, histology: "NET G3" });
    expect(u).toMatchObject({ version: 2, whoGrade: "G3", ki67Percent: 25, histology: "NET G3" });
    const v = await ok<{ voidedAt: string; voidReason: string }>(coord, "diagnosisVoid", { id: d.id, version: 2, reason: "entered on wrong patient" });
    expect(v).toMatchObject({ version: 3, voidReason: "entered on wrong patient" });
    expect(v.voidedAt).not.toBeNull();
    const after = await q<{ node: { diagnoses: unknown[]; currentDiagnosis: unknown } }>(
      coord, `query($id:ID!){ node(id:$id){ ... on Patient { diagnoses { id } currentDiagnosis { id } } } }`, { id: p.id });
    expect(after.node).toEqual({ diagnoses: [], currentDiagnosis: null });
  });

  // WHO 2019/2022: G1 < 3 %, G2 3–20 %, G3 > 20 % (NEC and UNKNOWN are not graded by Ki-67).
  const gradeCases: [string, number, boolean][] = [
    ["G1", 0, true], ["G1", 2.9, true], ["G1", 3, false], ["G2", 3, true], ["G2", 20, true], ["G2", 2.5, false],
    ["G2", 20.5, false], ["G3", 20.5, true], ["G3", 15, false], ["NEC", 80, true], ["UNKNOWN", 50, true], ["G1", 100, false],
  ];
  it.each(gradeCases)("WHO grade %s with Ki-67 %d %% → accepted=%s (refusals name whoGrade and the Ki-67, write nothing)", async (grade, ki67, accepted) => {
    const p = await ok(coord, "patientCreate", patientInput(`DG-${uniq()}`));
    const before = await siteSnapshot(server, site.site.id);
    const r = await mutate(coord, "diagnosisCreate", base(p.id, { whoGrade: grade, ki67Percent: ki67, differentiation: grade === "NEC" ? "POORLY" : "WELL" }));
    if (accepted) {
      expect(r.userErrors).toEqual([]);
      expect(r.entity).not.toBeNull();
    } else {
      expect(r.entity).toBeNull();
      expect(r.userErrors).toHaveLength(1);
      expect(r.userErrors[0]).toMatchObject({ field: ["input", "whoGrade"], code: "INVALID" });
      expect(r.userErrors[0]!.message).toContain(String(ki67));
      expect(await siteSnapshot(server, site.site.id)).toEqual(before);
    }
  });

  it("checks the grade rule on update against the stored values", async () => {
    const p = await ok(coord, "patientCreate", patientInput(`DU-${uniq()}`));
    const d = await ok(coord, "diagnosisCreate", base(p.id, { whoGrade: "G1", ki67Percent: 1 }));
    const r = await mutate(coord, "diagnosisUpdate", { id: d.id, version: 1, ki67Percent: 30 });
    expect(r.userErrors[0]).toMatchObject({ field: ["input", "whoGrade"], code: "INVALID" });
    expect(r.userErrors[0]!.message).toContain("30");
    const ok2 = await ok<{ whoGrade: string }>(coord, "diagnosisUpdate", { id: d.id, version: 1, ki67Percent: 30, whoGrade: "G3" });
    expect(ok2).toMatchObject({ version: 2, whoGrade: "G3" });
  });
});
