import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { session } from "@lutetia/db";
import { as, Client, startTestServer, TEST_PASSWORD, type TestServer } from "./harness";

/** Server-side sessions in an HttpOnly, SameSite=Strict cookie: logout, idle and absolute expiry. */
let server: TestServer;
let fast: TestServer;
let prod: TestServer;
let site: Awaited<ReturnType<TestServer["createSite"]>>;
beforeAll(async () => {
  [server, fast, prod] = await Promise.all([
    startTestServer(),
    startTestServer({ SESSION_IDLE_MINUTES: "0.05" }), // 3 s idle timeout (room for a slow CI machine)
    startTestServer({ NODE_ENV: "production" }),
  ]);
  site = await server.createSite(["COORDINATOR", "VIEWER"]);
});
afterAll(async () => {
  await Promise.all([server?.close(), fast?.close(), prod?.close()]);
});

const LOGIN = `mutation($e:String!,$p:String!,$s:String){ authLogin(input:{email:$e,password:$p,siteCode:$s}){ viewer { roles user { email } } userErrors { field message code } } }`;
const VIEWER = `{ viewer { roles } }`;

async function rawLogin(base: string, email: string, password = TEST_PASSWORD, siteCode?: string) {
  const res = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: LOGIN, variables: { e: email, p: password, s: siteCode } }),
  });
  return { status: res.status, setCookie: res.headers.get("set-cookie"), body: (await res.json()) as { data: { authLogin: { viewer: unknown; userErrors: unknown[] } } } };
}

async function viewerWith(base: string, cookie: string | undefined) {
  const c = new Client(base);
  c.cookie = cookie;
  const r = await c.gql<{ viewer: { roles: string[] } | null }>(VIEWER);
  return r.data?.viewer ?? null;
}

describe("login cookie", () => {
  it("is HttpOnly, SameSite=Strict, Path=/, with the absolute lifetime; not Secure in test", async () => {
    const r = await rawLogin(server.base, site.users.VIEWER.email);
    expect(r.body.data.authLogin.viewer).not.toBeNull();
    const c = r.setCookie!;
    expect(c).toMatch(/^lutetia_session=[A-Za-z0-9_-]{40,};/);
    expect(c).toMatch(/;\s*HttpOnly/i);
    expect(c).toMatch(/;\s*SameSite=Strict/i);
    expect(c).toMatch(/;\s*Path=\//);
    expect(c).toMatch(/;\s*Max-Age=43200/);
    expect(c).not.toMatch(/;\s*Secure/i);
  });

  it("is Secure in production by default", async () => {
    const s = await prod.createSite(["VIEWER"]);
    const r = await rawLogin(prod.base, s.users.VIEWER.email);
    expect(r.setCookie).toMatch(/;\s*Secure/i);
    expect(r.setCookie).toMatch(/;\s*HttpOnly/i);
    expect(r.setCookie).toMatch(/;\s*SameSite=Strict/i);
  });

  it("stores only a hash of the token server-side", async () => {
    const r = await rawLogin(server.base, site.users.VIEWER.email);
    const token = r.setCookie!.split(";")[0]!.split("=")[1]!;
    const rows = await server.db.db.select().from(session).where(eq(session.tokenHash, token));
    expect(rows).toEqual([]);
    const all = await server.db.db.execute(sql`select count(*)::int as n from session where token_hash like ${"%" + token + "%"}`);
    expect((all as unknown as { rows: { n: number }[] }).rows?.[0]?.n ?? 0).toBe(0);
  });
});

describe("wrong password and unknown user", () => {
  it("give exactly the same answer, and no cookie", async () => {
    const wrong = await rawLogin(server.base, site.users.COORDINATOR.email, "not the password at all");
    const unknown = await rawLogin(server.base, `nobody-${Date.now()}@test.lutetia`, "not the password at all");
    const noSite = await rawLogin(server.base, site.users.COORDINATOR.email, TEST_PASSWORD, "NO-SUCH-SITE");
    for (const r of [wrong, unknown, noSite]) {
      expect(r.status).toBe(200);
      expect(r.setCookie).toBeNull();
      expect(r.body.data.authLogin.viewer).toBeNull();
    }
    expect(unknown.body).toEqual(wrong.body);
    expect(noSite.body).toEqual(wrong.body);
    expect(wrong.body.data.authLogin.userErrors).toEqual([
      { field: ["input", "password"], message: "E-mail or password is incorrect, or the account has no access to this site", code: "UNAUTHENTICATED" },
    ]);
  });
});

describe("logout", () => {
  it("revokes the session: the old cookie no longer works", async () => {
    const c = await as(server, site.users.COORDINATOR.email);
    const old = c.cookie;
    expect(await viewerWith(server.base, old)).toEqual({ roles: ["COORDINATOR"] });
    const out = await c.gql<{ authLogout: { ok: boolean } }>(`mutation { authLogout { ok } }`);
    expect(out.data!.authLogout.ok).toBe(true);
    expect(out.headers.get("set-cookie")).toMatch(/^lutetia_session=;/);
    expect(await viewerWith(server.base, old)).toBeNull();
    const replay = new Client(server.base);
    replay.cookie = old;
    const r = await replay.gql(`{ patients { totalCount } }`);
    expect(r.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const [row] = await server.db.db.select().from(session).where(eq(session.userId, site.users.COORDINATOR.id)).orderBy(sql`created_at desc`).limit(1);
    expect(row!.revokedAt).not.toBeNull();
  });
});

describe("expiry", () => {
  it("an idle session expires (SESSION_IDLE_MINUTES=0.05)", async () => {
    const s = await fast.createSite(["VIEWER"]);
    const c = await as(fast, s.users.VIEWER.email);
    expect(await viewerWith(fast.base, c.cookie)).not.toBeNull();
    await new Promise((r) => setTimeout(r, 3_200));
    expect(await viewerWith(fast.base, c.cookie)).toBeNull();
    const r = await c.gql(`{ patients { totalCount } }`);
    expect(r.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("an idle session expires after 30 minutes (last seen moved back in the database)", async () => {
    const c = await as(server, site.users.VIEWER.email);
    expect(await viewerWith(server.base, c.cookie)).not.toBeNull();
    const [row] = await server.db.db.select().from(session).where(eq(session.userId, site.users.VIEWER.id)).orderBy(sql`created_at desc`).limit(1);
    await server.db.db.update(session).set({ lastSeenAt: new Date(Date.now() - 29 * 60_000) }).where(eq(session.id, row!.id));
    expect(await viewerWith(server.base, c.cookie)).not.toBeNull();
    await server.db.db.update(session).set({ lastSeenAt: new Date(Date.now() - 31 * 60_000) }).where(eq(session.id, row!.id));
    expect(await viewerWith(server.base, c.cookie)).toBeNull();
  });

  it("a session expires at its absolute lifetime however active it is", async () => {
    const c = await as(server, site.users.VIEWER.email);
    const [row] = await server.db.db.select().from(session).where(eq(session.userId, site.users.VIEWER.id)).orderBy(sql`created_at desc`).limit(1);
    expect(Math.abs(row!.expiresAt.getTime() - row!.createdAt.getTime() - 12 * 3_600_000)).toBeLessThan(5_000);
    await server.db.db.update(session).set({ expiresAt: new Date(Date.now() + 60_000), lastSeenAt: new Date() }).where(eq(session.id, row!.id));
    expect(await viewerWith(server.base, c.cookie)).not.toBeNull();
    await server.db.db.update(session).set({ expiresAt: new Date(Date.now() - 1_000), lastSeenAt: new Date() }).where(eq(session.id, row!.id));
    expect(await viewerWith(server.base, c.cookie)).toBeNull();
  });

  it("a forged or unknown cookie is simply not signed in", async () => {
    expect(await viewerWith(server.base, "lutetia_session=forged-token-value")).toBeNull();
    expect(await viewerWith(server.base, undefined)).toBeNull();
  });
});
