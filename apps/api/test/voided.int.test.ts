import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, type Client, startTestServer, type TestServer } from "./harness";
import { clinicalFixture, mutate, ok, siteSnapshot, type ClinicalFixture, type MutationName } from "./fixtures";

/**
 * A voided record is closed: every update of it is refused with INVALID on input.id, naming
 * the void, and nothing changes (the lab "correct" path had its own rule; this is the general
 * one in updateVersioned).
 */
let server: TestServer;
let site: Awaited<ReturnType<TestServer["createSite"]>>;
let coord: Client;
let phys: Client;
beforeAll(async () => {
  server = await startTestServer();
  site = await server.createSite(["COORDINATOR", "PHYSICIAN"]);
  coord = await as(server, site.users.COORDINATOR.email);
  phys = await as(server, site.users.PHYSICIAN.email);
});
afterAll(async () => {
  await server?.close();
});

type Case = [entity: string, voidM: MutationName, idOf: (f: ClinicalFixture) => string, updateM: MutationName, patch: Record<string, unknown>, who: () => Client];
const CASES: Case[] = [
  ["Diagnosis", "diagnosisVoid", (f) => f.diagnosisId, "diagnosisUpdate", { histology: "changed after void" }, () => coord],
  ["ImagingStudy", "imagingStudyVoid", (f) => f.studyId, "imagingStudyUpdate", { weightKg: 71 }, () => coord],
  ["Lesion", "lesionVoid", (f) => f.lesionId, "lesionUpdate", { organ: "liver (after void)" }, () => phys],
  ["LesionMeasurement", "lesionMeasurementVoid", (f) => f.measurementId, "lesionMeasurementUpdate", { suvMax: 30 }, () => phys],
];

describe("voided records cannot be changed", () => {
  it.each(CASES.map((c) => [c[0], c] as const))("%s", async (_e, [entity, voidM, idOf, updateM, patch, who]) => {
    const fx = await clinicalFixture(coord, phys);
    const id = idOf(fx);
    const v = await ok<{ voidedAt: string }>(who(), voidM, { id, version: 1, reason: "entered on the wrong patient" });
    expect(v.voidedAt).toBeTruthy();
    const before = await siteSnapshot(server, site.site.id);
    const r = await mutate(who(), updateM, { id, version: v.version, ...patch });
    expect(r.raw.errors).toBeUndefined();
    expect(r.entity).toBeNull();
    expect(r.userErrors).toHaveLength(1);
    expect(r.userErrors[0]).toMatchObject({ field: ["input", "id"], code: "INVALID" });
    expect(r.userErrors[0]!.message).toContain(`${entity} is voided`);
    expect(await siteSnapshot(server, site.site.id)).toEqual(before);
  });
});
