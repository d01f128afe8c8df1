import DataLoader from "dataloader";
import { and, asc, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import {
  appUser,
  careEvent,
  cycleDecision,
  labResult,
  protocolTemplate,
  scheduleCheck,
  type AppUserRow,
  type CareEventRow,
  type CycleDecisionRow,
  type LabResultRow,
  type ProtocolTemplateRow,
  type ScheduleCheckRow,
} from "@lutetia/db";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { RequestContext } from "../../graphql/context";
import { siteOf } from "./pathway.repo";

/** Per-request DataLoaders of the care-pathway module (site-scoped; patient rows audited as reads). */
function create(ctx: RequestContext) {
  const site = () => ctx.requireActor().siteId;
  const group = <T>(keys: readonly string[], rows: T[], keyOf: (r: T) => string): T[][] => {
    const m = new Map<string, T[]>(keys.map((k) => [k, []]));
    for (const r of rows) m.get(keyOf(r))?.push(r);
    return keys.map((k) => m.get(k) ?? []);
  };
  const readEvents = (rows: CareEventRow[]) => {
    for (const r of rows) ctx.recordRead("CareEvent", r.id, r.patientId);
    return rows;
  };
  const eventsBy = (col: PgColumn, keyOf: (r: CareEventRow) => string | null) =>
    new DataLoader<string, CareEventRow[]>(async (keys) => {
      const rows = readEvents(await ctx.db.select().from(careEvent).where(and(inArray(col, [...keys]), eq(careEvent.siteId, site()))).orderBy(asc(careEvent.dueAt), asc(careEvent.key)));
      return group(keys, rows, (r) => keyOf(r) ?? "");
    });
  let tz: Promise<string> | null = null;
  return {
    /** The site's IANA time zone (once per request). */
    timeZone: (): Promise<string> => (tz ??= siteOf(ctx.db, site()).then((s) => s.timeZone)),
    event: new DataLoader<string, CareEventRow | null>(async (ids) => {
      const rows = readEvents(await ctx.db.select().from(careEvent).where(and(inArray(careEvent.id, [...ids]), eq(careEvent.siteId, site()))));
      const m = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => m.get(id) ?? null);
    }),
    eventsByCourse: eventsBy(careEvent.courseId, (r) => r.courseId),
    eventsByCycle: eventsBy(careEvent.cycleId, (r) => r.cycleId),
    eventsByPatient: eventsBy(careEvent.patientId, (r) => r.patientId),
    decisionsByCycle: new DataLoader<string, CycleDecisionRow[]>(async (keys) => {
      const rows = await ctx.db.select().from(cycleDecision).where(and(inArray(cycleDecision.cycleId, [...keys]), eq(cycleDecision.siteId, site()))).orderBy(desc(cycleDecision.decidedAt), desc(cycleDecision.id));
      for (const r of rows) ctx.recordRead("CycleDecision", r.id, r.patientId);
      return group(keys, rows, (r) => r.cycleId);
    }),
    decision: new DataLoader<string, CycleDecisionRow | null>(async (ids) => {
      const rows = await ctx.db.select().from(cycleDecision).where(and(inArray(cycleDecision.id, [...ids]), eq(cycleDecision.siteId, site())));
      const m = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => m.get(id) ?? null);
    }),
    template: new DataLoader<string, ProtocolTemplateRow | null>(async (ids) => {
      const rows = await ctx.db.select().from(protocolTemplate).where(and(inArray(protocolTemplate.id, [...ids]), or(isNull(protocolTemplate.siteId), eq(protocolTemplate.siteId, site()))));
      const m = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => m.get(id) ?? null);
    }),
    /** Latest version per "<siteId or ''>|<key>". */
    latestVersion: new DataLoader<string, number>(async (keys) => {
      const rows = await ctx.db
        .select({ siteId: protocolTemplate.siteId, key: protocolTemplate.templateKey, v: sql<number>`max(${protocolTemplate.templateVersion})` })
        .from(protocolTemplate)
        .where(or(isNull(protocolTemplate.siteId), eq(protocolTemplate.siteId, site())))
        .groupBy(protocolTemplate.siteId, protocolTemplate.templateKey);
      const m = new Map(rows.map((r) => [`${r.siteId ?? ""}|${r.key}`, Number(r.v)]));
      return keys.map((k) => m.get(k) ?? 0);
    }),
    latestCheck: new DataLoader<string, ScheduleCheckRow | null>(async (courseIds) => {
      const rows = await ctx.db
        .selectDistinctOn([scheduleCheck.courseId])
        .from(scheduleCheck)
        .where(and(eq(scheduleCheck.siteId, site()), inArray(scheduleCheck.courseId, [...courseIds])))
        .orderBy(scheduleCheck.courseId, desc(scheduleCheck.checkedAt), desc(scheduleCheck.id));
      const m = new Map(rows.map((r) => [r.courseId, r]));
      return courseIds.map((id) => m.get(id) ?? null);
    }),
    labResult: new DataLoader<string, LabResultRow | null>(async (ids) => {
      const rows = await ctx.db.select().from(labResult).where(and(inArray(labResult.id, [...ids]), eq(labResult.siteId, site())));
      for (const r of rows) ctx.recordRead("LabResult", r.id, r.patientId);
      const m = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => m.get(id) ?? null);
    }),
    user: new DataLoader<string, AppUserRow | null>(async (ids) => {
      const rows = await ctx.db.select().from(appUser).where(inArray(appUser.id, [...ids]));
      const m = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => m.get(id) ?? null);
    }),
  };
}

export type PathwayLoaders = ReturnType<typeof create>;
const cache = new WeakMap<RequestContext, PathwayLoaders>();

/** The request's pathway loaders (created on first use). */
export function pathwayLoaders(ctx: RequestContext): PathwayLoaders {
  let l = cache.get(ctx);
  if (!l) {
    l = create(ctx);
    cache.set(ctx, l);
  }
  return l;
}
