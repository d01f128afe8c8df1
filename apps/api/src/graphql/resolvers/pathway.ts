import { GraphQLError, GraphQLScalarType, Kind } from "graphql";
import type { ProtocolTemplate as Tpl, EventRule, Offset } from "@lutetia/protocols";
import type { CareEventRow } from "@lutetia/db";
import type { Resolvers } from "../generated/resolvers-types";
import type { RequestContext } from "../context";
import { CalendarService } from "../../modules/pathway/calendar.service";
import { DecisionService } from "../../modules/pathway/decisions.service";
import { EligibilityService } from "../../modules/pathway/eligibility.service";
import { pathwayLoaders } from "../../modules/pathway/pathway.loaders";
import { flagsOf, zoned } from "../../modules/pathway/pathway.repo";
import { effectiveAt, isOverdue, ScheduleService } from "../../modules/pathway/schedule.service";
import { TemplateService } from "../../modules/pathway/templates.service";
import type { StoredFlag } from "../../modules/pathway/pathway.types";
import { gid, payload } from "./util";

const LOCAL_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;
function parseLocal(v: unknown): string {
  if (typeof v !== "string" || !LOCAL_RE.test(v)) throw new GraphQLError(`LocalDateTime must be YYYY-MM-DDTHH:mm[:ss] without offset (got ${JSON.stringify(v)})`);
  return v;
}
export const LocalDateTime = new GraphQLScalarType<string, string>({
  name: "LocalDateTime",
  serialize: (v) => String(v),
  parseValue: parseLocal,
  parseLiteral: (ast) => parseLocal(ast.kind === Kind.STRING ? ast.value : undefined),
});

const need = <T>(v: T | null | undefined, what: string): T => {
  if (v === null || v === undefined) throw new Error(`${what} missing (referential integrity)`);
  return v;
};
const tpl = (d: Record<string, unknown>) => d as unknown as Tpl;
const off = (o: Offset | null | undefined) => (o ? { ...o } : null);

/** Flags of a course's latest check (or those naming one event). */
async function courseFlags(ctx: RequestContext, courseId: string): Promise<StoredFlag[]> {
  return flagsOf(await pathwayLoaders(ctx).latestCheck.load(courseId));
}

export const pathwayResolvers: Resolvers = {
  Query: {
    protocolTemplates: (_p, { allVersions }, ctx) => TemplateService.list(ctx, allVersions ?? false),
    careEvents: (_p, args, ctx) => ScheduleService.list(ctx, args),
    careWorklist: (_p, { filter }, ctx) => ScheduleService.worklist(ctx, filter),
    patientEligibility: (_p, args, ctx) => EligibilityService.evaluate(ctx, args),
    cycleGoNoGo: (_p, { cycleId }, ctx) => DecisionService.goNoGo(ctx, cycleId),
    calendarFeeds: (_p, _a, ctx) => CalendarService.list(ctx),
    pathwaySettings: (_p, _a, ctx) => CalendarService.settings(ctx),
  },
  Mutation: {
    protocolTemplateCopy: (_p, { input }, ctx) => payload("template", () => TemplateService.copy(ctx, input)),
    protocolTemplateUpdate: (_p, { input }, ctx) => payload("template", () => TemplateService.update(ctx, input)),
    careEventCreate: async (_p, { input }, ctx) => withFlags(await payload("r", () => ScheduleService.create(ctx, input))),
    careEventBook: async (_p, { input }, ctx) => withFlags(await payload("r", () => ScheduleService.book(ctx, input))),
    careEventComplete: async (_p, { input }, ctx) => withFlags(await payload("r", () => ScheduleService.complete(ctx, input))),
    careEventSetStatus: async (_p, { input }, ctx) => withFlags(await payload("r", () => ScheduleService.setStatus(ctx, input))),
    careEventsBook: async (_p, { input }, ctx) => {
      const r = await payload("r", () => ScheduleService.bookMany(ctx, input));
      return { careEvents: r.r?.careEvents ?? null, flags: r.r?.flags ?? [], userErrors: r.userErrors };
    },
    cycleReschedule: async (_p, { input }, ctx) => {
      const r = await payload("r", () => ScheduleService.reschedule(ctx, input));
      return { course: r.r?.course ?? null, changes: r.r?.changes ?? [], flags: r.r?.flags ?? [], userErrors: r.userErrors };
    },
    cycleRecordDecision: (_p, { input }, ctx) => payload("decision", () => DecisionService.record(ctx, input)),
    calendarFeedCreate: async (_p, _a, ctx) => {
      const r = await payload("r", () => CalendarService.create(ctx));
      return { feed: r.r?.feed ?? null, url: r.r?.url ?? null, userErrors: r.userErrors };
    },
    calendarFeedRevoke: (_p, { input }, ctx) => payload("feed", () => CalendarService.revoke(ctx, input)),
    pathwaySettingsUpdate: (_p, { input }, ctx) => payload("settings", () => CalendarService.updateSettings(ctx, input)),
  },
  ProtocolTemplate: {
    id: gid("ProtocolTemplate"),
    key: (t) => t.templateKey,
    shipped: (t) => t.siteId === null,
    latest: async (t, _a, ctx) => (await pathwayLoaders(ctx).latestVersion.load(`${t.siteId ?? ""}|${t.templateKey}`)) === t.templateVersion,
    nuclide: (t) => tpl(t.definition).radiopharmaceutical.nuclide,
    agent: (t) => tpl(t.definition).radiopharmaceutical.agent,
    cycles: (t) => tpl(t.definition).cycles,
    maxCycles: (t) => tpl(t.definition).maxCycles ?? null,
    activityPerCycleGBq: (t) => tpl(t.definition).activityPerCycleGBq,
    reducedActivityGBq: (t) => tpl(t.definition).reducedActivityGBq,
    intervalDays: (t) => tpl(t.definition).interval.days,
    intervalToleranceDays: (t) => tpl(t.definition).interval.toleranceDays,
    dosimetryGuided: (t) => tpl(t.definition).dosimetryGuided,
    events: (t) =>
      tpl(t.definition).events.map((e: EventRule) => ({
        key: e.key, kind: e.kind, label: e.label, anchor: e.anchor, offset: { ...e.offset }, windowBefore: off(e.window.before), windowAfter: off(e.window.after),
        cycles: e.cycles ?? null, repeatEvery: off(e.repeat?.every), repeatCount: e.repeat?.count ?? null, source: e.source,
      })),
    source: (t) => tpl(t.definition).source,
    caveats: (t) => tpl(t.definition).caveats,
  },
  CareEvent: {
    id: gid("CareEvent"),
    patient: async (e, _a, ctx) => need(await ctx.loaders.patient.load(e.patientId), "patient"),
    course: async (e, _a, ctx) => need(await ctx.loaders.course.load(e.courseId), "course"),
    cycle: (e, _a, ctx) => (e.cycleId ? ctx.loaders.cycle.load(e.cycleId) : null),
    dueLocal: async (e, _a, ctx) => zoned(e.dueAt, await pathwayLoaders(ctx).timeZone()).toString(),
    effectiveAt: (e) => effectiveAt(e),
    overdue: (e) => isOverdue(e, new Date()),
    fulfilledBy: async (e, _a, ctx) => {
      if (e.fulfilledLabResultId) {
        const r = await pathwayLoaders(ctx).labResult.load(e.fulfilledLabResultId);
        return r ? ({ ...r, __typename: "LabResult" } as never) : null;
      }
      if (e.fulfilledStudyId) {
        const r = await ctx.loaders.study.load(e.fulfilledStudyId);
        return r ? ({ ...r, __typename: "ImagingStudy" } as never) : null;
      }
      if (e.fulfilledCycleId) {
        const r = await ctx.loaders.cycle.load(e.fulfilledCycleId);
        return r ? ({ ...r, __typename: "TherapyCycle" } as never) : null;
      }
      return null;
    },
    flags: async (e, _a, ctx) => (await courseFlags(ctx, e.courseId)).filter((f) => f.eventIds.includes(e.id)),
  },
  CareEventFulfilment: {
    __resolveType: (obj) => (obj as unknown as { __typename: "LabResult" | "ImagingStudy" | "TherapyCycle" }).__typename,
  },
  ScheduleFlag: {
    events: async (f, _a, ctx) => (await pathwayLoaders(ctx).event.loadMany(f.eventIds)).filter((x): x is CareEventRow => !!x && !(x instanceof Error)),
    values: (f) => f.values as Record<string, unknown>,
  },
  ScheduleChange: {
    event: (c, _a, ctx) => (c.eventId ? pathwayLoaders(ctx).event.load(c.eventId) : null),
    fromDueAt: (c) => (c.fromDueAt ? new Date(c.fromDueAt) : null),
    toDueAt: (c) => (c.toDueAt ? new Date(c.toDueAt) : null),
  },
  WorklistConflict: {
    course: async (c, _a, ctx) => need(await ctx.loaders.course.load(c.courseId), "course"),
    patient: async (c, _a, ctx) => need(await ctx.loaders.patient.load(c.patientId), "patient"),
  },
  GoNoGoReport: {
    latestDecision: (r) => r.latestDecision,
  },
  LabGrade: {
    labResult: (g) => g.labResult,
  },
  CycleDecision: {
    id: gid("CycleDecision"),
    cycle: async (d, _a, ctx) => need(await ctx.loaders.cycle.load(d.cycleId), "cycle"),
    recommendation: (d) => d.recommendation,
    supersedes: (d, _a, ctx) => (d.supersedesId ? pathwayLoaders(ctx).decision.load(d.supersedesId) : null),
    decidedBy: async (d, _a, ctx) => need(await pathwayLoaders(ctx).user.load(d.decidedBy), "user"),
  },
  CalendarFeed: { id: gid("CalendarFeed") },
  TherapyCourse: {
    protocolTemplate: (c, _a, ctx) => (c.protocolTemplateId ? pathwayLoaders(ctx).template.load(c.protocolTemplateId) : null),
    protocolSnapshot: (c) => c.protocolSnapshot ?? null,
    careEvents: async (c, { kind, status }, ctx) =>
      (await pathwayLoaders(ctx).eventsByCourse.load(c.id)).filter((e) => (!kind?.length || kind.includes(e.kind)) && (!status?.length || status.includes(e.status))),
    scheduleFlags: (c, _a, ctx) => courseFlags(ctx, c.id),
    scheduleCheckedAt: async (c, _a, ctx) => (await pathwayLoaders(ctx).latestCheck.load(c.id))?.checkedAt ?? null,
  },
  TherapyCycle: {
    careEvents: (c, _a, ctx) => pathwayLoaders(ctx).eventsByCycle.load(c.id),
    decisions: (c, _a, ctx) => pathwayLoaders(ctx).decisionsByCycle.load(c.id),
    latestDecision: async (c, _a, ctx) => (await pathwayLoaders(ctx).decisionsByCycle.load(c.id))[0] ?? null,
    scheduledAt: async (c, _a, ctx) => {
      const ev = (await pathwayLoaders(ctx).eventsByCycle.load(c.id)).find((e) => e.kind === "CYCLE");
      return ev ? effectiveAt(ev) : null;
    },
  },
  Patient: {
    careEvents: async (p, { kind, status }, ctx) =>
      (await pathwayLoaders(ctx).eventsByPatient.load(p.id)).filter((e) => (!kind?.length || kind.includes(e.kind)) && (!status?.length || status.includes(e.status))),
  },
};

function withFlags(r: { r: { careEvent: CareEventRow; flags: StoredFlag[] } | null; userErrors: { field: string[]; message: string; code: string }[] }) {
  return { careEvent: r.r?.careEvent ?? null, flags: r.r?.flags ?? [], userErrors: r.userErrors as never };
}
