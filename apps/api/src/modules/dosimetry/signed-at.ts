import { and, eq, min } from "drizzle-orm";
import { dosimetryRecord, therapyCycle, type DbOrTx } from "@lutetia/db";

/**
 * Time at which each cycle's dosimetry was first signed (cycle number → instant), for the care
 * pathway's DOSIMETRY_NOT_SIGNED check (issue 7: signing clears the constraint).
 */
export async function dosimetrySignedAtByCycle(db: DbOrTx, siteId: string, courseId: string): Promise<Record<number, Date>> {
  const rows = await db
    .select({ number: therapyCycle.number, signedAt: min(dosimetryRecord.signedAt) })
    .from(dosimetryRecord)
    .innerJoin(therapyCycle, eq(therapyCycle.id, dosimetryRecord.cycleId))
    .where(and(eq(dosimetryRecord.siteId, siteId), eq(dosimetryRecord.courseId, courseId), eq(dosimetryRecord.status, "SIGNED")))
    .groupBy(therapyCycle.number);
  const out: Record<number, Date> = {};
  for (const r of rows) if (r.signedAt) out[r.number] = new Date(r.signedAt);
  return out;
}

