import { createDb, ensureCatalogue, ensureProtocolTemplates } from "../index";

/** `npm run db:migrate`: applies committed migrations and the shipped catalogue. */
const handle = await createDb(process.env.DATABASE_URL);
try {
  await handle.migrate();
  const added = await ensureCatalogue(handle.db);
  await ensureProtocolTemplates(handle.db);
  console.log(`migrated ${handle.location}; catalogue entries added: ${added}`);
} finally {
  await handle.close();
}
