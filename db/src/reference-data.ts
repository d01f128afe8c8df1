import { and, eq, isNull } from "drizzle-orm";
import { getNuclide } from "@lutetia/quantification";
import { RADIOPHARMACEUTICAL_CATALOGUE } from "./catalogue";
import type { DbOrTx } from "./client";
import { radiopharmaceutical } from "./schema/index";

/**
 * Ensures the shipped radiopharmaceutical catalogue exists (site_id null), with half-lives and
 * their sources from the @lutetia/quantification nuclide table. Idempotent; runs after migrate
 * in every environment (it is reference data, not demo data). Never overwrites admin edits
 * of `active`.
 */
export async function ensureCatalogue(db: DbOrTx): Promise<number> {
  let inserted = 0;
  for (const e of RADIOPHARMACEUTICAL_CATALOGUE) {
    const n = getNuclide(e.nuclide);
    const existing = await db
      .select({ id: radiopharmaceutical.id })
      .from(radiopharmaceutical)
      .where(and(isNull(radiopharmaceutical.siteId), eq(radiopharmaceutical.name, e.name)));
    if (existing.length) continue;
    await db.insert(radiopharmaceutical).values({
      siteId: null,
      name: e.name,
      nuclide: n.id,
      halfLifeS: n.halfLifeS,
      halfLifeSource: n.source,
      use: e.use,
      target: e.target,
      emerging: e.emerging ?? false,
    });
    inserted++;
  }
  return inserted;
}
