import { writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { createDb, ensureCatalogue } from "@lutetia/db";

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated, catalogue-seeded PGlite data directory (tarball) that test servers start from. */
    pgliteTemplate: string | null;
  }
}

/**
 * Once per run (PGlite only): initdb + migrations + catalogue into a template, dumped to a file.
 * Each test server then loads the template instead of running initdb again (seconds per file on
 * a busy 2-core machine). With DATABASE_URL=postgres://… the database is migrated here once.
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url && url.startsWith("postgres")) {
    // Migrate and seed the catalogue once, before the workers start (concurrent first migrations race).
    const pg = await createDb(url, { poolMax: 1 });
    try {
      await pg.migrate();
      await ensureCatalogue(pg.db);
    } finally {
      await pg.close();
    }
    project.provide("pgliteTemplate", null);
    return;
  }
  const handle = await createDb("pglite://memory");
  await handle.migrate();
  await ensureCatalogue(handle.db);
  const dump = await handle.pglite!.dumpDataDir("none");
  await handle.close();
  const file = path.join(tmpdir(), `lutetia-api-pglite-template-${process.pid}.tar`);
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide("pgliteTemplate", file);
  return () => rmSync(file, { force: true });
}
