import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditEvent } from "@lutetia/db";
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
