import { and, eq, isNull } from "drizzle-orm";
import { getNuclide } from "@lutetia/quantification";
import { BUILTIN_TEMPLATES } from "@lutetia/protocols";
import { RADIOPHARMACEUTICAL_CATALOGUE } from "./catalogue";
import type { DbOrTx } from "./client";
import { protocolTemplate, radiopharmaceutical } from "./schema/index";

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

/**
 * Ensures the shipped protocol templates (@lutetia/protocols BUILTIN_TEMPLATES) exist as
 * site-less rows (site_id null), one row per template id + version. Idempotent; a new version
 * shipped in the package is added next to the old one (courses keep the version they were
 * planned with). Runs wherever ensureCatalogue runs.
 */
export async function ensureProtocolTemplates(db: DbOrTx): Promise<number> {
  let inserted = 0;
  for (const t of BUILTIN_TEMPLATES) {
    const existing = await db
      .select({ id: protocolTemplate.id })
      .from(protocolTemplate)
      .where(
        and(
          isNull(protocolTemplate.siteId),
          eq(protocolTemplate.templateKey, t.id),
          eq(protocolTemplate.templateVersion, t.version),
        ),
      );
    if (existing.length) continue;
    await db.insert(protocolTemplate).values({
      siteId: null,
      templateKey: t.id,
      templateVersion: t.version,
      name: t.name,
      definition: structuredClone(t) as unknown as Record<string, unknown>,
      derivedFrom: t.derivedFrom ?? null,
    });
    inserted++;
  }
  return inserted;
}
