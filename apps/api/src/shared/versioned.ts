import { and, eq, sql, type InferSelectModel } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { recordRevision, type Tx } from "@lutetia/db";
import { UserInputProblem } from "./errors";

type VersionedTable = PgTable & {
  id: PgColumn;
  siteId: PgColumn;
  version: PgColumn;
  updatedAt: PgColumn;
};

/**
 * Optimistic-locked update of one row in the caller's site:
 * - row missing in this site → NOT_FOUND (field `id`), nothing changed;
 * - `expectedVersion` stale → CONFLICT (field `version`) naming both versions, nothing changed;
 * - otherwise the previous row is copied to record_revision, then the patch is applied with
 *   version + 1, all in the caller's transaction.
 */
export async function updateVersioned<T extends VersionedTable>(
  tx: Tx,
  table: T,
  entityType: string,
  args: {
    id: string;
    siteId: string;
    expectedVersion: number;
    patch: Partial<InferSelectModel<T>>;
    actorUserId: string;
    reason?: string | null;
  },
): Promise<InferSelectModel<T>> {
  const current = (await tx
    .select()
    .from(table as PgTable)
    .where(and(eq(table.id, args.id), eq(table.siteId, args.siteId)))
    .for("update")) as InferSelectModel<T>[];
  const row = current[0] as (InferSelectModel<T> & { version: number }) | undefined;
  if (!row) throw UserInputProblem.of(["id"], `${entityType} not found`, "NOT_FOUND");
  if (row.version !== args.expectedVersion) {
    throw UserInputProblem.of(
      ["version"],
      `${entityType} was changed by someone else (you edited version ${args.expectedVersion}, current is ${row.version}); reload and re-apply your change`,
      "CONFLICT",
    );
  }
  // A voided record is closed: no further change (only the void itself sets voidedAt, and
  // voidRecord refuses voiding twice). Corrections go to a new record.
  const voided = (row as { voidedAt?: Date | null }).voidedAt;
  if (voided && !("voidedAt" in (args.patch as object))) {
    throw UserInputProblem.of(["id"], `${entityType} is voided (${voided.toISOString()}) and cannot be changed; record a new one instead`, "INVALID");
  }
  await tx.insert(recordRevision).values({
    siteId: args.siteId,
    entityType,
    entityId: args.id,
    version: row.version,
    data: row as unknown as Record<string, unknown>,
    changedBy: args.actorUserId,
    reason: args.reason ?? null,
  });
  const updated = (await tx
    .update(table)
    .set({
      ...(args.patch as Record<string, unknown>),
      version: sql`${table.version} + 1`,
      updatedAt: new Date(),
    } as never)
    .where(and(eq(table.id, args.id), eq(table.version, args.expectedVersion)))
    .returning()) as InferSelectModel<T>[];
  if (!updated[0]) {
    throw UserInputProblem.of(["version"], `${entityType} was changed concurrently; reload`, "CONFLICT");
  }
  return updated[0];
}

import type { RequestContext } from "../graphql/context";
import { appendAudit, type AuditEntry } from "../audit/audit.service";
import { idOf, type NodeType } from "./ids";

type PatientScopedTable = VersionedTable & { patientId?: PgColumn };

/**
 * The one path for changing an existing clinical row: decode the global ID, optimistic-locked
 * update with history (updateVersioned), and the audit row, in one transaction.
 * `check` may inspect the current row and throw UserInputProblem before anything is written.
 */
export async function changeRecord<T extends PatientScopedTable>(
  ctx: RequestContext,
  args: {
    table: T;
    type: NodeType;
    action: string;
    globalId: string;
    version: number;
    patch: Partial<InferSelectModel<T>>;
    reason?: string | null;
    check?: (current: InferSelectModel<T>) => void | Promise<void>;
    /** Dependent changes made in the same transaction after the update (returns their audit entries). */
    after?: (tx: Tx, row: InferSelectModel<T>) => Promise<AuditEntry[]>;
  },
): Promise<InferSelectModel<T>> {
  const actor = ctx.requireActor();
  const id = idOf(args.globalId, args.type);
  if (!id) {
    throw UserInputProblem.of(["input", "id"], `is not a ${args.type} id (got ${JSON.stringify(args.globalId)})`, "NOT_FOUND");
  }
  try {
    // The check runs before the transaction: checks query through ctx.db (uniqueness, links), and
    // on PGlite (one connection) a query outside an open transaction waits for it forever. It
    // validates the row at the version the caller edited; updateVersioned then refuses the write
    // (CONFLICT) if the row changed in between, so a checked state cannot be overtaken.
    if (args.check) {
      const [cur] = (await ctx.db
        .select()
        .from(args.table as PgTable)
        .where(and(eq(args.table.id, id), eq(args.table.siteId, actor.siteId)))) as InferSelectModel<T>[];
      const seen = (cur as { version: number } | undefined)?.version;
      if (seen !== undefined && seen !== args.version) {
        throw UserInputProblem.of(
          ["version"],
          `${args.type} was changed by someone else (you edited version ${args.version}, current is ${seen}); reload and re-apply your change`,
          "CONFLICT",
        );
      }
      if (cur) await args.check(cur);
    }
    return await ctx.db.transaction(async (tx) => {
      const row = await updateVersioned(tx, args.table, args.type, {
        id,
        siteId: actor.siteId,
        expectedVersion: args.version,
        patch: args.patch,
        actorUserId: actor.userId,
        reason: args.reason ?? null,
      });
      const patientId = (row as { patientId?: string }).patientId ?? (args.type === "Patient" ? id : null);
      await appendAudit(tx, [
        ctx.writeEntry(args.action, args.type, id, patientId, {
          fields: Object.keys(args.patch),
          version: (row as { version: number }).version,
        }),
        ...(args.after ? await args.after(tx, row) : []),
      ]);
      return row;
    });
  } catch (e) {
    if (e instanceof UserInputProblem && e.errors[0]?.code === "NOT_FOUND") {
      ctx.recordOutOfScope(args.type, id, args.action);
      throw UserInputProblem.of(["input", "id"], `${args.type} not found`, "NOT_FOUND");
    }
    if (e instanceof UserInputProblem) {
      throw new UserInputProblem(e.errors.map((er) => ({ ...er, field: er.field[0] === "input" ? er.field : ["input", ...er.field] })));
    }
    throw e;
  }
}

/** Inserts one clinical row and its audit row in one transaction. */
export async function createRecord<T extends PgTable>(
  ctx: RequestContext,
  args: {
    table: T;
    type: NodeType;
    action: string;
    values: T["$inferInsert"];
    patientIdOf: (row: InferSelectModel<T>) => string | null;
  },
): Promise<InferSelectModel<T>> {
  return ctx.db.transaction(async (tx) => {
    const [row] = (await tx.insert(args.table).values(args.values as never).returning()) as InferSelectModel<T>[];
    const r = row as InferSelectModel<T> & { id: string };
    await appendAudit(tx, [ctx.writeEntry(args.action, args.type, r.id, args.patientIdOf(r))]);
    return r;
  });
}

type VoidableTable = PatientScopedTable & { voidedAt: PgColumn; voidReason: PgColumn };

/**
 * Soft-close of a clinical record (no hard delete): sets voided_at + reason, keeps the row
 * and its history. Voiding twice is refused.
 */
export async function voidRecord<T extends VoidableTable>(
  ctx: RequestContext,
  args: { table: T; type: NodeType; action: string; input: { id: string; version: number; reason: string } },
): Promise<InferSelectModel<T>> {
  return changeRecord(ctx, {
    table: args.table,
    type: args.type,
    action: args.action,
    globalId: args.input.id,
    version: args.input.version,
    patch: { voidedAt: new Date(), voidReason: args.input.reason } as Partial<InferSelectModel<T>>,
    reason: args.input.reason,
    check: (cur) => {
      if ((cur as { voidedAt: Date | null }).voidedAt) {
        throw UserInputProblem.of(["input", "id"], `${args.type} is already voided`, "INVALID");
      }
    },
  });
}
