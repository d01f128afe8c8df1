import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditEvent } from "@lutetia/db";
import { toGlobalId } from "../../shared/ids";
import { as, Client, startTestServer, TEST_PASSWORD, type TestServer } from "../../../test/harness";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const LIST = `{ users(first: 50) { totalCount edges { node { id email displayName active roles version } } } }`;
const UPDATE = `mutation($i: UserUpdateInput!) { userUpdate(input: $i) { user { id displayName active roles version } userErrors { field message code } } }`;
type U = { id: string; email: string; displayName: string; active: boolean; roles: string[]; version: number };

describe("user administration", () => {
  it("lists the site's users with their roles; other sites' users are not listed", async () => {
    const a = await server.createSite();
    await server.createSite();
    const admin = await as(server, a.users.ADMIN.email);
    const r = await admin.gql<{ users: { totalCount: number; edges: { node: U }[] } }>(LIST);
    expect(r.data!.users.totalCount).toBe(6);
    const coord = r.data!.users.edges.map((e) => e.node).find((u) => u.email === a.users.COORDINATOR.email)!;
    expect(coord.roles).toEqual(["COORDINATOR"]);
    const viewer = await as(server, a.users.VIEWER.email);
    const denied = await viewer.gql(LIST);
    expect(denied.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("changes roles and deactivates with optimistic locking; a deactivated user can no longer sign in; audited", async () => {
    const a = await server.createSite();
    const admin = await as(server, a.users.ADMIN.email);
    const id = toGlobalId("User", a.users.VIEWER.id);
    const r1 = await admin.gql<{ userUpdate: { user: U; userErrors: unknown[] } }>(UPDATE, { i: { id, version: 1, roles: ["COORDINATOR", "VIEWER"] } });
    expect(r1.data!.userUpdate.user.roles).toEqual(["COORDINATOR", "VIEWER"]);
    const stale = await admin.gql<{ userUpdate: { user: null; userErrors: { field: string[]; code: string }[] } }>(UPDATE, { i: { id, version: 1, active: false } });
    expect(stale.data!.userUpdate.userErrors[0]).toMatchObject({ field: ["input", "version"], code: "CONFLICT" });
    const r2 = await admin.gql<{ userUpdate: { user: U } }>(UPDATE, { i: { id, version: 2, active: false } });
    expect(r2.data!.userUpdate.user.active).toBe(false);
    const login = await new Client(server.base).gql<{ authLogin: { viewer: unknown } }>(
      `mutation($e:String!,$p:String!){ authLogin(input:{email:$e,password:$p}){ viewer{ roles } userErrors{ code } } }`,
      { e: a.users.VIEWER.email, p: TEST_PASSWORD },
    );
    expect(login.data!.authLogin.viewer).toBeNull();
    const rows = await server.db.db.select().from(auditEvent).where(and(eq(auditEvent.siteId, a.site.id), eq(auditEvent.action, "user.update")));
    expect(rows).toHaveLength(2);
  });

  it("refuses self-demotion and users of another site (audited as out of scope)", async () => {
    const a = await server.createSite();
    const b = await server.createSite();
    const admin = await as(server, a.users.ADMIN.email);
    const self = await admin.gql<{ userUpdate: { userErrors: { field: string[] }[] } }>(UPDATE, { i: { id: toGlobalId("User", a.users.ADMIN.id), version: 1, roles: ["VIEWER"] } });
    expect(self.data!.userUpdate.userErrors[0]!.field).toEqual(["input", "roles"]);
    const other = await admin.gql<{ userUpdate: { userErrors: { code: string }[] } }>(UPDATE, { i: { id: toGlobalId("User", b.users.VIEWER.id), version: 1, active: false } });
    expect(other.data!.userUpdate.userErrors[0]!.code).toBe("NOT_FOUND");
    const denied = await server.db.db.select().from(auditEvent).where(and(eq(auditEvent.siteId, a.site.id), eq(auditEvent.outcome, "DENIED"), eq(auditEvent.entityId, b.users.VIEWER.id)));
    expect(denied).toHaveLength(1);
  });
});
