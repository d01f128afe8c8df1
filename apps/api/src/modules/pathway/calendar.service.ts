import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, asc, desc, eq, inArray, ne, sql } from "drizzle-orm";
import type { Request, Response } from "express";
import { z } from "zod";
import { appUser, calendarFeed, careEvent, membership, patient, pathwaySetting, site, therapyCourse, type CalendarFeedRow, type Db } from "@lutetia/db";
import type { RequestContext } from "../../graphql/context";
import { appendAudit, type AuditEntry } from "../../audit/audit.service";
import { UserInputProblem } from "../../shared/errors";
import { idOf, toGlobalId } from "../../shared/ids";
import { can, type Role } from "../../shared/permissions";
import { parseInput } from "../../shared/validation";
import { buildCalendar, type IcsEvent } from "./ical";
import { CALENDAR_EVENT_MINUTES, CALENDAR_WINDOW_DAYS, initialsOf, mayRevokeFeed } from "./pathway.policy";
import { settingsOf, siteOf, zoned } from "./pathway.repo";
import type { PathwaySettingsOut } from "./pathway.types";

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
const TOKEN_FILE = /^([A-Za-z0-9_-]{32,128})\.ics$/;
const DAY = 86_400_000;

export const CalendarService = {
  /** Creates a feed for the signed-in user; the URL (with the secret token) is returned once, only its SHA-256 is stored. */
  async create(ctx: RequestContext): Promise<{ feed: CalendarFeedRow; url: string }> {
    const actor = ctx.authorize("patient:read");
    const token = randomBytes(32).toString("base64url");
    return ctx.db.transaction(async (tx) => {
      const [feed] = await tx.insert(calendarFeed).values({ siteId: actor.siteId, userId: actor.userId, tokenHash: hashToken(token) }).returning();
      await appendAudit(tx, [ctx.writeEntry("calendar_feed.create", "CalendarFeed", feed!.id, null)]);
      const req = ctx.res?.req;
      const origin = req ? `${req.protocol}://${req.get("host") ?? "localhost"}` : "";
      return { feed: feed!, url: `${origin}/calendar/${token}.ics` };
    });
  },

  /** Revokes a feed (own feeds; an ADMIN any feed of the site). */
  async revoke(ctx: RequestContext, input: unknown): Promise<CalendarFeedRow> {
    const actor = ctx.requireActor();
    const v = parseInput(z.object({ id: z.string() }), input);
    const id = idOf(v.id, "CalendarFeed");
    const [feed] = id ? await ctx.db.select().from(calendarFeed).where(and(eq(calendarFeed.id, id), eq(calendarFeed.siteId, actor.siteId))) : [];
    if (!feed || !mayRevokeFeed(actor, feed)) {
      if (id) ctx.recordOutOfScope("CalendarFeed", id, "calendar_feed.revoke");
      throw UserInputProblem.of(["input", "id"], "CalendarFeed not found", "NOT_FOUND");
    }
    if (feed.revokedAt) throw UserInputProblem.of(["input", "id"], `feed was already revoked at ${feed.revokedAt.toISOString()}`);
    return ctx.db.transaction(async (tx) => {
      const [row] = await tx.update(calendarFeed).set({ revokedAt: new Date() }).where(eq(calendarFeed.id, feed.id)).returning();
      await appendAudit(tx, [ctx.writeEntry("calendar_feed.revoke", "CalendarFeed", feed.id, null, { owner: feed.userId === actor.userId ? "self" : "other" })]);
      return row!;
    });
  },

  async list(ctx: RequestContext): Promise<CalendarFeedRow[]> {
    const actor = ctx.requireActor();
    return ctx.db.select().from(calendarFeed).where(and(eq(calendarFeed.userId, actor.userId), eq(calendarFeed.siteId, actor.siteId))).orderBy(desc(calendarFeed.createdAt));
  },

  async settings(ctx: RequestContext): Promise<PathwaySettingsOut> {
    const actor = ctx.requireActor();
    const [s, row] = await Promise.all([siteOf(ctx.db, actor.siteId), settingsOf(ctx.db, actor.siteId)]);
    return { calendarPatientLabel: row?.calendarPatientLabel ?? "MRN", timeZone: s.timeZone };
  },

  async updateSettings(ctx: RequestContext, input: unknown): Promise<PathwaySettingsOut> {
    const actor = ctx.authorize("protocol:admin");
    const v = parseInput(z.object({ calendarPatientLabel: z.enum(["MRN", "INITIALS"]) }), input);
    await ctx.db.transaction(async (tx) => {
      await tx
        .insert(pathwaySetting)
        .values({ siteId: actor.siteId, calendarPatientLabel: v.calendarPatientLabel })
        .onConflictDoUpdate({ target: pathwaySetting.siteId, set: { calendarPatientLabel: v.calendarPatientLabel, updatedAt: new Date(), version: sql`${pathwaySetting.version} + 1` } });
      await appendAudit(tx, [ctx.writeEntry("pathway_setting.update", "Site", actor.siteId, null, { calendarPatientLabel: v.calendarPatientLabel })]);
    });
    return CalendarService.settings(ctx);
  },

  /**
   * Renders the iCalendar feed of a token: the open (planned/booked) care events of the owner's
   * site from 30 days back to a year ahead. Patients appear by MRN or initials (site policy),
   * never by name. Every read is audited (feed row + one row per patient disclosed); an unknown,
   * revoked or orphaned token answers null (404) and is audited as DENIED.
   */
  async render(db: Db, token: string, requestId: string, now = new Date()): Promise<string | null> {
    const [feed] = await db.select().from(calendarFeed).where(eq(calendarFeed.tokenHash, hashToken(token)));
    const roles = feed && !feed.revokedAt
      ? (await db.select({ role: membership.role }).from(membership).innerJoin(appUser, eq(appUser.id, membership.userId)).where(and(eq(membership.userId, feed.userId), eq(membership.siteId, feed.siteId), eq(appUser.active, true)))).map((r) => r.role as Role)
      : [];
    if (!feed || !can(roles, "patient:read")) {
      await appendAudit(db, [{ actorUserId: feed?.userId ?? null, siteId: feed?.siteId ?? null, action: "calendar_feed.read", entityType: "CalendarFeed", entityId: feed?.id ?? null, outcome: "DENIED", requestId, detail: { reason: !feed ? "UNKNOWN_TOKEN" : feed.revokedAt ? "REVOKED" : "NO_ACCESS" } }]);
      return null;
    }
    const [s] = await db.select().from(site).where(eq(site.id, feed.siteId));
    const setting = await settingsOf(db, feed.siteId);
    const label = setting?.calendarPatientLabel ?? "MRN";
    const tz = s!.timeZone;
    const eff = sql`coalesce(${careEvent.bookedAt}, ${careEvent.dueAt})`;
    const rows = await db
      .select({ e: careEvent, mrn: patient.mrn, given: patient.givenName, family: patient.familyName })
      .from(careEvent)
      .innerJoin(patient, eq(patient.id, careEvent.patientId))
      .innerJoin(therapyCourse, eq(therapyCourse.id, careEvent.courseId))
      .where(
        and(
          eq(careEvent.siteId, feed.siteId),
          inArray(careEvent.status, ["PLANNED", "BOOKED"]),
          ne(therapyCourse.status, "STOPPED"),
          sql`${eff} >= ${new Date(now.getTime() - CALENDAR_WINDOW_DAYS.past * DAY).toISOString()}`,
          sql`${eff} < ${new Date(now.getTime() + CALENDAR_WINDOW_DAYS.future * DAY).toISOString()}`,
        ),
      )
      .orderBy(eff, asc(careEvent.id));
    const fmt = (d: Date | null) => (d ? zoned(d, tz).toPlainDateTime().toString({ smallestUnit: "minute" }) : "open");
    const events: IcsEvent[] = rows.map(({ e, mrn, given, family }) => {
      const start = e.bookedAt ?? e.dueAt;
      const who = label === "INITIALS" ? initialsOf(given, family) : mrn;
      const desc = [
        `Status: ${e.status}${e.status === "PLANNED" ? " (not booked; due time shown)" : ""}`,
        `Kind: ${e.kind}${e.cycleNumber !== null ? `, cycle ${e.cycleNumber}` : ""}`,
        `Window (${tz}): ${fmt(e.windowStart)} – ${fmt(e.windowEnd)}`,
        `Lutetia event: ${toGlobalId("CareEvent", e.id)}`,
      ].join("\n");
      return {
        uid: `${e.id}@lutetia`,
        start,
        end: new Date(start.getTime() + (CALENDAR_EVENT_MINUTES[e.kind] ?? 30) * 60_000),
        summary: `${who} · ${e.label}`,
        description: desc,
        ...(e.resource ? { location: e.resource } : {}),
        status: e.status === "BOOKED" ? "CONFIRMED" : "TENTATIVE",
        categories: [e.kind],
        lastModified: e.updatedAt,
      };
    });
    const patients = [...new Set(rows.map((r) => r.e.patientId))];
    const audit: AuditEntry[] = [
      { actorUserId: feed.userId, siteId: feed.siteId, action: "calendar_feed.read", entityType: "CalendarFeed", entityId: feed.id, outcome: "SUCCESS", requestId, detail: { events: events.length, patients: patients.length, label } },
      ...patients.map((pid): AuditEntry => ({ actorUserId: feed.userId, siteId: feed.siteId, action: "calendar_feed.patient_read", entityType: "Patient", entityId: pid, patientId: pid, outcome: "SUCCESS", requestId, detail: { feedId: feed.id } })),
    ];
    await appendAudit(db, audit);
    return buildCalendar({ name: `Lutetia – ${s!.code}`, timeZoneHint: tz, events, now });
  },
};

/** Express handler for GET /calendar/:file (`<token>.ics`). */
export function calendarRoute(db: Db) {
  return async (req: Request, res: Response): Promise<void> => {
    const requestId = randomUUID();
    res.setHeader("x-request-id", requestId);
    res.setHeader("cache-control", "no-store");
    res.setHeader("referrer-policy", "no-referrer");
    const m = TOKEN_FILE.exec(String(req.params.file ?? ""));
    const body = m?.[1] ? await CalendarService.render(db, m[1], requestId) : null;
    if (body === null) {
      res.status(404).type("text/plain").send("Not found");
      return;
    }
    res.status(200).type("text/calendar; charset=utf-8").send(body);
  };
}
