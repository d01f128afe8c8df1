import { and, desc, eq, gte, lt, lte, sql, type SQL } from "drizzle-orm";
import { auditEvent, type DbOrTx } from "@lutetia/db";

export type AuditOutcome = "SUCCESS" | "DENIED" | "FAILURE";

/** One audit row. Ids and codes only: never names, MRNs or free text from a record. */
export interface AuditEntry {
  actorUserId: string | null;
  siteId: string | null;
  action: string;
  entityType?: string | null;
  entityId?: string | null;
  patientId?: string | null;
  outcome: AuditOutcome;
  requestId: string | null;
  detail?: Record<string, unknown> | null;
}

/** Array parameter for `unnest`: one bind parameter per column whatever the row count. */
const arr = (xs: (string | null)[]) => `{${xs.map((x) => (x === null ? "NULL" : `"${x.replace(/[\\"]/g, (c) => `\\${c}`)}"`)).join(",")}}`;

/**
 * Appends audit rows in one statement (inside the caller's transaction when given one): column
 * arrays through `unnest`, so a page that read 700 rows sends 9 parameters, not 6,300.
 */
export async function appendAudit(db: DbOrTx, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const col = (f: (e: AuditEntry) => string | null) => arr(entries.map(f));
  await db.execute(sql`insert into ${auditEvent} (actor_user_id, site_id, action, entity_type, entity_id, patient_id, outcome, request_id, detail)
    select * from unnest(${col((e) => e.actorUserId)}::text::uuid[], ${col((e) => e.siteId)}::text::uuid[], ${col((e) => e.action)}::text::text[],
      ${col((e) => e.entityType ?? null)}::text::text[], ${col((e) => e.entityId ?? null)}::text::uuid[], ${col((e) => e.patientId ?? null)}::text::uuid[],
      ${col((e) => e.outcome)}::text::audit_outcome[], ${col((e) => e.requestId)}::text::text[], ${col((e) => (e.detail ? JSON.stringify(e.detail) : null))}::text::jsonb[])`);
}

export interface AuditQuery {
  siteId: string;
  patientId?: string;
  actorUserId?: string;
  action?: string;
  outcome?: AuditOutcome;
  from?: Date;
  to?: Date;
  /** Keyset: rows with id < beforeId. */
  beforeId?: number;
  limit: number;
}

/** Audit rows of one site, newest first (admins read the log through the API). */
export async function queryAudit(db: DbOrTx, q: AuditQuery) {
  const where: SQL[] = [eq(auditEvent.siteId, q.siteId)];
  if (q.patientId) where.push(eq(auditEvent.patientId, q.patientId));
  if (q.actorUserId) where.push(eq(auditEvent.actorUserId, q.actorUserId));
  if (q.action) where.push(eq(auditEvent.action, q.action));
  if (q.outcome) where.push(eq(auditEvent.outcome, q.outcome));
  if (q.from) where.push(gte(auditEvent.at, q.from));
  if (q.to) where.push(lte(auditEvent.at, q.to));
  if (q.beforeId) where.push(lt(auditEvent.id, q.beforeId));
  return db
    .select()
    .from(auditEvent)
    .where(and(...where))
    .orderBy(desc(auditEvent.id))
    .limit(q.limit);
}
