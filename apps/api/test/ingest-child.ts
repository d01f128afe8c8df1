/**
 * Child process for the ingest crash test: stores DICOM files and indexes them exactly as a
 * STOW-RS request does (storage.put → parse → IngestService.index), printing progress so the
 * parent can kill it (SIGKILL) part-way.
 *
 * Usage: node --import tsx test/ingest-child.ts <dbUrl> <storageDir> <siteId> <userId> <filesDir> <mode>
 *   mode: "complete" | "hang-after-store:<n>" | "hang-in-transaction"
 */
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { createDb } from "@lutetia/db";
import { loadConfig } from "../src/config";
import { RequestContext } from "../src/graphql/context";
import { SessionService } from "../src/auth/session.service";
import { parseStoredFile } from "../src/modules/dicom-store/dicom-file";
import { IngestService, type IncomingFile } from "../src/modules/dicom-store/ingest.service";
import { createLogger } from "../src/shared/logger";
import { LocalFileStorage } from "../src/storage/storage";

const [dbUrl, storageDir, siteId, userId, filesDir, mode] = process.argv.slice(2) as [string, string, string, string, string, string];
const hang = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);

const handle = await createDb(dbUrl, { poolMax: 2 });
const storage = await new LocalFileStorage(storageDir).init();
const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", SEED_DEMO: "false", DICOM_STORAGE_DIR: storageDir });
const ctx = new RequestContext(randomUUID(), { userId, siteId, sessionId: randomUUID(), roles: ["COORDINATOR"] }, handle.db, new SessionService(handle.db, config.session), config, createLogger("silent"));

const names = readdirSync(filesDir).sort();
const hangAfter = mode.startsWith("hang-after-store:") ? Number(mode.split(":")[1]) : Number.POSITIVE_INFINITY;
const files: IncomingFile[] = [];
for (const [i, name] of names.entries()) {
  const stored = await storage.put(Readable.from([readFileSync(path.join(filesDir, name))]));
  files.push({ name, stored, parsed: parseStoredFile(await storage.read(stored.key), name), error: null });
  process.stdout.write(`stored ${i + 1}\n`);
  if (i + 1 >= hangAfter) hang();
}
await storage.sync();
const result = await IngestService.index(ctx, files, {
  onProgress: (n) => {
    process.stdout.write(`indexed ${n}\n`);
    if (mode === "hang-in-transaction") hang(); // blocks with the transaction open
  },
});
process.stdout.write(`done ${result.instances.filter((r) => r.outcome === "STORED").length}\n`);
await storage.close();
await handle.close();
