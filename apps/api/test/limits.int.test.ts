import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { patient } from "@lutetia/db";
import { as, type Client, startTestServer, type TestServer } from "./harness";
import { ok, patientInput, uniq } from "./fixtures";

/** Transport and query guards: depth and cost limits, introspection, CSRF, body size, masking. */
let server: TestServer;
let prod: TestServer;
let site: Awaited<ReturnType<TestServer["createSite"]>>;
let coord: Client;
beforeAll(async () => {
  [server, prod] = await Promise.all([startTestServer(), startTestServer({ NODE_ENV: "production" })]);
  site = await server.createSite(["COORDINATOR"]);
  coord = await as(server, site.users.COORDINATOR.email);
});
afterAll(async () => {
  await Promise.all([server?.close(), prod?.close()]);
});

async function post(base: string, body: string, headers: Record<string, string> = { "content-type": "application/json" }) {
  const res = await fetch(`${base}/graphql`, { method: "POST", headers, body });
  const text = await res.text();
  let json: { errors?: { message: string; extensions?: Record<string, unknown> }[]; data?: unknown } | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, headers: res.headers };
}

describe("query depth and cost limits", () => {
  // Single-valued fields only, so the cost stays low and only the depth counts.
  const atLimit = `query($id:ID!){ node(id:$id){ ... on Patient { nextCycle { course { patient { currentCourse { patient { latestStudy { patient { latestWeight { id } } } } } } } } } } }`;
  const deep = `query($id:ID!){ node(id:$id){ ... on Patient { nextCycle { course { patient { currentCourse { patient { latestStudy { patient { latestWeight { id weightKg } currentCourse { patient { id } } } } } } } } } } } }`;

  it("refuses a query nested deeper than the limit (10) with QUERY_TOO_DEEP, before running it", async () => {
    const p = await ok(coord, "patientCreate", patientInput(`LD-${uniq()}`));
    const r = await coord.gql(deep, { id: p.id });
    expect(r.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_DEEP");
    expect(r.errors?.[0]?.message).toBe("Query depth 11 exceeds the limit of 10");
    expect(r.data).toBeUndefined();
    const fine = await coord.gql(atLimit, { id: p.id });
    expect(fine.errors).toBeUndefined();
  });

  it("counts depth through fragments", async () => {
    const r = await coord.gql(`
      fragment C on TherapyCourse { cycles { course { patient { courses { cycles { course { patient { courses { id } } } } } } } } }
      query($id:ID!){ node(id:$id){ ... on Patient { courses { ...C } } } }`, { id: "x" });
    expect(r.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_DEEP");
  });

  it("refuses a wide query (200 patients × nested lists) with QUERY_TOO_COSTLY and HTTP 400, before running it", async () => {
    const r = await coord.gql(`{ patients(first: 200) { edges { node { id labResults { id value unit sampledAt analyte } studies { id measurements { id suvMax lesion { id label } } } } } } }`);
    expect(r.status).toBe(400);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: "QUERY_TOO_COSTLY", maxCost: server.config.graphql.maxCost });
    expect(r.errors?.[0]?.extensions?.cost as number).toBeGreaterThan(server.config.graphql.maxCost);
    expect(r.data).toBeUndefined();
  });

  it("allows an ordinary list page (50 patients with their next cycle) and a full 200-row page of ids", async () => {
    const r = await coord.gql(`{ patients(first: 50) { totalCount edges { cursor node { id mrn familyName givenName birthDate sex status nextCycle { plannedDate number } } } } }`);
    expect(r.errors).toBeUndefined();
    const r2 = await coord.gql(`{ patients(first: 200) { edges { node { id mrn } } } }`);
    expect(r2.errors).toBeUndefined();
  });
});

describe("introspection", () => {
  const INTROSPECT = `{ __schema { queryType { name } } }`;
  it("is available outside production", async () => {
    const r = await post(server.base, JSON.stringify({ query: INTROSPECT }));
    expect(r.status).toBe(200);
    expect(r.json!.data).toEqual({ __schema: { queryType: { name: "Query" } } });
  });
  it("is disabled in production (__schema and __type)", async () => {
    for (const query of [INTROSPECT, `{ __type(name: "Patient") { fields { name } } }`]) {
      const r = await post(prod.base, JSON.stringify({ query }));
      expect(r.status).toBe(400);
      expect(r.json!.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
      expect(r.json!.errors?.[0]?.message).toMatch(/introspection/i);
      expect(r.text).not.toContain("familyName");
    }
  });
});

describe("CSRF prevention", () => {
  it("refuses a GET query without a preflight header and accepts it with one", async () => {
    const url = `${server.base}/graphql?query=${encodeURIComponent("{ __typename }")}`;
    const bare = await fetch(url);
    expect(bare.status).toBe(400);
    expect(await bare.text()).toMatch(/CSRF/i);
    const withHeader = await fetch(url, { headers: { "apollo-require-preflight": "true" } });
    expect(withHeader.status).toBe(200);
    expect(await withHeader.json()).toEqual({ data: { __typename: "Query" } });
  });

  it("refuses simple (non-preflighted) POSTs: text/plain, form-encoded, multipart", async () => {
    const body = JSON.stringify({ query: "{ __typename }" });
    for (const ct of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const r = await post(server.base, body, { "content-type": ct, ...(coord.cookie ? { cookie: coord.cookie } : {}) });
      expect(r.status, ct).toBe(400);
      expect(r.text).not.toContain('"__typename":"Query"');
    }
  });

  it("a cross-site form POST cannot create a patient even with the session cookie", async () => {
    const mrn = `CSRF-${uniq()}`;
    const body = JSON.stringify({ query: `mutation { patientCreate(input: { mrn: "${mrn}", familyName: "X", givenName: "Y", birthDate: "1970-01-01", sex: OTHER }) { patient { id } } }` });
    const r = await post(server.base, body, { "content-type": "text/plain", cookie: coord.cookie! });
    expect(r.status).toBe(400);
    const rows = await server.db.db.select().from(patient).where(eq(patient.mrn, mrn));
    expect(rows).toEqual([]);
  });
});

describe("request body limit and malformed bodies", () => {
  it("answers 413 with a clear error (no stack) for a body over the limit", async () => {
    const big = JSON.stringify({ query: "{ __typename }", variables: { pad: "x".repeat(1_200_000) } });
    const r = await post(server.base, big);
    expect(r.status).toBe(413);
    expect(r.json!.errors?.[0]).toEqual({ message: "Request body too large", extensions: { code: "BAD_REQUEST" } });
    expect(r.text).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  it("answers 400 for malformed JSON", async () => {
    const r = await post(server.base, `{"query": "{ __typename }"`);
    expect(r.status).toBe(400);
    expect(r.json!.errors?.[0]?.extensions?.code).toBe("BAD_REQUEST");
    expect(r.text).not.toMatch(/at .*\.(js|ts):\d+/);
  });
});

describe("masked internal errors", () => {
  it("an unexpected failure answers 'Internal server error' with the request id, never the cause (production)", async () => {
    const s = await prod.createSite(["COORDINATOR"]);
    const c = await as(prod, s.users.COORDINATOR.email);
    const name = `test_fail_${uniq().toLowerCase()}`;
    await prod.db.db.execute(sql.raw(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'secret-cause %', NEW.family_name; END; $$`));
    await prod.db.db.execute(sql.raw(`CREATE TRIGGER ${name} BEFORE INSERT ON patient FOR EACH ROW WHEN (NEW.site_id = '${s.site.id}') EXECUTE FUNCTION ${name}()`));
    try {
      const r = await c.gql(`mutation($i: PatientCreateInput!){ patientCreate(input:$i){ patient { id } userErrors { code } } }`, { i: patientInput(`ME-${uniq()}`, { familyName: "Leakyname" }) });
      expect(r.errors).toHaveLength(1);
      expect(r.errors![0]!.message).toBe("Internal server error");
      const requestId = r.headers.get("x-request-id");
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.errors![0]!.extensions).toEqual({ code: "INTERNAL_SERVER_ERROR", requestId });
      const text = JSON.stringify(r);
      expect(text).not.toContain("secret-cause");
      expect(text).not.toContain("Leakyname");
      expect(text).not.toMatch(/stack|\.ts:\d+/);
    } finally {
      await prod.db.db.execute(sql.raw(`DROP TRIGGER ${name} ON patient`));
      await prod.db.db.execute(sql.raw(`DROP FUNCTION ${name}()`));
    }
  });
});
