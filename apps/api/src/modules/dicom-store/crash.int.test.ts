import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import argon2 from "argon2";
import { appUser, createDb, dicomInstance, dicomSeries, dicomStudy, membership, patient, site, type DbHandle } from "@lutetia/db";
import { petSeries } from "../../../test/imaging-helpers";

/**
 * Crash safety of ingest: a child process that stores and indexes a series is killed (SIGKILL)
 * while storing and while its index transaction is open. Nothing half-indexed is visible,
 * what was committed before survives, and re-sending the same files completes the series.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const apiRoot = path.resolve(here, "../../..");
const child = path.join(apiRoot, "test/ingest-child.ts");

let work: string;
let dbUrl: string;
let pgliteDir: string | null = null;
let siteId: string;
let userId: string;

async function open(): Promise<DbHandle> {
  return createDb(dbUrl, { poolMax: 2 });
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), "lutetia-crash-"));
  const pg = process.env.DATABASE_URL;
  if (pg && pg.startsWith("postgres")) dbUrl = pg;
  else {
    pgliteDir = path.join(work, "pglite");
    dbUrl = `pglite://${pgliteDir}`;
  }
  const h = await open();
  await h.migrate();
  const tag = Math.random().toString(36).slice(2, 8);
  const [s] = await h.db.insert(site).values({ code: `C${tag}`, name: `Crash ${tag}` }).returning();
  const [u] = await h.db.insert(appUser).values({ email: `crash-${tag}@test.lutetia`, displayName: "crash", passwordHash: await argon2.hash("x-not-used-x", { type: argon2.argon2id }) }).returning();
  await h.db.insert(membership).values({ userId: u!.id, siteId: s!.id, role: "COORDINATOR" });
  await h.db.insert(patient).values({ siteId: s!.id, mrn: "CRASH-1", familyName: "Crash", givenName: "Test", birthDate: "1960-05-04", sex: "MALE", searchText: "crash test crash-1" });
  siteId = s!.id;
  userId = u!.id;
  await h.close();
}, 120_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function run(filesDir: string, mode: string, killOn?: RegExp): Promise<{ killed: boolean; out: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", "tsx", child, dbUrl, path.join(work, "dicom"), siteId, userId, filesDir, mode], { cwd: apiRoot, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let killed = false;
    p.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (killOn && !killed && killOn.test(out)) {
        killed = true;
        p.kill("SIGKILL");
      }
    });
    p.stderr.on("data", (d: Buffer) => (err += d.toString()));
    p.on("error", reject);
    p.on("exit", (code) => {
      if (!killed && code !== 0) reject(new Error(`child failed (${code}): ${err.slice(-2000)}`));
      else resolve({ killed, out, code });
    });
  });
}

async function counts() {
  const h = await open();
  try {
    const studies = await h.db.select().from(dicomStudy).where(eq(dicomStudy.siteId, siteId));
    const series = await h.db.select().from(dicomSeries).where(eq(dicomSeries.siteId, siteId));
    const inst = await h.db.select({ id: dicomInstance.id }).from(dicomInstance).where(eq(dicomInstance.siteId, siteId));
    return { studies: studies.length, series: series.map((s) => s.instanceCount), instances: inst.length };
  } finally {
    await h.close();
  }
}

describe("ingest crash safety (child process killed part-way)", () => {
  it("leaves no half-indexed series, keeps what was committed, and re-sending completes it", async () => {
    const { files } = petSeries({ mrn: "CRASH-1", uidKey: `crash-${siteId}`, nx: 16, ny: 16, nz: 240, lesions: 0, spacingMm: [20, 20, 4] });
    const all = path.join(work, "all");
    const first = path.join(work, "first");
    mkdirSync(all);
    mkdirSync(first);
    files.forEach((f, i) => {
      writeFileSync(path.join(all, f.name), f.bytes);
      if (i < 20) writeFileSync(path.join(first, f.name), f.bytes);
    });

    // 1. a first request commits 20 instances
    const ok = await run(first, "complete");
    expect(ok.out).toContain("done 20");
    expect(await counts()).toEqual({ studies: 1, series: [20], instances: 20 });

    // 2. killed while storing files (before indexing): nothing new is visible
    const k1 = await run(all, "hang-after-store:60", /stored 60\n/);
    expect(k1.killed).toBe(true);
    expect(await counts()).toEqual({ studies: 1, series: [20], instances: 20 });

    // 3. killed with the index transaction open after 100 rows were inserted in it
    const k2 = await run(all, "hang-in-transaction", /indexed 100\n/);
    expect(k2.killed).toBe(true);
    expect(k2.out).not.toContain("done");
    expect(await counts()).toEqual({ studies: 1, series: [20], instances: 20 });

    // no partial objects under content addresses; temp files at most
    const objects = readdirSync(path.join(work, "dicom")).filter((d) => d !== "tmp");
    expect(objects.length).toBeGreaterThan(0);

    // 4. re-sending the same files completes the series (the 20 committed are duplicates)
    const again = await run(all, "complete");
    expect(again.out).toContain("done 220");
    expect(await counts()).toEqual({ studies: 1, series: [240], instances: 240 });
  }, 240_000);
});
