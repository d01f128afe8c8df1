import { and, asc, desc, eq, inArray, isNull, notInArray, or, sql } from "drizzle-orm";
import { GraphQLError } from "graphql";
import {
  careEvent,
  cycleDecision,
  pathwaySetting,
  protocolTemplate,
  scheduleCheck,
  site,
  therapyCycle,
  type CareEventRow,
  type DbOrTx,
  type ProtocolTemplateRow,
  type SiteRow,
} from "@lutetia/db";
import type { ProtocolTemplate } from "@lutetia/protocols";
import { Temporal } from "@js-temporal/polyfill";
import { UserInputProblem } from "../../shared/errors";
import type { StoredFlag } from "./pathway.types";

/** Drizzle queries of the care-pathway module. Every method takes the caller's site. */

export async function siteOf(db: DbOrTx, siteId: string): Promise<SiteRow> {
  const [s] = await db.select().from(site).where(eq(site.id, siteId));
  if (!s) throw new Error("site of the session not found");
  return s;
}

/** A template visible to the site (shipped or the site's own), or null. */
export async function templateInScope(db: DbOrTx, siteId: string, id: string): Promise<ProtocolTemplateRow | null> {
  const [row] = await db
    .select()
    .from(protocolTemplate)
    .where(and(eq(protocolTemplate.id, id), or(isNull(protocolTemplate.siteId), eq(protocolTemplate.siteId, siteId))));
  return row ?? null;
}

export async function latestTemplateVersion(db: DbOrTx, siteId: string | null, key: string): Promise<number> {
  const [r] = await db
    .select({ v: sql<number>`max(${protocolTemplate.templateVersion})` })
    .from(protocolTemplate)
    .where(and(siteId === null ? isNull(protocolTemplate.siteId) : eq(protocolTemplate.siteId, siteId), eq(protocolTemplate.templateKey, key)));
  return Number(r?.v ?? 0);
}

export async function templatesOfSite(db: DbOrTx, siteId: string): Promise<ProtocolTemplateRow[]> {
  return db
    .select()
    .from(protocolTemplate)
    .where(or(isNull(protocolTemplate.siteId), eq(protocolTemplate.siteId, siteId)))
    .orderBy(sql`${protocolTemplate.siteId} is not null`, asc(protocolTemplate.templateKey), desc(protocolTemplate.templateVersion));
}

/** The stored template JSON as the @lutetia/protocols type (validated on the way in). */
export const templateOf = (row: ProtocolTemplateRow): ProtocolTemplate => row.definition as unknown as ProtocolTemplate;

export async function courseEvents(db: DbOrTx, siteId: string, courseId: string): Promise<CareEventRow[]> {
  return db
    .select()
    .from(careEvent)
    .where(and(eq(careEvent.siteId, siteId), eq(careEvent.courseId, courseId)))
    .orderBy(asc(careEvent.dueAt), asc(careEvent.key));
}

/** SSA injections of a patient (any course) that are not missed/cancelled. */
export async function patientSsaEvents(db: DbOrTx, siteId: string, patientId: string): Promise<CareEventRow[]> {
  return db
    .select()
    .from(careEvent)
    .where(
      and(
        eq(careEvent.siteId, siteId),
        eq(careEvent.patientId, patientId),
        eq(careEvent.kind, "SSA_INJECTION"),
        notInArray(careEvent.status, ["MISSED", "CANCELLED"]),
      ),
    );
}

export async function patientCycles(db: DbOrTx, siteId: string, patientId: string) {
  return db
    .select()
    .from(therapyCycle)
    .where(and(eq(therapyCycle.siteId, siteId), eq(therapyCycle.patientId, patientId)))
    .orderBy(asc(therapyCycle.plannedDate));
}

export async function latestChecks(db: DbOrTx, siteId: string, courseIds: readonly string[]) {
  if (courseIds.length === 0) return [];
  return db
    .selectDistinctOn([scheduleCheck.courseId])
    .from(scheduleCheck)
    .where(and(eq(scheduleCheck.siteId, siteId), inArray(scheduleCheck.courseId, [...courseIds])))
    .orderBy(scheduleCheck.courseId, desc(scheduleCheck.checkedAt), desc(scheduleCheck.id));
}

export const flagsOf = (row: { flags: Record<string, unknown>[] } | undefined | null): StoredFlag[] =>
  (row?.flags ?? []) as unknown as StoredFlag[];

export async function decisionsOfCycle(db: DbOrTx, siteId: string, cycleId: string) {
  return db
    .select()
    .from(cycleDecision)
    .where(and(eq(cycleDecision.siteId, siteId), eq(cycleDecision.cycleId, cycleId)))
    .orderBy(desc(cycleDecision.decidedAt), desc(cycleDecision.id));
}

export async function settingsOf(db: DbOrTx, siteId: string) {
  const [row] = await db.select().from(pathwaySetting).where(eq(pathwaySetting.siteId, siteId));
  return row ?? null;
}

/** UTC instant → the site's wall-clock rendering ("2026-03-20T09:00:00+01:00[Europe/Amsterdam]"). */
export function zoned(d: Date, tz: string): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(d.getTime()).toZonedDateTimeISO(tz);
}

/** UTC instant → local calendar date (YYYY-MM-DD) in the site zone. */
export function localDate(d: Date, tz: string): string {
  return zoned(d, tz).toPlainDate().toString();
}

/** Rethrows a UserInputProblem with every field prefixed by `input` (mutations report input paths). */
export function inputProblem(e: unknown): never {
  if (e instanceof UserInputProblem) {
    throw new UserInputProblem(e.errors.map((x) => ({ ...x, field: x.field[0] === "input" ? x.field : ["input", ...x.field] })));
  }
  throw e;
}

/** A query argument the caller can fix (queries have no userErrors): BAD_USER_INPUT naming the argument. */
export function badArgument(argument: string, message: string): GraphQLError {
  return new GraphQLError(`${argument}: ${message}`, { extensions: { code: "BAD_USER_INPUT", argument } });
}
