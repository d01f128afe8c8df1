import { and, asc, desc, eq, ilike, inArray, sql, type SQL } from "drizzle-orm";
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

/** Earliest planned date of a pending cycle of the patient (NULL when none). */
const nextDue = sql<string | null>`(select min(c.planned_date) from ${therapyCycle} c where c.patient_id = ${patient.id} and c.status in ('PLANNED','READY','DELAYED'))`;

export function searchTextOf(p: { familyName: string; givenName: string; mrn: string }): string {
  return `${p.familyName} ${p.givenName} ${p.mrn}`.toLowerCase();
}

/** One page of a site's patients plus the total count, in one statement. */
export async function listPatients(db: DbOrTx, q: PatientListQuery) {
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
  if (q.nextDueBefore) where.push(sql`${nextDue} <= ${q.nextDueBefore}`);
  const dir = q.direction === "DESC" ? desc : asc;
  const order: SQL[] =
    q.orderBy === "MRN"
      ? [dir(patient.mrn)]
      : q.orderBy === "CREATED_AT"
        ? [dir(patient.createdAt), dir(patient.id)]
        : q.orderBy === "NEXT_DUE"
          ? [sql`${nextDue} ${sql.raw(q.direction === "DESC" ? "desc" : "asc")} nulls last`, asc(patient.familyName), asc(patient.id)]
          : [dir(patient.familyName), dir(patient.givenName), dir(patient.id)];
  const rows = await db
    .select({ p: patient, total: sql<number>`count(*) over()`.mapWith(Number) })
    .from(patient)
    .where(and(...where))
    .orderBy(...order)
    .offset(q.offset)
    .limit(q.limit);
  return { rows: rows.map((r) => r.p), total: rows[0]?.total ?? (q.offset > 0 ? await countPatients(db, where) : 0) };
}

async function countPatients(db: DbOrTx, where: SQL[]) {
  const [r] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(patient).where(and(...where));
  return r?.n ?? 0;
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
