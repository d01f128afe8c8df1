import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import argon2 from "argon2";
import { PGlite } from "@electric-sql/pglite";
import { inject } from "vitest";
import { createDb, ensureCatalogue, ensureProtocolTemplates, fromPglite, type DbHandle } from "@lutetia/db";
import { appUser, membership, site } from "@lutetia/db";
import { createApp } from "../src/app";
import { loadConfig } from "../src/config";
import { createLogger } from "../src/shared/logger";
import type { Role } from "../src/shared/permissions";

export const TEST_PASSWORD = "correct horse battery staple";

/**
 * A real API over HTTP on a real database: PGlite in memory by default, PostgreSQL when
 * DATABASE_URL is set (the database is migrated; tests isolate themselves by site).
 */
export async function startTestServer(env: Record<string, string> = {}) {
  const url = process.env.DATABASE_URL;
  const template = url && url.startsWith("postgres") ? null : inject("pgliteTemplate");
  // PGlite: start from the migrated template made by global-setup.ts (skips initdb); migrate and
  // ensureCatalogue below are then no-ops that confirm the schema is current.
  const db: DbHandle = template
    ? fromPglite(await PGlite.create({ loadDataDir: new Blob([readFileSync(template)]) }), undefined, "pglite (memory, from template)")
    : await createDb(url && url.startsWith("postgres") ? url : "pglite://memory", { poolMax: 4 });
  await db.migrate();
  await ensureCatalogue(db.db);
  await ensureProtocolTemplates(db.db);
  // DICOM files go to a temporary directory unless the test names one (removed on close).
  const ownStorage = env.DICOM_STORAGE_DIR ? null : mkdtempSync(path.join(tmpdir(), "lutetia-test-dicom-"));
  const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", SEED_DEMO: "false", JOB_WORKER: "false", ...(ownStorage ? { DICOM_STORAGE_DIR: ownStorage } : {}), ...env });
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? "silent");
  const { app, stop } = await createApp({ config, db: db.db, logger });
  const server = app.listen(0, "127.0.0.1");
  // Keep idle sockets well beyond the client's pool timeout: with Node's 5 s default, a test that
  // pauses (a long seed on a loaded machine) can reuse a socket the server is just closing
  // (ECONNRESET). Test-only; production keeps Node's defaults.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((r) => server.once("listening", () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Test users only: a cheap argon2id cost keeps logins fast (production hashing is unchanged).
  const passwordHash = await argon2.hash(TEST_PASSWORD, { type: argon2.argon2id, memoryCost: 4096, timeCost: 2, parallelism: 1 });
  return {
    base,
    db,
    config,
    /** A fresh site with one user per requested role (emails unique per call). */
    async createSite(roles: readonly Role[] = ["ADMIN", "COORDINATOR", "PHYSICIAN", "PHYSICIST", "BOARD_MEMBER", "VIEWER"]) {
      const tag = randomUUID().slice(0, 8);
      const [s] = await db.db.insert(site).values({ code: `T${tag}`, name: `Test site ${tag}`, mrnPattern: "^[A-Z0-9-]{3,20}$" }).returning();
      const users: Partial<Record<Role, { id: string; email: string }>> = {};
      for (const role of roles) {
        const email = `${role.toLowerCase()}-${tag}@test.lutetia`;
        const [u] = await db.db.insert(appUser).values({ email, displayName: `${role} ${tag}`, passwordHash }).returning();
        await db.db.insert(membership).values({ userId: u!.id, siteId: s!.id, role });
        users[role] = { id: u!.id, email };
      }
      return { site: s!, users: users as Record<Role, { id: string; email: string }> };
    },
    async close() {
      server.close();
      await stop();
      await db.close();
      if (ownStorage) rmSync(ownStorage, { recursive: true, force: true });
    },
  };
}

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown>; path?: unknown[] }[];
  headers: Headers;
}

/** A browser-like GraphQL client with a cookie jar. */
export class Client {
  cookie: string | undefined;
  constructor(readonly base: string) {}

  async gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>> {
    const res = await fetch(`${this.base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(this.cookie ? { cookie: this.cookie } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const set = res.headers.get("set-cookie");
    if (set) {
      const pair = set.split(";")[0]!;
      this.cookie = pair.endsWith("=") ? undefined : pair;
    }
    const body = (await res.json()) as { data?: T; errors?: GqlResult["errors"] };
    return { status: res.status, data: body.data, errors: body.errors, headers: res.headers };
  }

  async login(email: string, password = TEST_PASSWORD) {
    const r = await this.gql<{ authLogin: { viewer: unknown; userErrors: unknown[] } }>(
      `mutation($e:String!,$p:String!){ authLogin(input:{email:$e,password:$p}){ viewer{ roles } userErrors{ field message code } } }`,
      { e: email, p: password },
    );
    if (!r.data?.authLogin.viewer) throw new Error(`login failed for ${email}: ${JSON.stringify(r.data ?? r.errors)}`);
    return this;
  }
}

export async function as(server: TestServer, email: string) {
  return new Client(server.base).login(email);
}
