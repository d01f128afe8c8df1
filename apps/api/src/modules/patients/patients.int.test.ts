import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditEvent, recordRevision } from "@lutetia/db";
import { as, Client, startTestServer, type TestServer } from "../../../test/harness";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const CREATE = `mutation($i: PatientCreateInput!) { patientCreate(input: $i) { patient { id mrn version familyName } userErrors { field message code } } }`;
const UPDATE = `mutation($i: PatientUpdateInput!) { patientUpdate(input: $i) { patient { id version familyName } userErrors { field message code } } }`;
const input = (mrn: string) => ({ mrn, familyName: "Testfamily", givenName: "Testgiven", birthDate: "1960-05-04", sex: "FEMALE", heightCm: 170 });

describe("patients through /graphql", () => {
  it("creates, reads, updates with optimistic locking, and audits each step", async () => {
    const { site, users } = await server.createSite();
    const coord = await as(server, users.COORDINATOR.email);
    const created = await coord.gql<{ patientCreate: { patient: { id: string; version: number } } }>(CREATE, { i: input("MRN-001") });
    const p = created.data!.patientCreate.patient;
    expect(p.version).toBe(1);

    const v2 = await coord.gql<{ patientUpdate: { patient: { version: number; familyName: string } } }>(UPDATE, { i: { id: p.id, version: 1, familyName: "Renamed" } });
    expect(v2.data!.patientUpdate.patient).toMatchObject({ version: 2, familyName: "Renamed" });

    // A second coordinator still holding version 1 is refused and nothing changes.
    const stale = await coord.gql<{ patientUpdate: { patient: null; userErrors: { field: string[]; code: string; message: string }[] } }>(UPDATE, { i: { id: p.id, version: 1, familyName: "Lost update" } });
    expect(stale.data!.patientUpdate.patient).toBeNull();
    expect(stale.data!.patientUpdate.userErrors[0]).toMatchObject({ field: ["input", "version"], code: "CONFLICT" });
    const read = await coord.gql<{ node: { familyName: string; version: number } }>(`query($id:ID!){ node(id:$id){ ... on Patient { familyName version } } }`, { id: p.id });
    expect(read.data!.node).toEqual({ familyName: "Renamed", version: 2 });

    const rows = await server.db.db.select().from(auditEvent).where(eq(auditEvent.siteId, site.id));
    const actions = rows.map((r) => `${r.action}:${r.outcome}`);
    expect(actions).toEqual(expect.arrayContaining(["auth.login:SUCCESS", "patient.create:SUCCESS", "patient.update:SUCCESS", "Patient.read:SUCCESS"]));
    // Audit rows carry ids, never names.
    expect(JSON.stringify(rows)).not.toContain("Renamed");
  });

  it("refuses invalid input with the field and value, and writes nothing", async () => {
    const { site, users } = await server.createSite();
    const coord = await as(server, users.COORDINATOR.email);
    const r = await coord.gql<{ patientCreate: { patient: null; userErrors: { field: string[]; message: string }[] } }>(CREATE, {
      i: { ...input("MRN-002"), heightCm: 900, birthDate: "2999-01-01" },
    });
    expect(r.data!.patientCreate.patient).toBeNull();
    const fields = r.data!.patientCreate.userErrors.map((e) => e.field.join("."));
    expect(fields).toEqual(expect.arrayContaining(["input.heightCm", "input.birthDate"]));
    expect(r.data!.patientCreate.userErrors.find((e) => e.field[1] === "heightCm")!.message).toContain("900");
    const list = await coord.gql<{ patients: { totalCount: number } }>(`{ patients { totalCount } }`);
    expect(list.data!.patients.totalCount).toBe(0);
    void site;
  });

  it("denies another site's patient by global ID and audits the attempt", async () => {
    const a = await server.createSite();
    const b = await server.createSite();
    const coordA = await as(server, a.users.COORDINATOR.email);
    const pa = (await coordA.gql<{ patientCreate: { patient: { id: string } } }>(CREATE, { i: input("MRN-A1") })).data!.patientCreate.patient;
    const coordB = await as(server, b.users.COORDINATOR.email);
    const read = await coordB.gql<{ node: unknown }>(`query($id:ID!){ node(id:$id){ id ... on Patient { familyName } } }`, { id: pa.id });
    expect(read.data!.node).toBeNull();
    const write = await coordB.gql<{ patientUpdate: { patient: null; userErrors: { code: string }[] } }>(UPDATE, { i: { id: pa.id, version: 1, familyName: "Hijack" } });
    expect(write.data!.patientUpdate.userErrors[0]!.code).toBe("NOT_FOUND");
    const denied = await server.db.db.select().from(auditEvent).where(and(eq(auditEvent.siteId, b.site.id), eq(auditEvent.outcome, "DENIED")));
    expect(denied.length).toBeGreaterThanOrEqual(2);
    expect(denied.every((d) => d.actorUserId === b.users.COORDINATOR.id)).toBe(true);
  });

  it("requires authentication", async () => {
    const anon = new Client(server.base);
    const r = await anon.gql(`{ patients { totalCount } }`);
    expect(r.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});

describe("patient close and body weights", () => {
  it("closes a patient with a reason (history kept) and records and voids body weights", async () => {
    const { site, users } = await server.createSite(["COORDINATOR", "PHYSICIST"]);
    const coord = await as(server, users.COORDINATOR.email);
    const p = (await coord.gql<{ patientCreate: { patient: { id: string } } }>(CREATE, { i: input("MRN-W1") })).data!.patientCreate.patient;

    const physicist = await as(server, users.PHYSICIST.email);
    const W = `mutation($i: BodyWeightRecordInput!){ bodyWeightRecord(input:$i){ bodyWeight { id weightKg measuredAt version voidedAt } userErrors { field message code } } }`;
    const older = new Date(Date.now() - 5 * 86_400_000).toISOString();
    const newer = new Date(Date.now() - 86_400_000).toISOString();
    const w1 = (await physicist.gql<{ bodyWeightRecord: { bodyWeight: { id: string; weightKg: number } } }>(W, { i: { patientId: p.id, weightKg: 71.2, measuredAt: older } })).data!.bodyWeightRecord.bodyWeight;
    const w2 = (await physicist.gql<{ bodyWeightRecord: { bodyWeight: { id: string; weightKg: number; measuredAt: string } } }>(W, { i: { patientId: p.id, weightKg: 69.8, measuredAt: newer } })).data!.bodyWeightRecord.bodyWeight;
    expect(w2.measuredAt).toBe(newer);
    const PW = `query($id:ID!){ node(id:$id){ ... on Patient { weights { id weightKg } latestWeight { id weightKg } } } }`;
    const read = await coord.gql<{ node: { weights: { id: string }[]; latestWeight: { id: string; weightKg: number } } }>(PW, { id: p.id });
    expect(read.data!.node.weights.map((w) => w.id)).toEqual([w2.id, w1.id]);
    expect(read.data!.node.latestWeight).toEqual({ id: w2.id, weightKg: 69.8 });

    const V = `mutation($i: VoidInput!){ bodyWeightVoid(input:$i){ bodyWeight { id version voidedAt } userErrors { field message code } } }`;
    const voided = await physicist.gql<{ bodyWeightVoid: { bodyWeight: { version: number; voidedAt: string } } }>(V, { i: { id: w2.id, version: 1, reason: "wrong patient" } });
    expect(voided.data!.bodyWeightVoid.bodyWeight.version).toBe(2);
    expect(voided.data!.bodyWeightVoid.bodyWeight.voidedAt).not.toBeNull();
    const twice = await physicist.gql<{ bodyWeightVoid: { userErrors: { field: string[]; code: string }[] } }>(V, { i: { id: w2.id, version: 2, reason: "again" } });
    expect(twice.data!.bodyWeightVoid.userErrors[0]).toMatchObject({ field: ["input", "id"], code: "INVALID" });
    const after = await coord.gql<{ node: { weights: { id: string }[]; latestWeight: { id: string } } }>(PW, { id: p.id });
    expect(after.data!.node.weights.map((w) => w.id)).toEqual([w1.id]);
    expect(after.data!.node.latestWeight.id).toBe(w1.id);

    const CLOSE = `mutation($i: PatientCloseInput!){ patientClose(input:$i){ patient { id status closedAt version } userErrors { field message code } } }`;
    const closed = await coord.gql<{ patientClose: { patient: { status: string; closedAt: string; version: number } } }>(CLOSE, { i: { id: p.id, version: 1, reason: "moved away" } });
    expect(closed.data!.patientClose.patient).toMatchObject({ status: "CLOSED", version: 2 });
    expect(Date.parse(closed.data!.patientClose.patient.closedAt)).toBeGreaterThan(Date.now() - 60_000);
    const rev = await server.db.db.select().from(recordRevision).where(and(eq(recordRevision.siteId, site.id), eq(recordRevision.entityType, "Patient")));
    expect(rev).toHaveLength(1);
    expect(rev[0]).toMatchObject({ version: 1, reason: "moved away", changedBy: users.COORDINATOR.id });
    expect((rev[0]!.data as { status: string }).status).toBe("REFERRED");
  });
});
