import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { auditEvent } from "@lutetia/db";
import { fromGlobalId, toGlobalId } from "../src/shared/ids";
import type { Role } from "../src/shared/permissions";
import { as, type Client, startTestServer, type TestServer } from "./harness";
import {
  administrationInput, clinicalFixture, daysAgoDate, daysFromNowDate, hoursAgo, mutate, ok, q, siteSnapshot,
  type ClinicalFixture, type MutationName,
} from "./fixtures";

/**
 * Site isolation: a user of site B, whatever their roles, can neither read nor change site A's
 * records by global ID. Answers are NOT_FOUND / null and never echo A's data; every attempt
 * leaves a DENIED audit row (reason NOT_IN_SCOPE) for the actor at site B.
 */
let server: TestServer;
let A: Awaited<ReturnType<TestServer["createSite"]>>;
let B: Awaited<ReturnType<TestServer["createSite"]>>;
let fx: ClinicalFixture;
let agentA: { id: string; version: number };
const clientsB: Partial<Record<Role, Client>> = {};
const SECRET_FAMILY = "Zzyzxfamily";
const SECRET_GIVEN = "Qwertgiven";

beforeAll(async () => {
  server = await startTestServer();
  A = await server.createSite(["ADMIN", "COORDINATOR", "PHYSICIAN"]);
  B = await server.createSite(["ADMIN", "PHYSICIAN", "COORDINATOR"]);
  const coordA = await as(server, A.users.COORDINATOR.email);
  const physA = await as(server, A.users.PHYSICIAN.email);
  fx = await clinicalFixture(coordA, physA);
  await ok(coordA, "patientUpdate", { id: fx.patientId, version: 1, familyName: SECRET_FAMILY, givenName: SECRET_GIVEN });
  const adminA = await as(server, A.users.ADMIN.email);
  agentA = await ok(adminA, "radiopharmaceuticalCreate", { name: `A-AGENT-${A.site.code}`, nuclide: "Lu-177", use: "THERAPY", target: "SSTR" });
  for (const r of ["ADMIN", "PHYSICIAN", "COORDINATOR"] as const) clientsB[r] = await as(server, B.users[r].email);
});
afterAll(async () => {
  await server?.close();
});

const uuidOf = (gid: string) => fromGlobalId(gid)!.id;

async function deniedRows(requestId: string) {
  const rows = await server.db.db.select().from(auditEvent).where(eq(auditEvent.requestId, requestId));
  return rows.filter((r) => r.outcome === "DENIED");
}

function expectNoLeak(body: unknown) {
  const s = JSON.stringify(body);
  for (const secret of [SECRET_FAMILY, SECRET_GIVEN, fx.mrn, "72.5", "segment VII"]) expect(s).not.toContain(secret);
}

describe("cross-site reads", () => {
  it("node() on each of site A's records answers null to site B, audited NOT_IN_SCOPE", async () => {
    const ids = [fx.patientId, fx.weightId, fx.diagnosisId, fx.courseId, ...fx.cycleIds, fx.labId, fx.studyId, fx.lesionId, fx.measurementId, agentA.id];
    for (const id of ids) {
      const r = await clientsB.PHYSICIAN!.gql<{ node: unknown }>(`query($id:ID!){ node(id:$id){ id __typename } }`, { id });
      expect(r.errors, id).toBeUndefined();
      expect(r.data!.node, fromGlobalId(id)!.type).toBeNull();
      const denied = await deniedRows(r.headers.get("x-request-id")!);
      expect(denied, fromGlobalId(id)!.type).toHaveLength(1);
      expect(denied[0]).toMatchObject({ actorUserId: B.users.PHYSICIAN.id, siteId: B.site.id, entityId: uuidOf(id), detail: { reason: "NOT_IN_SCOPE" } });
    }
  });

  it("nodes() and nested selections reveal nothing", async () => {
    const r = await clientsB.PHYSICIAN!.gql<{ nodes: unknown[]; p: unknown }>(
      `query($ids:[ID!]!, $p: ID!){
        nodes(ids:$ids){ id ... on Patient { familyName mrn labResults { value } } ... on TherapyCourse { cycles { id } } }
        p: node(id:$p){ ... on Patient { familyName weights { weightKg } lesions { location measurements { suvMax } } studies { id } courses { cycles { id } } } }
      }`,
      { ids: [fx.patientId, fx.courseId, fx.studyId, fx.lesionId], p: fx.patientId },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.nodes).toEqual([null, null, null, null]);
    expect(r.data!.p).toBeNull();
    expectNoLeak(r);
    const denied = await deniedRows(r.headers.get("x-request-id")!);
    expect(denied.length).toBeGreaterThanOrEqual(4);
    expect(denied.every((d) => d.actorUserId === B.users.PHYSICIAN.id && (d.detail as { reason: string }).reason === "NOT_IN_SCOPE")).toBe(true);
  });

  it("lists and searches of site B never include site A's rows", async () => {
    const d = await q<{ patients: { totalCount: number; edges: unknown[] }; byMrn: { totalCount: number }; studies: { totalCount: number }; cyclesDue: { totalCount: number } }>(
      clientsB.PHYSICIAN!,
      `query($mrn: String!, $pid: ID!){
        patients { totalCount edges { node { id } } }
        byMrn: patients(filter: { search: $mrn }) { totalCount }
        studies(filter: { patientId: $pid }) { totalCount }
        cyclesDue(filter: { from: "2000-01-01", to: "2100-01-01" }) { totalCount }
      }`,
      { mrn: fx.mrn, pid: fx.patientId },
    );
    expect(d.patients.totalCount).toBe(0);
    expect(d.byMrn.totalCount).toBe(0);
    expect(d.studies.totalCount).toBe(0);
    expect(d.cyclesDue.totalCount).toBe(0);
  });

  it("a B user cannot switch the session to site A", async () => {
    const r = await clientsB.ADMIN!.gql<{ viewerSwitchSite: { viewer: unknown; userErrors: { code: string }[] } }>(
      `mutation($i: ViewerSwitchSiteInput!){ viewerSwitchSite(input:$i){ viewer { roles } userErrors { field message code } } }`,
      { i: { siteId: toGlobalId("Site", A.site.id) } },
    );
    expect(r.data!.viewerSwitchSite.viewer).toBeNull();
    expect(r.data!.viewerSwitchSite.userErrors[0]!.code).toBe("FORBIDDEN");
    const rows = await server.db.db.select().from(auditEvent).where(eq(auditEvent.requestId, r.headers.get("x-request-id")!));
    expect(rows.map((x) => [x.action, x.outcome, x.actorUserId])).toEqual([["auth.switchSite", "DENIED", B.users.ADMIN.id]]);
    const me = await q<{ viewer: { site: { id: string } } }>(clientsB.ADMIN!, `{ viewer { site { id } } }`);
    expect(me.viewer.site.id).toBe(toGlobalId("Site", B.site.id));
  });
});

/** Every mutation that takes an id of an existing record, aimed at site A by a permitted B user. */
const WRITES: [MutationName, Role, string, () => Record<string, unknown>][] = [
  ["patientUpdate", "COORDINATOR", "id", () => ({ id: fx.patientId, version: 2, familyName: "Hijack" })],
  ["patientClose", "COORDINATOR", "id", () => ({ id: fx.patientId, version: 2, reason: "x" })],
  ["bodyWeightRecord", "COORDINATOR", "patientId", () => ({ patientId: fx.patientId, weightKg: 60, measuredAt: hoursAgo(1) })],
  ["bodyWeightVoid", "COORDINATOR", "id", () => ({ id: fx.weightId, version: 1, reason: "x" })],
  ["diagnosisCreate", "COORDINATOR", "patientId", () => ({ patientId: fx.patientId, primarySite: "x", histology: "x", whoGrade: "UNKNOWN", differentiation: "UNKNOWN", diagnosedOn: "2024-01-01" })],
  ["diagnosisUpdate", "COORDINATOR", "id", () => ({ id: fx.diagnosisId, version: 1, histology: "x" })],
  ["diagnosisVoid", "COORDINATOR", "id", () => ({ id: fx.diagnosisId, version: 1, reason: "x" })],
  ["radiopharmaceuticalSetActive", "ADMIN", "id", () => ({ id: agentA.id, version: 1, active: false })],
  ["therapyCourseCreate", "PHYSICIAN", "patientId", () => ({ patientId: fx.patientId, radiopharmaceuticalId: fx.lu.id, intent: "STANDARD", plannedCycles: 1, plannedActivityMBq: 7400, intervalDays: 56, firstCycleDate: daysFromNowDate(5) })],
  ["therapyCourseUpdate", "PHYSICIAN", "id", () => ({ id: fx.courseId, version: 1, plannedActivityMBq: 3700 })],
  ["therapyCycleUpdate", "COORDINATOR", "id", () => ({ id: fx.cycleIds[0], version: 1, status: "CANCELLED" })],
  ["cycleRecordAdministration", "PHYSICIAN", "id", () => administrationInput(fx.cycleIds[0]!, 1)],
  ["labResultRecord", "COORDINATOR", "patientId", () => ({ patientId: fx.patientId, analyte: "WBC", value: 5, unit: "10^9/L", sampledAt: hoursAgo(1) })],
  ["labResultCorrect", "COORDINATOR", "id", () => ({ id: fx.labId, version: 1, value: 90, unit: "µmol/L", reason: "x" })],
  ["labResultVoid", "COORDINATOR", "id", () => ({ id: fx.labId, version: 1, reason: "x" })],
  ["imagingStudyCreate", "COORDINATOR", "patientId", () => ({ patientId: fx.patientId, modality: "CT", performedAt: hoursAgo(1), purpose: "BASELINE" })],
  ["imagingStudyUpdate", "COORDINATOR", "id", () => ({ id: fx.studyId, version: 1, purpose: "INTERIM" })],
  ["imagingStudyVoid", "COORDINATOR", "id", () => ({ id: fx.studyId, version: 1, reason: "x" })],
  ["lesionCreate", "PHYSICIAN", "patientId", () => ({ patientId: fx.patientId, label: "LX", organ: "liver", firstSeenOn: daysAgoDate(1) })],
  ["lesionUpdate", "PHYSICIAN", "id", () => ({ id: fx.lesionId, version: 1, organ: "x" })],
  ["lesionVoid", "PHYSICIAN", "id", () => ({ id: fx.lesionId, version: 1, reason: "x" })],
  ["lesionMeasurementRecord", "PHYSICIAN", "lesionId", () => ({ lesionId: fx.lesionId, studyId: fx.studyId, suvMax: 3, method: "MANUAL" })],
  ["lesionMeasurementUpdate", "PHYSICIAN", "id", () => ({ id: fx.measurementId, version: 1, suvMax: 30 })],
  ["lesionMeasurementVoid", "PHYSICIAN", "id", () => ({ id: fx.measurementId, version: 1, reason: "x" })],
];

describe("cross-site writes", () => {
  it.each(WRITES)("%s (as B %s) on site A's record → NOT_FOUND on input.%s, nothing changed, audited", async (name, role, field, build) => {
    const beforeA = await siteSnapshot(server, A.site.id);
    const beforeB = await siteSnapshot(server, B.site.id);
    const r = await mutate(clientsB[role]!, name, build());
    expect(r.raw.errors).toBeUndefined();
    expect(r.entity).toBeNull();
    expect(r.userErrors).toHaveLength(1);
    expect(r.userErrors[0]).toMatchObject({ field: ["input", field], code: "NOT_FOUND" });
    expectNoLeak(r.raw);
    expect(await siteSnapshot(server, A.site.id)).toEqual(beforeA);
    expect(await siteSnapshot(server, B.site.id)).toEqual(beforeB);
    const denied = await deniedRows(r.requestId!);
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ actorUserId: B.users[role].id, siteId: B.site.id, detail: { reason: "NOT_IN_SCOPE" } });
    const targetGid = build()[field] as string;
    expect(denied[0]!.entityId).toBe(uuidOf(targetGid));
  });
});
