import { and, asc, count, desc, eq, ilike, inArray, lte, sql, type SQL } from "drizzle-orm";
import { patient, site, therapyCourse, therapyCycle, type DbOrTx } from "@lutetia/db";

export interface PatientListQuery {
  siteId: string;
  search?: string | null;
  status?: string[] | null;
  onActiveCourse?: boolean | null;
  nextDueBefore?: string | null;
  orderBy: "NAME" | "MRN" | "CREATED_AT" | "NEXT_DUE";
  direction: "ASC" | "DESC";
  offset: number;
  limit: number;
}

const PENDING = ["PLANNED", "READY", "DELAYED"] as const;

/**
 * Earliest planned date of a pending cycle per patient of the site: a derived table joined once
 * (hash join over the partial index therapy_cycle_pending_patient), not a correlated subquery
 * evaluated for every patient of the site.
 */
function nextDueOf(db: DbOrTx, siteId: string) {
  return db
    .select({ patientId: therapyCycle.patientId, nextDue: sql<string | null>`min(${therapyCycle.plannedDate})`.as("next_due") })
    .from(therapyCycle)
    .where(and(eq(therapyCycle.siteId, siteId), inArray(therapyCycle.status, [...PENDING])))
    .groupBy(therapyCycle.patientId)
    .as("nd");
}

export function searchTextOf(p: { familyName: string; givenName: string; mrn: string }): string {
  return `${p.familyName} ${p.givenName} ${p.mrn}`.toLowerCase();
}

/** One page of a site's patients plus the total count (two statements, run in parallel). */
export async function listPatients(db: DbOrTx, q: PatientListQuery) {
  const nd = nextDueOf(db, q.siteId);
  const withNextDue = q.orderBy === "NEXT_DUE" || !!q.nextDueBefore;
  const where: SQL[] = [eq(patient.siteId, q.siteId)];
  if (q.search?.trim()) {
    const term = q.search.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
    where.push(ilike(patient.searchText, `%${term}%`));
  }
  if (q.status?.length) where.push(inArray(patient.status, q.status as never[]));
  if (q.onActiveCourse) {
    where.push(
      sql`exists (select 1 from ${therapyCourse} tc where tc.patient_id = ${patient.id} and tc.status = 'ACTIVE')`,
    );
  }
  if (q.nextDueBefore) where.push(lte(nd.nextDue, q.nextDueBefore));
  const dir = q.direction === "DESC" ? desc : asc;
  const order: SQL[] =
    q.orderBy === "MRN"
      ? [dir(patient.mrn)]
      : q.orderBy === "CREATED_AT"
        ? [dir(patient.createdAt), dir(patient.id)]
        : q.orderBy === "NEXT_DUE"
          ? [sql`${nd.nextDue} ${sql.raw(q.direction === "DESC" ? "desc" : "asc")} nulls last`, asc(patient.familyName), asc(patient.id)]
          : [dir(patient.familyName), dir(patient.givenName), dir(patient.id)];
  // The page stops after offset + limit index entries; the count runs beside it. (With
  // `count(*) over()` every page read and buffered the whole site before the LIMIT.)
  const page = db.select({ p: patient }).from(patient).$dynamic();
  const total = db.select({ n: count() }).from(patient).$dynamic();
  const [rows, [n]] = await Promise.all([
    (withNextDue ? page.leftJoin(nd, eq(nd.patientId, patient.id)) : page).where(and(...where)).orderBy(...order).offset(q.offset).limit(q.limit),
    (q.nextDueBefore ? total.leftJoin(nd, eq(nd.patientId, patient.id)) : total).where(and(...where)),
  ]);
  return { rows: rows.map((r) => r.p), total: n?.n ?? 0 };
}

export async function siteById(db: DbOrTx, siteId: string) {
  const [s] = await db.select().from(site).where(eq(site.id, siteId)).limit(1);
  return s;
}

export async function mrnTaken(db: DbOrTx, siteId: string, mrn: string, exceptId?: string) {
  const rows = await db
    .select({ id: patient.id })
    .from(patient)
    .where(and(eq(patient.siteId, siteId), eq(patient.mrn, mrn)))
    .limit(2);
  return rows.some((r) => r.id !== exceptId);
}
