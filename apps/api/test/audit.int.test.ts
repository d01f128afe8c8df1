import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, inArray, or, sql } from "drizzle-orm";
import { auditEvent, labResult, therapyCourse } from "@lutetia/db";
import { fromGlobalId, toGlobalId } from "../src/shared/ids";
import { as, Client, startTestServer, TEST_PASSWORD, type TestServer } from "./harness";
import { agent, clinicalFixture, daysFromNowDate, hoursAgo, mutate, ok, patientInput, q, uniq, type ClinicalFixture } from "./fixtures";

let server: TestServer;
let site: Awaited<ReturnType<TestServer["createSite"]>>;
let coord: Client;
let phys: Client;
let fx: ClinicalFixture;
const FAMILY = "Auditfamilyname";
const GIVEN = "Auditgivenname";
beforeAll(async () => {
  server = await startTestServer();
  site = await server.createSite();
  coord = await as(server, site.users.COORDINATOR.email);
  phys = await as(server, site.users.PHYSICIAN.email);
  fx = await clinicalFixture(coord, phys);
  await ok(coord, "patientUpdate", { id: fx.patientId, version: 1, familyName: FAMILY, givenName: GIVEN });
});
afterAll(async () => {
  await server?.close();
});

const rowsOf = (requestId: string) => server.db.db.select().from(auditEvent).where(eq(auditEvent.requestId, requestId));
const pid = () => fromGlobalId(fx.patientId)!.id;
const uuid = (gid: string) => fromGlobalId(gid)!.id;

function errorText(e: unknown): string {
  const parts: string[] = [];
  let cur: unknown = e;
  while (cur) {
    parts.push(String((cur as Error).message ?? cur));
    cur = (cur as { cause?: unknown }).cause;
  }
  return parts.join(" | ");
}

/** Creates a trigger that raises on INSERT into `table` for this site (+ optional action), for one test. */
async function injectFailure(table: "audit_event" | "therapy_cycle", condition: string) {
  const name = `test_fail_${uniq().toLowerCase()}`;
  await server.db.db.execute(sql.raw(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure ${name}'; END; $$`));
  await server.db.db.execute(sql.raw(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW WHEN (${condition}) EXECUTE FUNCTION ${name}()`));
  return async () => {
    await server.db.db.execute(sql.raw(`DROP TRIGGER ${name} ON ${table}`));
    await server.db.db.execute(sql.raw(`DROP FUNCTION ${name}()`));
  };
}

describe("audit rows for reads", () => {
  it("a list read audits each listed patient", async () => {
    const r = await coord.gql<{ patients: { edges: { node: { id: string } }[] } }>(`{ patients { edges { node { id } } } }`);
    const rows = await rowsOf(r.headers.get("x-request-id")!);
    const listed = r.data!.patients.edges.map((e) => uuid(e.node.id)).sort();
    expect(listed.length).toBeGreaterThan(0);
    expect(rows.filter((x) => x.action === "Patient.read").map((x) => x.patientId).sort()).toEqual(listed);
    expect(rows.every((x) => x.actorUserId === site.users.COORDINATOR.id && x.siteId === site.site.id && x.outcome === "SUCCESS")).toBe(true);
  });

  it("node and nested reads audit every record returned, each with its patient id", async () => {
    const r = await coord.gql(`query($id:ID!){ node(id:$id){ ... on Patient { id weights { id } diagnoses { id } labResults { id } courses { id cycles { id } }
      studies { id measurements { id } } lesions { id } } } }`, { id: fx.patientId });
    expect(r.errors).toBeUndefined();
    const rows = await rowsOf(r.headers.get("x-request-id")!);
    const seen = new Set(rows.map((x) => `${x.entityType}:${x.entityId}`));
    const expected: [string, string][] = [
      ["Patient", fx.patientId], ["BodyWeight", fx.weightId], ["Diagnosis", fx.diagnosisId], ["LabResult", fx.labId],
      ["TherapyCourse", fx.courseId], ...fx.cycleIds.map((c) => ["TherapyCycle", c] as [string, string]),
      ["ImagingStudy", fx.studyId], ["LesionMeasurement", fx.measurementId], ["Lesion", fx.lesionId],
    ];
    for (const [type, gid] of expected) expect(seen.has(`${type}:${uuid(gid)}`), type).toBe(true);
    expect(rows.every((x) => x.patientId === pid() && x.outcome === "SUCCESS" && x.action === `${x.entityType}.read`)).toBe(true);
    // Deduplicated per request: one row per record.
    expect(rows.length).toBe(seen.size);
  });
});

describe("audit rows for writes", () => {
  it("a write leaves one SUCCESS row with the entity and patient ids and the request id", async () => {
    const r = await mutate(coord, "labResultRecord", { patientId: fx.patientId, analyte: "ALBUMIN", value: 40, unit: "g/L", sampledAt: hoursAgo(1) });
    const rows = await rowsOf(r.requestId!);
    expect(rows.map((x) => [x.action, x.outcome, x.entityType, x.entityId, x.patientId, x.actorUserId, x.siteId])).toEqual([
      ["lab.record", "SUCCESS", "LabResult", uuid((r.entity as { id: string }).id), pid(), site.users.COORDINATOR.id, site.site.id],
    ]);
  });

  it("a refused write (stale version, invalid input) leaves no SUCCESS row", async () => {
    const stale = await mutate(coord, "diagnosisUpdate", { id: fx.diagnosisId, version: 7, histology: "late" });
    expect(stale.userErrors[0]!.code).toBe("CONFLICT");
    const invalid = await mutate(coord, "bodyWeightRecord", { patientId: fx.patientId, weightKg: 999, measuredAt: hoursAgo(1) });
    expect(invalid.userErrors[0]!.code).toBe("INVALID");
    for (const r of [stale, invalid]) expect((await rowsOf(r.requestId!)).filter((x) => x.outcome === "SUCCESS")).toEqual([]);
  });

  it("the audit row is written in the write's transaction: when the audit insert fails, the record is not written either (and the error is masked with a request id)", async () => {
    const restore = await injectFailure("audit_event", `NEW.site_id = '${site.site.id}' AND NEW.action = 'lab.record'`);
    try {
      const before = await server.db.db.select({ n: sql<number>`count(*)::int` }).from(labResult).where(eq(labResult.siteId, site.site.id));
      const r = await coord.gql(
        `mutation($i: LabResultRecordInput!){ labResultRecord(input:$i){ labResult { id } userErrors { code } } }`,
        { i: { patientId: fx.patientId, analyte: "AST", value: 30, unit: "U/L", sampledAt: hoursAgo(1) } },
      );
      expect(r.errors?.[0]?.message).toBe("Internal server error");
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: "INTERNAL_SERVER_ERROR", requestId: r.headers.get("x-request-id") });
      expect(JSON.stringify(r)).not.toContain("injected failure");
      const after = await server.db.db.select({ n: sql<number>`count(*)::int` }).from(labResult).where(eq(labResult.siteId, site.site.id));
      expect(after[0]!.n).toBe(before[0]!.n);
    } finally {
      await restore();
    }
  });

  it("when the record write fails mid-transaction, no SUCCESS audit row remains", async () => {
    const restore = await injectFailure("therapy_cycle", `NEW.site_id = '${site.site.id}' AND NEW.number = 3`);
    try {
      const lu = await agent(phys, "177Lu-DOTATATE");
      const p = await ok(coord, "patientCreate", patientInput(`AT-${uniq()}`));
      const r = await phys.gql(
        `mutation($i: TherapyCourseCreateInput!){ therapyCourseCreate(input:$i){ course { id } userErrors { code } } }`,
        { i: { patientId: p.id, radiopharmaceuticalId: lu.id, intent: "STANDARD", plannedCycles: 4, plannedActivityMBq: 7400, intervalDays: 56, firstCycleDate: daysFromNowDate(3) } },
      );
      expect(r.errors?.[0]?.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
      expect((await rowsOf(r.headers.get("x-request-id")!)).filter((x) => x.outcome === "SUCCESS")).toEqual([]);
      const courses = await server.db.db.select().from(therapyCourse).where(eq(therapyCourse.patientId, uuid(p.id)));
      expect(courses).toEqual([]);
    } finally {
      await restore();
    }
  });
});

describe("audit rows for denials and sessions", () => {
  it("a denied mutation is audited DENIED with the actor and the permission", async () => {
    const viewer = await as(server, site.users.VIEWER.email);
    const r = await mutate(viewer, "patientCreate", patientInput(`DN-${uniq()}`));
    expect(r.raw.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const rows = await rowsOf(r.requestId!);
    expect(rows.map((x) => [x.action, x.outcome, x.actorUserId, x.siteId])).toEqual([["patient:write", "DENIED", site.users.VIEWER.id, site.site.id]]);
  });

  it("logins (success and failure) and logout are audited, without e-mail or password", async () => {
    const c = new Client(server.base);
    const LOGIN = `mutation($e:String!,$p:String!){ authLogin(input:{email:$e,password:$p}){ viewer { roles } userErrors { code } } }`;
    const good = await c.gql(LOGIN, { e: site.users.PHYSICIST.email, p: TEST_PASSWORD });
    expect((await rowsOf(good.headers.get("x-request-id")!)).map((x) => [x.action, x.outcome, x.actorUserId, x.siteId])).toEqual([
      ["auth.login", "SUCCESS", site.users.PHYSICIST.id, site.site.id],
    ]);
    const out = await c.gql(`mutation { authLogout { ok } }`);
    expect((await rowsOf(out.headers.get("x-request-id")!)).map((x) => [x.action, x.outcome, x.actorUserId])).toEqual([["auth.logout", "SUCCESS", site.users.PHYSICIST.id]]);
    const bad = await new Client(server.base).gql(LOGIN, { e: site.users.PHYSICIST.email, p: "wrong password here" });
    const badRows = await rowsOf(bad.headers.get("x-request-id")!);
    expect(badRows.map((x) => [x.action, x.outcome, x.actorUserId, x.detail])).toEqual([["auth.login", "FAILURE", site.users.PHYSICIST.id, { reason: "BAD_CREDENTIALS" }]]);
    const unknown = await new Client(server.base).gql(LOGIN, { e: `nobody-${uniq()}@test.lutetia`, p: "whatever password" });
    const unknownRows = await rowsOf(unknown.headers.get("x-request-id")!);
    expect(unknownRows.map((x) => [x.action, x.outcome, x.actorUserId])).toEqual([["auth.login", "FAILURE", null]]);
    const json = JSON.stringify([...badRows, ...unknownRows]);
    expect(json).not.toContain("@test.lutetia");
    expect(json).not.toContain("wrong password");
  });

  it("no audit row of the site holds a name, MRN or e-mail", async () => {
    const userIds = Object.values(site.users).map((u) => u.id);
    const rows = await server.db.db.select().from(auditEvent).where(or(eq(auditEvent.siteId, site.site.id), inArray(auditEvent.actorUserId, userIds)));
    expect(rows.length).toBeGreaterThan(20);
    const json = JSON.stringify(rows).toLowerCase();
    for (const s of [FAMILY, GIVEN, "synthfamily", "synthgiven", fx.mrn, "@test.lutetia", "segment vii", "small intestine"]) expect(json).not.toContain(s.toLowerCase());
  });
});

describe("the audit table is append-only", () => {
  it("UPDATE and DELETE on audit_event are refused by the database", async () => {
    const [row] = await server.db.db.select({ id: auditEvent.id }).from(auditEvent).where(eq(auditEvent.siteId, site.site.id)).limit(1);
    for (const stmt of [
      sql`update audit_event set action = 'tampered' where id = ${row!.id}`,
      sql`delete from audit_event where id = ${row!.id}`,
    ]) {
      // Inside a transaction that is always rolled back: a missing trigger fails the test, never the data.
      let failure = "";
      await server.db.db
        .transaction(async (tx) => {
          await tx.execute(stmt);
          throw new Error("statement was accepted");
        })
        .catch((e: unknown) => {
          failure = errorText(e);
        });
      expect(failure).toMatch(/append-only/);
    }
    const [still] = await server.db.db.select().from(auditEvent).where(eq(auditEvent.id, row!.id));
    expect(still!.action).not.toBe("tampered");
  });
});

describe("admins read the log through auditEvents", () => {
  const AQ = `query($first:Int, $after:String, $f: AuditEventFilter){ auditEvents(first:$first, after:$after, filter:$f){
    pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id at actorUserId action entityType entityId patientId outcome requestId detail } } } }`;
  type AE = { auditEvents: { pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string }; edges: { node: { id: string; at: string; actorUserId: string; action: string; entityId: string; patientId: string; outcome: string } }[] } };
  const num = (gid: string) => Number(fromGlobalId(gid)!.id);

  it("filters by patient, actor, action, outcome and time, newest first", async () => {
    const admin = await as(server, site.users.ADMIN.email);
    const byPatient = (await q<AE>(admin, AQ, { first: 200, f: { patientId: fx.patientId } })).auditEvents.edges.map((e) => e.node);
    expect(byPatient.length).toBeGreaterThan(5);
    expect(byPatient.every((n) => n.patientId === fx.patientId)).toBe(true);
    const ids = byPatient.map((n) => num(n.id));
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    const byActor = (await q<AE>(admin, AQ, { first: 200, f: { actorUserId: toGlobalId("User", site.users.PHYSICIAN.id), action: "lesion.create" } })).auditEvents.edges.map((e) => e.node);
    expect(byActor.length).toBeGreaterThanOrEqual(1);
    expect(byActor.every((n) => n.actorUserId === toGlobalId("User", site.users.PHYSICIAN.id) && n.action === "lesion.create")).toBe(true);
    const byEntity = byActor.find((n) => n.entityId === fx.lesionId);
    expect(byEntity, "entityId is the global ID").toBeDefined();
    const denied = (await q<AE>(admin, AQ, { first: 200, f: { outcome: "DENIED" } })).auditEvents.edges.map((e) => e.node);
    expect(denied.length).toBeGreaterThanOrEqual(1);
    expect(denied.every((n) => n.outcome === "DENIED")).toBe(true);
    const future = (await q<AE>(admin, AQ, { f: { from: new Date(Date.now() + 3_600_000).toISOString() } })).auditEvents.edges;
    expect(future).toEqual([]);
    const past = (await q<AE>(admin, AQ, { f: { to: new Date(Date.now() - 365 * 86_400_000).toISOString() } })).auditEvents.edges;
    expect(past).toEqual([]);
  });

  it("keyset pagination walks the log without gaps or repeats; bad cursor refused naming `after`", async () => {
    const admin = await as(server, site.users.ADMIN.email);
    const all = (await q<AE>(admin, AQ, { first: 12 })).auditEvents.edges.map((e) => e.node.id);
    const pages: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 4; i++) {
      const page: AE["auditEvents"] = (await q<AE>(admin, AQ, { first: 3, after })).auditEvents;
      expect(page.pageInfo.hasPreviousPage).toBe(i > 0);
      expect(page.pageInfo.hasNextPage).toBe(true);
      pages.push(...page.edges.map((e) => e.node.id));
      after = page.pageInfo.endCursor;
    }
    expect(pages).toEqual(all);
    const bad = await admin.gql(AQ, { first: 3, after: "bm90LWEtY3Vyc29y" });
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(bad.errors?.[0]?.message).toMatch(/^after: /);
    const tooMany = await admin.gql(`{ auditEvents(first: 201) { edges { cursor } } }`);
    expect(tooMany.errors?.[0]?.message).toMatch(/^first: .*201/);
    // Another site's rows are never listed.
    const other = await server.createSite(["ADMIN"]);
    const otherAdmin = await as(server, other.users.ADMIN.email);
    const theirs = (await q<AE>(otherAdmin, AQ, { first: 200 })).auditEvents.edges.map((e) => e.node);
    expect(theirs.some((n) => n.patientId === fx.patientId)).toBe(false);
    expect(theirs.every((n) => n.action === "auth.login" || n.action === "Patient.read" || n.actorUserId === toGlobalId("User", other.users.ADMIN.id))).toBe(true);
  });

  it("non-admins are refused", async () => {
    for (const role of ["COORDINATOR", "PHYSICIAN", "PHYSICIST", "BOARD_MEMBER", "VIEWER"] as const) {
      const c = await as(server, site.users[role].email);
      const r = await c.gql(AQ, { first: 5 });
      expect(r.errors?.[0]?.extensions?.code, role).toBe("FORBIDDEN");
      expect(r.data).toBeNull();
    }
  });
});
