import type { BoardDecisionRow } from "@lutetia/db";
import type { Resolvers } from "../generated/resolvers-types";
import type { RequestContext } from "../context";
import { BoardService } from "../../modules/boards/boards.service";
import { pathwayLoaders } from "../../modules/pathway/pathway.loaders";
import { toGlobalId } from "../../shared/ids";
import { gid, payload } from "./util";

const need = <T>(v: T | null | undefined, what: string): T => {
  if (v === null || v === undefined) throw new Error(`${what} missing (referential integrity)`);
  return v;
};
const user = async (ctx: RequestContext, id: string) => need((await BoardService.usersById(ctx, [id]))[0], "user");

/** Latest decision of a case's amendment chain. */
function latestOfChain(all: BoardDecisionRow[]): BoardDecisionRow | null {
  const amended = new Set(all.map((d) => d.amendsId).filter(Boolean));
  return all.filter((d) => !amended.has(d.id)).at(-1) ?? null;
}

export const boardResolvers: Resolvers = {
  Query: {
    boardMeetings: (_p, args, ctx) => BoardService.meetings(ctx, args),
    boardNextMeeting: (_p, _a, ctx) => BoardService.next(ctx),
    boardPeople: (_p, _a, ctx) => BoardService.people(ctx),
  },
  Mutation: {
    boardMeetingCreate: (_p, { input }, ctx) => payload("meeting", () => BoardService.createMeeting(ctx, input)),
    boardMeetingUpdate: (_p, { input }, ctx) => payload("meeting", () => BoardService.updateMeeting(ctx, input)),
    boardMeetingStart: (_p, { input }, ctx) => payload("meeting", () => BoardService.transition(ctx, "START", input)),
    boardMeetingClose: (_p, { input }, ctx) => payload("meeting", () => BoardService.transition(ctx, "CLOSE", input)),
    boardMeetingCancel: (_p, { input }, ctx) => payload("meeting", () => BoardService.transition(ctx, "CANCEL", input)),
    boardCaseAdd: (_p, { input }, ctx) => payload("case", () => BoardService.addCase(ctx, input)),
    boardCaseRemove: (_p, { input }, ctx) => payload("case", () => BoardService.removeCase(ctx, input)),
    boardAgendaReorder: (_p, { input }, ctx) => payload("meeting", () => BoardService.reorder(ctx, input)),
    boardCaseFreeze: (_p, { input }, ctx) => payload("snapshot", () => BoardService.freeze(ctx, input)),
    boardDecisionRecord: (_p, { input }, ctx) => payload("decision", () => BoardService.recordDecision(ctx, input)),
    boardDecisionUpdate: (_p, { input }, ctx) => payload("decision", () => BoardService.updateDecision(ctx, input)),
    boardDecisionSign: (_p, { input }, ctx) => payload("decision", () => BoardService.signDecision(ctx, input)),
    boardDecisionAmend: (_p, { input }, ctx) => payload("decision", () => BoardService.amendDecision(ctx, input)),
    boardDecisionStartCourse: (_p, { input }, ctx) => payload("course", () => BoardService.startCourse(ctx, input)),
    boardDecisionApplyToCourse: (_p, { input }, ctx) => payload("course", () => BoardService.applyToCourse(ctx, input)),
  },
  BoardMeeting: {
    id: gid("BoardMeeting"),
    chair: (m, _a, ctx) => user(ctx, m.chairUserId),
    attendees: (m, _a, ctx) => BoardService.usersById(ctx, m.attendeeUserIds),
    cases: (m, _a, ctx) => BoardService.casesOf(ctx, m.id),
    caseCount: (m, _a, ctx) => BoardService.caseCount(ctx, m.id),
    viewerIsChair: (m, _a, ctx) => ctx.actor?.userId === m.chairUserId,
  },
  BoardCase: {
    id: gid("BoardCase"),
    meeting: async (c, _a, ctx) => need(await BoardService.meetingById(ctx, c.meetingId), "meeting"),
    patient: async (c, _a, ctx) => need(await ctx.loaders.patient.load(c.patientId), "patient"),
    livePager: (c, _a, ctx) => BoardService.livePager(ctx, c) as never,
    snapshot: (c, _a, ctx) => BoardService.snapshotOf(ctx, c),
    liveChangedSinceSnapshot: async (c, _a, ctx) => {
      const s = await BoardService.snapshotOf(ctx, c);
      if (!s) return null;
      return (await BoardService.livePager(ctx, c)).contentHash !== s.contentHash;
    },
    decisions: (c, _a, ctx) => BoardService.decisionsOfCase(ctx, c.id),
    currentDecision: async (c, _a, ctx) => latestOfChain(await BoardService.decisionsOfCase(ctx, c.id)),
    pdfPath: (c) => `/api/boards/cases/${toGlobalId("BoardCase", c.id)}/one-pager.pdf`,
  },
  BoardSnapshot: {
    id: gid("BoardCaseSnapshot"),
    content: (s) => s.content,
    frozenBy: (s, _a, ctx) => user(ctx, s.frozenBy),
  },
  BoardDecision: {
    id: gid("BoardDecision"),
    case: async (d, _a, ctx) => need(await BoardService.caseById(ctx, d.caseId), "case"),
    meeting: async (d, _a, ctx) => need(await BoardService.meetingById(ctx, d.meetingId), "meeting"),
    patient: async (d, _a, ctx) => need(await ctx.loaders.patient.load(d.patientId), "patient"),
    regimen: async (d, _a, ctx) =>
      d.outcome === "START_PRRT" || d.outcome === "RETREATMENT"
        ? {
            protocolTemplate: d.protocolTemplateId ? await pathwayLoaders(ctx).template.load(d.protocolTemplateId) : null,
            radiopharmaceutical: d.radiopharmaceuticalId ? await ctx.loaders.radiopharmaceutical.load(d.radiopharmaceuticalId) : null,
            plannedCycles: d.plannedCycles,
            activityPerCycleGBq: d.activityPerCycleGBq,
          }
        : null,
    recordedBy: (d, _a, ctx) => user(ctx, d.recordedBy),
    recordedAt: (d) => d.createdAt,
    signedBy: (d, _a, ctx) => (d.signedBy ? user(ctx, d.signedBy) : null),
    amends: (d, _a, ctx) => (d.amendsId ? BoardService.decisionById(ctx, d.amendsId) : null),
    amendedBy: (d, _a, ctx) => BoardService.amendmentOf(ctx, d.id),
    snapshot: async (d, _a, ctx) => {
      const c = need(await BoardService.caseById(ctx, d.caseId), "case");
      return need(await BoardService.snapshotOf(ctx, c), "snapshot");
    },
    course: async (d, _a, ctx) => {
      const id = await BoardService.courseOfDecision(ctx, d.id);
      return id ? ctx.loaders.course.load(id) : null;
    },
  },
  Patient: {
    boardDecisions: (p, _a, ctx) => BoardService.decisionsOfPatient(ctx, p.id),
    boardCases: (p, _a, ctx) => BoardService.casesOfPatient(ctx, p.id),
  },
  TherapyCourse: {
    boardDecisions: (c, _a, ctx) => BoardService.decisionsForCourse(ctx, c),
  },
};
