import type { RequestContext } from "../../graphql/context";
import { queryAudit, type AuditOutcome } from "../../audit/audit.service";
import { UserInputProblem } from "../../shared/errors";
import { idOf } from "../../shared/ids";
import { pageSize } from "../../shared/records";

const cursorOf = (id: number) => Buffer.from(`a:${id}`).toString("base64url");
function beforeIdOf(cursor: string | null | undefined): number | undefined {
  if (!cursor) return undefined;
  const m = /^a:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!m) throw UserInputProblem.of(["after"], `is not a valid cursor (got ${JSON.stringify(cursor)})`);
  return Number(m[1]);
}

export const AuditLogService = {
  /** ADMIN only: the site's audit log, newest first, keyset-paginated. */
  async list(
    ctx: RequestContext,
    args: {
      first?: number | null;
      after?: string | null;
      filter?: { patientId?: string | null; actorUserId?: string | null; action?: string | null; outcome?: AuditOutcome | null; from?: Date | null; to?: Date | null } | null;
    },
  ) {
    const actor = ctx.authorize("audit:read");
    const first = pageSize(args.first);
    const f = args.filter ?? {};
    const rows = await queryAudit(ctx.db, {
      siteId: actor.siteId,
      patientId: f.patientId ? (idOf(f.patientId, "Patient") ?? "00000000-0000-0000-0000-000000000000") : undefined,
      actorUserId: f.actorUserId ? (idOf(f.actorUserId, "User") ?? "00000000-0000-0000-0000-000000000000") : undefined,
      action: f.action ?? undefined,
      outcome: f.outcome ?? undefined,
      from: f.from ?? undefined,
      to: f.to ?? undefined,
      beforeId: beforeIdOf(args.after),
      limit: first + 1,
    });
    const page = rows.slice(0, first);
    const edges = page.map((node) => ({ cursor: cursorOf(node.id), node }));
    return {
      edges,
      pageInfo: {
        hasNextPage: rows.length > first,
        hasPreviousPage: !!args.after,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
    };
  },
};
