import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, type Client, startTestServer, type TestServer } from "./harness";
import { administrationInput, clinicalFixture, daysFromNowDate, mutate, ok, siteSnapshot, uniq, type ClinicalFixture, type MutationName } from "./fixtures";

/**
 * Optimistic locking: for each updatable entity, a mutation carrying a version that is not the
 * current one is refused with CONFLICT on input.version naming both versions, and nothing changes.
 */
let server: TestServer;
let site: Awaited<ReturnType<TestServer["createSite"]>>;
let coord: Client;
let phys: Client;
let admin: Client;
beforeAll(async () => {
  server = await startTestServer();
  site = await server.createSite(["ADMIN", "COORDINATOR", "PHYSICIAN"]);
  coord = await as(server, site.users.COORDINATOR.email);
  phys = await as(server, site.users.PHYSICIAN.email);
  admin = await as(server, site.users.ADMIN.email);
});
afterAll(async () => {
  await server?.close();
});

type Ctx = { fx: ClinicalFixture; agentId: string };
type Step = [MutationName, (c: Ctx, version: number) => Record<string, unknown>];
interface Case {
  entity: string;
  /** A successful change taking the entity from version 1 to 2 (null: no update exists; the stale attempt uses version 2 on a version-1 row). */
  bump: Step | null;
  stale: Step[];
}

const CASES: Case[] = [
  { entity: "Patient", bump: ["patientUpdate", (c, v) => ({ id: c.fx.patientId, version: v, heightCm: 172 })],
    stale: [["patientUpdate", (c, v) => ({ id: c.fx.patientId, version: v, familyName: "Lost" })], ["patientClose", (c, v) => ({ id: c.fx.patientId, version: v, reason: "x" })]] },
  { entity: "BodyWeight", bump: null, stale: [["bodyWeightVoid", (c, v) => ({ id: c.fx.weightId, version: v, reason: "x" })]] },
  { entity: "Diagnosis", bump: ["diagnosisUpdate", (c, v) => ({ id: c.fx.diagnosisId, version: v, histology: "v2" })],
    stale: [["diagnosisUpdate", (c, v) => ({ id: c.fx.diagnosisId, version: v, histology: "lost" })], ["diagnosisVoid", (c, v) => ({ id: c.fx.diagnosisId, version: v, reason: "x" })]] },
  { entity: "Radiopharmaceutical", bump: ["radiopharmaceuticalSetActive", (c, v) => ({ id: c.agentId, version: v, active: false })],
    stale: [["radiopharmaceuticalSetActive", (c, v) => ({ id: c.agentId, version: v, active: true })]] },
  { entity: "TherapyCourse", bump: ["therapyCourseUpdate", (c, v) => ({ id: c.fx.courseId, version: v, plannedActivityMBq: 6000 })],
    stale: [["therapyCourseUpdate", (c, v) => ({ id: c.fx.courseId, version: v, status: "STOPPED", stopReason: "lost" })]] },
  { entity: "TherapyCycle", bump: ["therapyCycleUpdate", (c, v) => ({ id: c.fx.cycleIds[0], version: v, notes: "v2" })],
    stale: [["therapyCycleUpdate", (c, v) => ({ id: c.fx.cycleIds[0], version: v, plannedDate: daysFromNowDate(40) })], ["cycleRecordAdministration", (c, v) => administrationInput(c.fx.cycleIds[0]!, v)]] },
  { entity: "LabResult", bump: ["labResultCorrect", (c, v) => ({ id: c.fx.labId, version: v, value: 81, unit: "µmol/L", reason: "v2" })],
    stale: [["labResultCorrect", (c, v) => ({ id: c.fx.labId, version: v, value: 99, unit: "µmol/L", reason: "lost" })], ["labResultVoid", (c, v) => ({ id: c.fx.labId, version: v, reason: "x" })]] },
  { entity: "ImagingStudy", bump: ["imagingStudyUpdate", (c, v) => ({ id: c.fx.studyId, version: v, weightKg: 71 })],
    stale: [["imagingStudyUpdate", (c, v) => ({ id: c.fx.studyId, version: v, purpose: "FOLLOW_UP" })], ["imagingStudyVoid", (c, v) => ({ id: c.fx.studyId, version: v, reason: "x" })]] },
  { entity: "Lesion", bump: ["lesionUpdate", (c, v) => ({ id: c.fx.lesionId, version: v, organ: "liver (v2)" })],
    stale: [["lesionUpdate", (c, v) => ({ id: c.fx.lesionId, version: v, label: "LOST" })], ["lesionVoid", (c, v) => ({ id: c.fx.lesionId, version: v, reason: "x" })]] },
  { entity: "LesionMeasurement", bump: ["lesionMeasurementUpdate", (c, v) => ({ id: c.fx.measurementId, version: v, suvMax: 30 })],
    stale: [["lesionMeasurementUpdate", (c, v) => ({ id: c.fx.measurementId, version: v, suvMax: 40 })], ["lesionMeasurementVoid", (c, v) => ({ id: c.fx.measurementId, version: v, reason: "x" })]] },
];

const clientFor = (m: MutationName) => (m.startsWith("radiopharmaceutical") ? admin : m.startsWith("therapyCourse") || m === "cycleRecordAdministration" || m.startsWith("lesion") ? phys : coord);

describe("stale versions are refused with CONFLICT", () => {
  it.each(CASES.map((c) => [c.entity, c] as const))("%s", async (_e, c) => {
    const fx = await clinicalFixture(coord, phys);
    const agentObj = await ok(admin, "radiopharmaceuticalCreate", { name: `CF-${uniq()}`, nuclide: "Lu-177", use: "THERAPY", target: "SSTR" });
    const ctx: Ctx = { fx, agentId: agentObj.id };
    let current = 1;
    let stale = 2;
    if (c.bump) {
      const [m, build] = c.bump;
      const r = await ok(clientFor(m), m, build(ctx, 1));
      expect(r.version).toBe(2);
      current = 2;
      stale = 1;
    }
    for (const [m, build] of c.stale) {
      const before = await siteSnapshot(server, site.site.id);
      const r = await mutate(clientFor(m), m, build(ctx, stale));
      expect(r.raw.errors, m).toBeUndefined();
      expect(r.entity, m).toBeNull();
      expect(r.userErrors, m).toHaveLength(1);
      expect(r.userErrors[0], m).toMatchObject({ field: ["input", "version"], code: "CONFLICT" });
      expect(r.userErrors[0]!.message, m).toContain(`you edited version ${stale}, current is ${current}`);
      expect(await siteSnapshot(server, site.site.id), m).toEqual(before);
    }
  });
});
