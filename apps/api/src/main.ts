import { createDb, ensureCatalogue, ensureProtocolTemplates, seedDemo } from "@lutetia/db";
import { createApp } from "./app";
import { loadConfig } from "./config";
import { createLogger } from "./shared/logger";
import { JobWorker } from "./modules/quantification-jobs/worker";

/**
 * Composition root: config → database (migrate + catalogue; demo seed on first run outside
 * production) → HTTP server; graceful shutdown on SIGINT/SIGTERM.
 */
const config = loadConfig();
const logger = createLogger(config.logLevel);
const handle = await createDb(config.databaseUrl);
logger.info({ db: handle.location }, "database opened");
await handle.migrate();
await ensureCatalogue(handle.db);
await ensureProtocolTemplates(handle.db);
if (config.seedDemo) {
  const r = await seedDemo(handle.db, { production: config.production });
  if (!r.skipped) logger.info({ patients: r.patients }, "demo data seeded (see README for demo logins)");
}
const { app, stop, storage } = await createApp({ config, db: handle.db, logger });
// Quantification jobs: in-process worker over the durable job table (stale RUNNING jobs re-queued on start).
const worker = config.jobs.worker
  ? new JobWorker({ db: handle.db, storage, logger, pollMs: config.jobs.pollMs, staleMs: config.jobs.staleMs })
  : null;
await worker?.start();
const server = app.listen(config.port, config.host, () => {
  logger.info({ url: `http://${config.host}:${config.port}/graphql` }, "Lutetia API listening");
});

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  logger.info({ signal }, "shutting down");
  server.close();
  await worker?.stop();
  await stop();
  await handle.close();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
