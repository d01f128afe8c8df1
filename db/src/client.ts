import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { Logger } from "drizzle-orm/logger";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import pg from "pg";
import * as schema from "./schema/index";

export type Schema = typeof schema;
/** The drizzle database, whichever driver is underneath (PGlite or node-postgres). */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle; same query API as Db. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export interface DbHandle {
  db: Db;
  kind: "pglite" | "postgres";
  /** Human-readable location without credentials, for logs. */
  location: string;
  close(): Promise<void>;
  /** Applies the committed SQL migrations under db/migrations (idempotent). */
  migrate(): Promise<void>;
  /** PGlite only: the underlying instance (tests clone it). */
  pglite?: PGlite;
}

export interface CreateDbOptions {
  /** Called for every SQL statement sent (statement counting in tests and benchmarks). */
  onQuery?: (sql: string) => void;
  /** node-postgres pool size. */
  poolMax?: number;
}

/** Absolute path of the committed migrations, resolved through the package (works when bundled). */
export function migrationsFolder(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve("@lutetia/db/package.json")), "migrations");
}

/**
 * `<repository root>/.data/<parts>`: the one local data root shared by `npm start`,
 * `npm run db:*` and the CLI whatever workspace they run from (npm runs workspace scripts with
 * the workspace as cwd, so a cwd-relative default would give each its own database).
 */
export function projectDataDir(...parts: string[]): string {
  return path.join(path.dirname(migrationsFolder()), "..", ".data", ...parts);
}

/** Default embedded data directory: `<repository root>/.data/pglite`. */
export const DEFAULT_PGLITE_DIR = "<repo>/.data/pglite";

/**
 * One client factory.
 * - no url, `pglite://<dir>` or `pglite://memory` → embedded PGlite persisted in `<dir>`
 *   (default `<repo>/.data/pglite`, see projectDataDir) or in memory;
 * - `postgres://…` / `postgresql://…` → node-postgres pool.
 * @throws Error naming the scheme when the URL is neither.
 */
export async function createDb(url?: string, options: CreateDbOptions = {}): Promise<DbHandle> {
  const logger: Logger | undefined = options.onQuery
    ? { logQuery: (q: string) => options.onQuery!(q) }
    : undefined;
  const folder = migrationsFolder();
  if (!url || url.startsWith("pglite://") || url === "pglite") {
    const raw = !url || url === "pglite" ? "" : url.slice("pglite://".length);
    const inMemory = raw === "memory";
    let dataDir: string | undefined;
    if (!inMemory) {
      dataDir = raw ? path.resolve(raw) : projectDataDir("pglite");
      mkdirSync(dataDir, { recursive: true });
    }
    const client = await PGlite.create(dataDir ? { dataDir } : {});
    return fromPglite(client, logger, inMemory ? "pglite (memory)" : `pglite ${dataDir}`, folder);
  }
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
    const pool = new pg.Pool({ connectionString: url, max: options.poolMax ?? 10 });
    const db = drizzlePg(pool, { schema, logger }) as unknown as Db;
    const u = new URL(url);
    return {
      db,
      kind: "postgres",
      location: `postgres ${u.hostname}:${u.port || 5432}${u.pathname}`,
      close: () => pool.end(),
      migrate: () => migratePg(drizzlePg(pool), { migrationsFolder: folder }),
    };
  }
  throw new Error(
    `DATABASE_URL must start with postgres://, postgresql:// or pglite://, got scheme "${url.split(":")[0]}"`,
  );
}

/** Wraps an existing PGlite instance (tests: a clone of a migrated template). */
export function fromPglite(
  client: PGlite,
  logger?: Logger,
  location = "pglite",
  folder = migrationsFolder(),
): DbHandle {
  const db = drizzlePglite(client, { schema, logger }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    location,
    pglite: client,
    close: () => client.close(),
    migrate: () => migratePglite(drizzlePglite(client), { migrationsFolder: folder }),
  };
}
