import { and, desc, eq, gte, lt, lte, type SQL } from "drizzle-orm";
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

/** Appends audit rows in one statement (inside the caller's transaction when given one). */
export async function appendAudit(db: DbOrTx, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.insert(auditEvent).values(
    entries.map((e) => ({
      actorUserId: e.actorUserId,
      siteId: e.siteId,
      action: e.action,
      entityType: e.entityType ?? null,
      entityId: e.entityId ?? null,
      patientId: e.patientId ?? null,
      outcome: e.outcome,
      requestId: e.requestId,
      detail: e.detail ?? null,
    })),
  );
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
