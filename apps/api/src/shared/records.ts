import { and, eq, type InferSelectModel } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { RequestContext } from "../graphql/context";
import { UserInputProblem } from "./errors";
import { idOf, type NodeType } from "./ids";

type ScopedTable = PgTable & { id: PgColumn; siteId: PgColumn };

/**
 * Loads one row by global ID inside the caller's site. A malformed ID, an ID of another type,
 * or a row of another site all answer NOT_FOUND on `field` (no existence leak across sites);
 * a well-formed ID outside the site is audited as a denied access.
 */
export async function loadInScope<T extends ScopedTable>(
  ctx: RequestContext,
  table: T,
  type: NodeType,
  globalId: string,
  field: string[],
): Promise<InferSelectModel<T>> {
  const actor = ctx.requireActor();
  const id = idOf(globalId, type);
  if (!id) throw UserInputProblem.of(field, `is not a ${type} id (got ${JSON.stringify(globalId)})`, "NOT_FOUND");
  const rows = (await ctx.db
    .select()
    .from(table as PgTable)
    .where(and(eq(table.id, id), eq(table.siteId, actor.siteId)))
    .limit(1)) as InferSelectModel<T>[];
  if (!rows[0]) {
    ctx.recordOutOfScope(type, id, `${type}.access`);
    throw UserInputProblem.of(field, `${type} not found`, "NOT_FOUND");
  }
  return rows[0];
}

/** Offset cursors (opaque to clients). */
export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString("base64url");
}

export function decodeCursor(cursor: string | null | undefined, field = "after"): number {
  if (!cursor) return 0;
  const s = Buffer.from(cursor, "base64url").toString("utf8");
  const m = /^o:(\d+)$/.exec(s);
  if (!m) throw UserInputProblem.of([field], `is not a valid cursor (got ${JSON.stringify(cursor)})`);
  return Number(m[1]);
}

export const MAX_PAGE = 200;

export function pageSize(first: number | null | undefined): number {
  const n = first ?? 50;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) {
    throw UserInputProblem.of(["first"], `must be an integer 1–${MAX_PAGE} (got ${n})`);
  }
  return n;
}

/** Builds a Relay connection from one page fetched with limit first+1. */
export function toConnection<T>(rows: T[], offset: number, first: number, totalCount: number) {
  const page = rows.slice(0, first);
  const edges = page.map((node, i) => ({ cursor: encodeCursor(offset + i + 1), node }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
