import { createDb, DEMO_USERS, ensureCatalogue, ensureProtocolTemplates, seedDemo } from "../index";

/** `npm run db:seed`: demo site, users and fictitious patients (refused in production). */
const handle = await createDb(process.env.DATABASE_URL);
try {
  await handle.migrate();
  await ensureCatalogue(handle.db);
  await ensureProtocolTemplates(handle.db);
  const r = await seedDemo(handle.db, { production: process.env.NODE_ENV === "production" });
  if (r.skipped) console.log(`demo data already present in ${handle.location}`);
  else {
    console.log(`seeded ${r.patients} fictitious patients into ${handle.location}`);
    console.log("Demo users (DEMO ONLY, never use in production):");
    for (const u of DEMO_USERS) console.log(`  ${u.role.padEnd(13)} ${u.email}  /  ${u.password}`);
  }
} finally {
  await handle.close();
}
