import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { appUser, membership, session, site, type Db } from "@lutetia/db";
import type { Role } from "../shared/permissions";
import { appendAudit } from "../audit/audit.service";
import { verifyPassword } from "./password";

export const SESSION_COOKIE = "lutetia_session";

export interface Actor {
  userId: string;
  siteId: string;
  sessionId: string;
  roles: Role[];
}

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Touch lastSeenAt at most this often (avoids a write on every request). */
const TOUCH_EVERY_MS = 60_000;

export class SessionService {
  constructor(
    private readonly db: Db,
    private readonly policy: SessionPolicy,
  ) {}

  /**
   * Verifies credentials and opens a server-side session at the requested site (by code) or the
   * user's first site. Audits success and failure (no e-mail or password in the audit row).
   * Returns null on any failure, without saying which part was wrong.
   */
  async login(
    email: string,
    password: string,
    siteCode: string | undefined,
    requestId: string,
  ): Promise<{ token: string; actor: Actor; expiresAt: Date } | null> {
    const [user] = await this.db
      .select()
      .from(appUser)
      .where(eq(appUser.email, email.trim().toLowerCase()))
      .limit(1);
    const ok = await verifyPassword(user?.active ? user.passwordHash : null, password);
    const memberships = ok && user ? await this.membershipsOf(user.id) : [];
    const chosen = siteCode
      ? memberships.find((m) => m.siteCode === siteCode)
      : memberships[0];
    if (!ok || !user || !chosen) {
      await appendAudit(this.db, [
        {
          actorUserId: user?.id ?? null,
          siteId: chosen?.siteId ?? null,
          action: "auth.login",
          outcome: "FAILURE",
          requestId,
          detail: { reason: !ok ? "BAD_CREDENTIALS" : "NO_MEMBERSHIP" },
        },
      ]);
      return null;
    }
    const token = randomBytes(32).toString("base64url");
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.policy.absoluteMs);
    const [row] = await this.db
      .insert(session)
      .values({ tokenHash: hashToken(token), userId: user.id, siteId: chosen.siteId, expiresAt })
      .returning({ id: session.id });
    const roles = memberships.filter((m) => m.siteId === chosen.siteId).map((m) => m.role);
    await appendAudit(this.db, [
      {
        actorUserId: user.id,
        siteId: chosen.siteId,
        action: "auth.login",
        outcome: "SUCCESS",
        requestId,
      },
    ]);
    return { token, expiresAt, actor: { userId: user.id, siteId: chosen.siteId, sessionId: row!.id, roles } };
  }

  /** Resolves a cookie token to an actor; null when missing, revoked, idle or expired. */
  async resolve(token: string | undefined): Promise<Actor | null> {
    if (!token) return null;
    const rows = await this.db
      .select({
        id: session.id,
        userId: session.userId,
        siteId: session.siteId,
        lastSeenAt: session.lastSeenAt,
        expiresAt: session.expiresAt,
        role: membership.role,
        active: appUser.active,
      })
      .from(session)
      .innerJoin(appUser, eq(appUser.id, session.userId))
      .leftJoin(
        membership,
        and(eq(membership.userId, session.userId), eq(membership.siteId, session.siteId)),
      )
      .where(and(eq(session.tokenHash, hashToken(token)), isNull(session.revokedAt)));
    const first = rows[0];
    if (!first || !first.active) return null;
    const now = Date.now();
    if (first.expiresAt.getTime() <= now) return null;
    if (first.lastSeenAt.getTime() + this.policy.idleMs <= now) return null;
    if (now - first.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      await this.db.update(session).set({ lastSeenAt: new Date(now) }).where(eq(session.id, first.id));
    }
    const roles = rows.map((r) => r.role).filter((r): r is Role => r !== null);
    return { userId: first.userId, siteId: first.siteId, sessionId: first.id, roles };
  }

  /** Revokes the session (logout). Audited. */
  async logout(actor: Actor, requestId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.update(session).set({ revokedAt: new Date() }).where(eq(session.id, actor.sessionId));
      await appendAudit(tx, [
        { actorUserId: actor.userId, siteId: actor.siteId, action: "auth.logout", outcome: "SUCCESS", requestId },
      ]);
    });
  }

  /** Moves the session to another site where the user has a membership. */
  async switchSite(actor: Actor, siteId: string, requestId: string): Promise<Actor | null> {
    const memberships = (await this.membershipsOf(actor.userId)).filter((m) => m.siteId === siteId);
    if (memberships.length === 0) {
      await appendAudit(this.db, [
        { actorUserId: actor.userId, siteId, action: "auth.switchSite", outcome: "DENIED", requestId },
      ]);
      return null;
    }
    await this.db.update(session).set({ siteId }).where(eq(session.id, actor.sessionId));
    await appendAudit(this.db, [
      { actorUserId: actor.userId, siteId, action: "auth.switchSite", outcome: "SUCCESS", requestId },
    ]);
    return { ...actor, siteId, roles: memberships.map((m) => m.role) };
  }

  async membershipsOf(userId: string) {
    return this.db
      .select({ siteId: membership.siteId, siteCode: site.code, role: membership.role })
      .from(membership)
      .innerJoin(site, eq(site.id, membership.siteId))
      .where(eq(membership.userId, userId))
      .orderBy(site.code, membership.role);
  }
}
