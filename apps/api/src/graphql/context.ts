import type { Db } from "@lutetia/db";
import type { Response } from "express";
import type { Actor, SessionService } from "../auth/session.service";
import { appendAudit, type AuditEntry } from "../audit/audit.service";
import { forbidden, unauthenticated } from "../shared/errors";
import { can, type Action } from "../shared/permissions";
import type { Config } from "../config";
import type { Logger } from "../shared/logger";
import { createLoaders, type Loaders } from "./loaders";

export interface ReadTarget {
  entityType: string;
  entityId: string;
  patientId: string | null;
}

/**
 * Per-request context: who is asking (actor + site scope), DataLoaders, and the audit buffer.
 * Reads are buffered and written in one statement when the response is sent; writes are
 * audited by services inside their own transaction; denials are buffered like reads.
 */
export class RequestContext {
  readonly loaders: Loaders;
  private readonly pending: AuditEntry[] = [];
  private readonly seen = new Set<string>();

  constructor(
    readonly requestId: string,
    public actor: Actor | null,
    readonly db: Db,
    readonly sessions: SessionService,
    readonly config: Config,
    readonly logger: Logger,
    readonly res?: Response,
  ) {
    this.loaders = createLoaders(this);
  }

  /** The signed-in actor, or UNAUTHENTICATED. */
  requireActor(): Actor {
    if (!this.actor) throw unauthenticated();
    return this.actor;
  }

  /**
   * Default-deny check of the permission matrix at the session's site. A denial is audited
   * (with the target when known) and raises FORBIDDEN.
   */
  authorize(action: Action, target?: Partial<ReadTarget>): Actor {
    const actor = this.requireActor();
    if (!can(actor.roles, action)) {
      this.pending.push({
        actorUserId: actor.userId,
        siteId: actor.siteId,
        action,
        entityType: target?.entityType ?? null,
        entityId: target?.entityId ?? null,
        patientId: target?.patientId ?? null,
        outcome: "DENIED",
        requestId: this.requestId,
        detail: { roles: actor.roles },
      });
      throw forbidden(action);
    }
    return actor;
  }

  /** Permission check without side effects (for `viewer.permissions`, UI hints). */
  can(action: Action): boolean {
    return !!this.actor && can(this.actor.roles, action);
  }

  /** Records that patient data was read (deduplicated per request). */
  recordRead(entityType: string, entityId: string, patientId: string | null): void {
    const key = `${entityType}:${entityId}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const actor = this.actor;
    this.pending.push({
      actorUserId: actor?.userId ?? null,
      siteId: actor?.siteId ?? null,
      action: `${entityType}.read`,
      entityType,
      entityId,
      patientId,
      outcome: "SUCCESS",
      requestId: this.requestId,
    });
  }

  /** An id that does not resolve inside the caller's site: audited as a denied access. */
  recordOutOfScope(entityType: string, entityId: string, action: string): void {
    const actor = this.actor;
    this.pending.push({
      actorUserId: actor?.userId ?? null,
      siteId: actor?.siteId ?? null,
      action,
      entityType,
      entityId,
      patientId: null,
      outcome: "DENIED",
      requestId: this.requestId,
      detail: { reason: "NOT_IN_SCOPE" },
    });
  }

  /** Writes buffered audit rows in one statement. Called once per request by the audit plugin. */
  async flushAudit(): Promise<void> {
    if (this.pending.length === 0) return;
    const rows = this.pending.splice(0, this.pending.length);
    await appendAudit(this.db, rows);
  }

  /** Audit entry skeleton for a write by the current actor (services add entity fields). */
  writeEntry(action: string, entityType: string, entityId: string, patientId: string | null, detail?: Record<string, unknown>): AuditEntry {
    const actor = this.requireActor();
    return {
      actorUserId: actor.userId,
      siteId: actor.siteId,
      action,
      entityType,
      entityId,
      patientId,
      outcome: "SUCCESS",
      requestId: this.requestId,
      detail: detail ?? null,
    };
  }
}
