import { and, asc, count, desc, eq, gte, inArray, isNull, lte, max, ne, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import {
  appUser,
  boardCase,
  boardCaseSnapshot,
  boardDecision,
  boardDecisionCourse,
  boardMeeting,
  membership,
  patient,
  therapyCourse,
  type BoardCaseRow,
  type BoardCaseSnapshotRow,
  type BoardDecisionRow,
  type BoardMeetingRow,
  type DbOrTx,
  type Tx,
} from "@lutetia/db";
import type { RequestContext } from "../../graphql/context";
import { appendAudit } from "../../audit/audit.service";
import { forbidden, UserInputProblem } from "../../shared/errors";
import { idOf, toGlobalId } from "../../shared/ids";
import { decodeCursor, loadInScope, pageSize, toConnection } from "../../shared/records";
import { parseInput } from "../../shared/validation";
import { changeRecord } from "../../shared/versioned";
import { isoDate, nonEmpty, reason, todayUtc, version } from "../../shared/zod";
import { templateInScope } from "../pathway/pathway.repo";
import { TherapyService } from "../therapy/therapy.service";
import { agendaEditable, decisionProblems, inSession, mayChair, signable, signProblem, transitionProblem, type DecisionFields, type MeetingTransition } from "./boards.policy";
import { contentHash } from "./canonical";
import { buildOnePager, type OnePager } from "./onepager";

/**
 * Tumour boards: meetings (SCHEDULED → IN_PROGRESS → CLOSED, or CANCELLED), their agenda of
 * cases, the frozen one-pager snapshot of each case and the board's structured decision, signed
 * by the meeting's chair. Permissions: `board:manage` schedules meetings and edits agendas;
 * `board:decide` freezes one-pagers and records, signs (chair only) and amends decisions;
 * reading is `patient:read`. Every write is audited in its transaction.
 */

const ids = z.array(z.string()).max(50, "must list at most 50 users");
const MeetingCreate = z.object({
  title: nonEmpty(200),
  scheduledAt: z.date({ message: "must be a date-time" }),
  location: z.string().trim().max(200, "must be at most 200 characters").nullish(),
  chairId: z.string(),
  attendeeIds: ids.nullish(),
});
const MeetingUpdate = z.object({
  id: z.string(),
  version,
  title: nonEmpty(200).nullish(),
  scheduledAt: z.date({ message: "must be a date-time" }).nullish(),
  location: z.string().trim().max(200, "must be at most 200 characters").nullish(),
  chairId: z.string().nullish(),
  attendeeIds: ids.nullish(),
});
const VersionInput = z.object({ id: z.string(), version });
const CancelInput = z.object({ id: z.string(), version, reason });
const QUESTIONS = ["ELIGIBILITY", "CONTINUE_OR_MODIFY", "RESPONSE", "RETREATMENT", "OTHER"] as const;
const CaseAdd = z.object({
  meetingId: z.string(),
  patientId: z.string(),
  question: z.enum(QUESTIONS),
  questionText: z.string().trim().max(1000, "must be at most 1000 characters").nullish(),
});
const CaseRemove = z.object({ id: z.string(), version, reason: z.string().trim().max(500, "must be at most 500 characters").nullish() });
const Reorder = z.object({ meetingId: z.string(), caseIds: z.array(z.string()).min(1, "must list the agenda's cases") });
const OUTCOMES = ["START_PRRT", "CONTINUE", "MODIFY_ACTIVITY", "DELAY", "STOP", "RETREATMENT", "OTHER"] as const;
const decisionShape = {
  outcome: z.enum(OUTCOMES),
  protocolTemplateId: z.string().nullish(),
  radiopharmaceuticalId: z.string().nullish(),
  plannedCycles: z.number().nullish(),
  activityPerCycleGBq: z.number().nullish(),
  newActivityGBq: z.number().nullish(),
  delayUntil: isoDate.nullish(),
  delayWeeks: z.number().nullish(),
  // Emptiness is checked with the outcome's fields (decisionProblems), so every problem shows at once.
  rationale: z.string().trim().max(4000, "must be at most 4000 characters"),
  votesFor: z.number().nullish(),
  votesAgainst: z.number().nullish(),
  votesAbstain: z.number().nullish(),
  consensus: z.boolean().nullish(),
};
const DecisionRecord = z.object({ caseId: z.string(), ...decisionShape });
const DecisionUpdate = z.object({ id: z.string(), version, ...decisionShape });
const DecisionAmend = z.object({ amendsId: z.string(), ...decisionShape });
const localDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, "must be a local date-time YYYY-MM-DDTHH:mm");
const ApplyToCourse = z.object({ decisionId: z.string(), courseId: z.string(), courseVersion: z.number().int().min(1) });
const StartCourse = z.object({ decisionId: z.string(), firstAdministrationAt: localDateTime.nullish(), firstCycleDate: isoDate.nullish(), intervalDays: z.number().int().min(28).max(120).nullish() });

type DecisionInput = z.infer<typeof DecisionRecord>;

const withInput = (e: unknown): never => {
  if (e instanceof UserInputProblem) throw new UserInputProblem(e.errors.map((x) => ({ ...x, field: x.field[0] === "input" ? x.field : ["input", ...x.field] })));
  throw e;
};

/** Roles of users at a site: userId → roles. */
async function rolesAtSite(db: DbOrTx, siteId: string, userIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (userIds.length === 0) return out;
  const rows = await db.select({ userId: membership.userId, role: membership.role }).from(membership).innerJoin(appUser, eq(appUser.id, membership.userId))
    .where(and(eq(membership.siteId, siteId), inArray(membership.userId, userIds), eq(appUser.active, true)));
  for (const r of rows) out.set(r.userId, [...(out.get(r.userId) ?? []), r.role]);
  return out;
}

/** Decodes and checks the chair and attendees: chair BOARD_MEMBER/PHYSICIAN at the site; attendees members of the site. */
async function people(ctx: RequestContext, chairGid: string | null | undefined, attendeeGids: string[] | null | undefined): Promise<{ chair?: string; attendees?: string[] }> {
  const actor = ctx.requireActor();
  const out: { chair?: string; attendees?: string[] } = {};
  const decode = (gid: string, field: string[]) => {
    const id = idOf(gid, "User");
    if (!id) throw UserInputProblem.of(field, `is not a User id (got ${JSON.stringify(gid)})`, "NOT_FOUND");
    return id;
  };
  const chair = chairGid ? decode(chairGid, ["input", "chairId"]) : undefined;
  const attendees = attendeeGids ? attendeeGids.map((g, i) => decode(g, ["input", "attendeeIds", String(i)])) : undefined;
  const roles = await rolesAtSite(ctx.db, actor.siteId, [...(chair ? [chair] : []), ...(attendees ?? [])]);
  if (chair) {
    const r = roles.get(chair);
    if (!r) throw UserInputProblem.of(["input", "chairId"], "User not found at this site", "NOT_FOUND");
    if (!mayChair(r)) throw UserInputProblem.of(["input", "chairId"], `must be a board member or physician at this site (the user's roles: ${r.join(", ")})`);
    out.chair = chair;
  }
  if (attendees) {
    for (const [i, a] of attendees.entries()) if (!roles.has(a)) throw UserInputProblem.of(["input", "attendeeIds", String(i)], "User not found at this site", "NOT_FOUND");
    out.attendees = [...new Set(attendees)];
  }
  return out;
}

async function meetingOfCase(db: DbOrTx, c: BoardCaseRow): Promise<BoardMeetingRow> {
  const [m] = await db.select().from(boardMeeting).where(eq(boardMeeting.id, c.meetingId));
  if (!m) throw new Error("case without meeting (referential integrity)");
  return m;
}

async function snapshotOfCase(db: DbOrTx, caseId: string): Promise<BoardCaseSnapshotRow | null> {
  const [s] = await db.select().from(boardCaseSnapshot).where(eq(boardCaseSnapshot.caseId, caseId));
  return s ?? null;
}

/** Resolves a decision input's references and checks the outcome's fields (policy). Returns the row values. */
async function decisionValues(ctx: RequestContext, v: Omit<DecisionInput, "caseId">) {
  const actor = ctx.requireActor();
  const fields: DecisionFields = v;
  const problems = decisionProblems(fields, todayUtc());
  if (problems.length) throw new UserInputProblem(problems.map((p) => ({ field: ["input", p.field], message: p.message, code: "INVALID" as const })));
  let protocolTemplateId: string | null = null;
  let radiopharmaceuticalId: string | null = null;
  if (v.protocolTemplateId) {
    const tid = idOf(v.protocolTemplateId, "ProtocolTemplate");
    const t = tid ? await templateInScope(ctx.db, actor.siteId, tid) : null;
    if (!t) throw UserInputProblem.of(["input", "protocolTemplateId"], `ProtocolTemplate not found (got ${JSON.stringify(v.protocolTemplateId)})`, "NOT_FOUND");
    protocolTemplateId = t.id;
  }
  if (v.radiopharmaceuticalId) {
    const rid = idOf(v.radiopharmaceuticalId, "Radiopharmaceutical");
    const rp = rid ? await ctx.loaders.radiopharmaceutical.load(rid) : null;
    if (!rp) throw UserInputProblem.of(["input", "radiopharmaceuticalId"], `Radiopharmaceutical not found (got ${JSON.stringify(v.radiopharmaceuticalId)})`, "NOT_FOUND");
    if (rp.use !== "THERAPY" || !rp.active) throw UserInputProblem.of(["input", "radiopharmaceuticalId"], `must be an active therapy agent (got ${rp.name}, use ${rp.use})`);
    radiopharmaceuticalId = rp.id;
  }
  return {
    outcome: v.outcome, protocolTemplateId, radiopharmaceuticalId, plannedCycles: v.plannedCycles ?? null, activityPerCycleGBq: v.activityPerCycleGBq ?? null,
    newActivityGBq: v.newActivityGBq ?? null, delayUntil: v.delayUntil ?? null, delayWeeks: v.delayWeeks ?? null, rationale: v.rationale,
    votesFor: v.votesFor ?? null, votesAgainst: v.votesAgainst ?? null, votesAbstain: v.votesAbstain ?? null, consensus: v.consensus ?? false,
  };
}

/** What the chair's signature covers (hashed): the decision, the snapshot it was made against, signer and time. */
export function signedContent(d: BoardDecisionRow, snapshotHash: string, signedBy: string, signedAt: Date) {
  return {
    decisionId: d.id, caseId: d.caseId, meetingId: d.meetingId, patientId: d.patientId, snapshotId: d.snapshotId, snapshotHash, amendsId: d.amendsId,
    outcome: d.outcome, protocolTemplateId: d.protocolTemplateId, radiopharmaceuticalId: d.radiopharmaceuticalId, plannedCycles: d.plannedCycles,
    activityPerCycleGBq: d.activityPerCycleGBq, newActivityGBq: d.newActivityGBq, delayUntil: d.delayUntil, delayWeeks: d.delayWeeks, rationale: d.rationale,
    votesFor: d.votesFor, votesAgainst: d.votesAgainst, votesAbstain: d.votesAbstain, consensus: d.consensus, signedBy, signedAt: signedAt.toISOString(),
  };
}

const livePagers = new WeakMap<RequestContext, Map<string, Promise<{ content: OnePager; contentHash: string; generatedAt: Date }>>>();

export interface MeetingListArgs {
  filter?: { status?: BoardMeetingRow["status"][] | null; from?: Date | null; to?: Date | null; search?: string | null } | null;
  orderBy?: { field: "SCHEDULED_AT" | "TITLE" | "STATUS"; direction: "ASC" | "DESC" } | null;
  first?: number | null;
  after?: string | null;
}

export const BoardService = {
  // ------------------------------------------------------------------ reads

  async meetings(ctx: RequestContext, args: MeetingListArgs) {
    const actor = ctx.authorize("patient:read");
    const first = pageSize(args.first);
    const offset = decodeCursor(args.after);
    const where: SQL[] = [eq(boardMeeting.siteId, actor.siteId)];
    const f = args.filter ?? {};
    if (f.status?.length) where.push(inArray(boardMeeting.status, f.status));
    if (f.from) where.push(gte(boardMeeting.scheduledAt, f.from));
    if (f.to) where.push(lte(boardMeeting.scheduledAt, f.to));
    if (f.search?.trim()) where.push(sql`lower(${boardMeeting.title}) like ${`%${f.search.trim().toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`}`);
    const dir = args.orderBy?.direction === "ASC" ? asc : desc;
    const col = args.orderBy?.field === "TITLE" ? boardMeeting.title : args.orderBy?.field === "STATUS" ? boardMeeting.status : boardMeeting.scheduledAt;
    const rows = await ctx.db.select().from(boardMeeting).where(and(...where)).orderBy(dir(col), dir(boardMeeting.scheduledAt), asc(boardMeeting.id)).limit(first + 1).offset(offset);
    const [n] = await ctx.db.select({ n: count() }).from(boardMeeting).where(and(...where));
    return toConnection(rows, offset, first, Number(n?.n ?? 0));
  },

  /** The meeting in progress, else the next scheduled one (from 12 h ago on). */
  async next(ctx: RequestContext): Promise<BoardMeetingRow | null> {
    const actor = ctx.authorize("patient:read");
    const [running] = await ctx.db.select().from(boardMeeting).where(and(eq(boardMeeting.siteId, actor.siteId), eq(boardMeeting.status, "IN_PROGRESS"))).orderBy(asc(boardMeeting.scheduledAt)).limit(1);
    if (running) return running;
    const [m] = await ctx.db.select().from(boardMeeting)
      .where(and(eq(boardMeeting.siteId, actor.siteId), eq(boardMeeting.status, "SCHEDULED"), gte(boardMeeting.scheduledAt, new Date(Date.now() - 12 * 3_600_000))))
      .orderBy(asc(boardMeeting.scheduledAt)).limit(1);
    return m ?? null;
  },

  async meetingById(ctx: RequestContext, id: string): Promise<BoardMeetingRow | null> {
    const actor = ctx.requireActor();
    const [m] = await ctx.db.select().from(boardMeeting).where(and(eq(boardMeeting.id, id), eq(boardMeeting.siteId, actor.siteId)));
    return m ?? null;
  },

  async caseById(ctx: RequestContext, id: string): Promise<BoardCaseRow | null> {
    const actor = ctx.requireActor();
    const [c] = await ctx.db.select().from(boardCase).where(and(eq(boardCase.id, id), eq(boardCase.siteId, actor.siteId)));
    if (c) ctx.recordRead("BoardCase", c.id, c.patientId);
    return c ?? null;
  },

  async decisionById(ctx: RequestContext, id: string): Promise<BoardDecisionRow | null> {
    const actor = ctx.requireActor();
    const [d] = await ctx.db.select().from(boardDecision).where(and(eq(boardDecision.id, id), eq(boardDecision.siteId, actor.siteId)));
    if (d) ctx.recordRead("BoardDecision", d.id, d.patientId);
    return d ?? null;
  },

  /** Number of active agenda items (no patient data is read). */
  async caseCount(ctx: RequestContext, meetingId: string): Promise<number> {
    const actor = ctx.requireActor();
    const [r] = await ctx.db.select({ n: count() }).from(boardCase).where(and(eq(boardCase.meetingId, meetingId), eq(boardCase.siteId, actor.siteId), isNull(boardCase.removedAt)));
    return Number(r?.n ?? 0);
  },

  /** Active agenda of a meeting, in order. */
  async casesOf(ctx: RequestContext, meetingId: string): Promise<BoardCaseRow[]> {
    const actor = ctx.requireActor();
    const rows = await ctx.db.select().from(boardCase).where(and(eq(boardCase.meetingId, meetingId), eq(boardCase.siteId, actor.siteId), isNull(boardCase.removedAt))).orderBy(asc(boardCase.position), asc(boardCase.createdAt));
    for (const c of rows) ctx.recordRead("BoardCase", c.id, c.patientId);
    return rows;
  },

  async snapshotOf(ctx: RequestContext, caseRow: BoardCaseRow): Promise<BoardCaseSnapshotRow | null> {
    const s = await snapshotOfCase(ctx.db, caseRow.id);
    if (s) ctx.recordRead("BoardCaseSnapshot", s.id, s.patientId);
    return s;
  },

  /** The live one-pager of a case, with its content hash (comparable with the snapshot's). */
  async livePager(ctx: RequestContext, caseRow: BoardCaseRow): Promise<{ content: OnePager; contentHash: string; generatedAt: Date }> {
    ctx.authorize("patient:read");
    // Once per request and case (livePager and liveChangedSinceSnapshot both need it).
    let perRequest = livePagers.get(ctx);
    if (!perRequest) livePagers.set(ctx, (perRequest = new Map()));
    let pending = perRequest.get(caseRow.id);
    if (!pending) {
      pending = (async () => {
        const [p] = await ctx.db.select().from(patient).where(eq(patient.id, caseRow.patientId));
        if (!p) throw new Error("case without patient (referential integrity)");
        const content = await buildOnePager(ctx, p, { excludeCaseId: caseRow.id });
        return { content, contentHash: contentHash(content), generatedAt: new Date() };
      })();
      perRequest.set(caseRow.id, pending);
    }
    return pending;
  },

  /** The one-pager of a case by global ID: the snapshot when frozen, else live (PDF export). */
  async pagerForExport(ctx: RequestContext, caseGlobalId: string) {
    ctx.authorize("patient:read");
    const id = idOf(caseGlobalId, "BoardCase");
    const c = id ? await this.caseById(ctx, id) : null;
    if (!c) {
      if (id) ctx.recordOutOfScope("BoardCase", id, "board_case.export");
      return null;
    }
    const meeting = await meetingOfCase(ctx.db, c);
    const snap = await this.snapshotOf(ctx, c);
    const decisions = await this.decisionsOfCase(ctx, c.id);
    if (snap) return { caseRow: c, meeting, content: snap.content as unknown as OnePager, contentHash: snap.contentHash, frozenAt: snap.frozenAt, generatedAt: new Date(), decisions };
    const live = await this.livePager(ctx, c);
    return { caseRow: c, meeting, content: live.content, contentHash: live.contentHash, frozenAt: null, generatedAt: live.generatedAt, decisions };
  },

  async decisionsOfCase(ctx: RequestContext, caseId: string): Promise<BoardDecisionRow[]> {
    const actor = ctx.requireActor();
    const rows = await ctx.db.select().from(boardDecision).where(and(eq(boardDecision.caseId, caseId), eq(boardDecision.siteId, actor.siteId))).orderBy(asc(boardDecision.createdAt));
    for (const d of rows) ctx.recordRead("BoardDecision", d.id, d.patientId);
    return rows;
  },

  async decisionsOfPatient(ctx: RequestContext, patientId: string): Promise<BoardDecisionRow[]> {
    const actor = ctx.authorize("patient:read");
    const rows = await ctx.db.select().from(boardDecision).where(and(eq(boardDecision.patientId, patientId), eq(boardDecision.siteId, actor.siteId))).orderBy(desc(boardDecision.createdAt));
    for (const d of rows) ctx.recordRead("BoardDecision", d.id, d.patientId);
    return rows;
  },

  async casesOfPatient(ctx: RequestContext, patientId: string): Promise<BoardCaseRow[]> {
    const actor = ctx.authorize("patient:read");
    const rows = await ctx.db.select({ c: boardCase }).from(boardCase).innerJoin(boardMeeting, eq(boardMeeting.id, boardCase.meetingId))
      .where(and(eq(boardCase.patientId, patientId), eq(boardCase.siteId, actor.siteId), isNull(boardCase.removedAt))).orderBy(desc(boardMeeting.scheduledAt));
    for (const r of rows) ctx.recordRead("BoardCase", r.c.id, r.c.patientId);
    return rows.map((r) => r.c);
  },

  async amendmentOf(ctx: RequestContext, decisionId: string): Promise<BoardDecisionRow | null> {
    const [d] = await ctx.db.select().from(boardDecision).where(eq(boardDecision.amendsId, decisionId));
    return d ?? null;
  },

  async courseOfDecision(ctx: RequestContext, decisionId: string): Promise<string | null> {
    const [l] = await ctx.db.select().from(boardDecisionCourse).where(eq(boardDecisionCourse.decisionId, decisionId));
    return l?.courseId ?? null;
  },

  /**
   * Signed decisions that bear on a course: the one that started it, and CONTINUE /
   * MODIFY_ACTIVITY / DELAY / STOP decisions signed while the course ran (from its creation to
   * the day after it ended).
   */
  async decisionsForCourse(ctx: RequestContext, course: { id: string; patientId: string; createdAt: Date; endedOn: string | null }): Promise<BoardDecisionRow[]> {
    const all = (await this.decisionsOfPatient(ctx, course.patientId)).filter((d) => d.status === "SIGNED");
    const links = all.length ? await ctx.db.select().from(boardDecisionCourse).where(inArray(boardDecisionCourse.decisionId, all.map((d) => d.id))) : [];
    const started = new Set(links.filter((l) => l.courseId === course.id).map((l) => l.decisionId));
    const end = course.endedOn ? new Date(Date.parse(`${course.endedOn}T00:00:00Z`) + 2 * 86_400_000) : null;
    return all.filter((d) => started.has(d.id) || (["MODIFY_ACTIVITY", "DELAY", "STOP", "CONTINUE"].includes(d.outcome) && d.signedAt! >= course.createdAt && (!end || d.signedAt! < end)));
  },

  /** Users of the site: who may chair (BOARD_MEMBER / PHYSICIAN) and everyone who may attend. */
  async people(ctx: RequestContext) {
    const actor = ctx.authorize("patient:read");
    const rows = await ctx.db.select({ u: appUser, role: membership.role }).from(membership).innerJoin(appUser, eq(appUser.id, membership.userId))
      .where(and(eq(membership.siteId, actor.siteId), eq(appUser.active, true))).orderBy(asc(appUser.displayName));
    const members = new Map<string, typeof appUser.$inferSelect>();
    const chairs = new Map<string, typeof appUser.$inferSelect>();
    for (const r of rows) {
      members.set(r.u.id, r.u);
      if (mayChair([r.role])) chairs.set(r.u.id, r.u);
    }
    return { chairs: [...chairs.values()], members: [...members.values()] };
  },

  async usersById(ctx: RequestContext, userIds: string[]) {
    if (userIds.length === 0) return [];
    const rows = await ctx.db.select().from(appUser).where(inArray(appUser.id, userIds));
    const by = new Map(rows.map((u) => [u.id, u] as const));
    return userIds.map((id) => by.get(id)).filter((u): u is NonNullable<typeof u> => !!u);
  },

  // ------------------------------------------------------------------ meetings

  async createMeeting(ctx: RequestContext, input: unknown): Promise<BoardMeetingRow> {
    const actor = ctx.authorize("board:manage");
    const v = parseInput(MeetingCreate, input);
    const who = await people(ctx, v.chairId, v.attendeeIds ?? []);
    return ctx.db.transaction(async (tx) => {
      const [m] = await tx.insert(boardMeeting).values({
        siteId: actor.siteId, title: v.title, scheduledAt: v.scheduledAt, location: v.location || null, chairUserId: who.chair!, attendeeUserIds: who.attendees ?? [], createdBy: actor.userId,
      }).returning();
      await appendAudit(tx, [ctx.writeEntry("board.meeting.create", "BoardMeeting", m!.id, null, { attendees: (who.attendees ?? []).length })]);
      return m!;
    });
  },

  async updateMeeting(ctx: RequestContext, input: unknown): Promise<BoardMeetingRow> {
    ctx.authorize("board:manage");
    const v = parseInput(MeetingUpdate, input);
    const who = await people(ctx, v.chairId, v.attendeeIds);
    const patch: Partial<BoardMeetingRow> = {};
    if (v.title) patch.title = v.title;
    if (v.scheduledAt) patch.scheduledAt = v.scheduledAt;
    if (v.location !== undefined && v.location !== null) patch.location = v.location || null;
    if (who.chair) patch.chairUserId = who.chair;
    if (who.attendees) patch.attendeeUserIds = who.attendees;
    return changeRecord(ctx, {
      table: boardMeeting, type: "BoardMeeting", action: "board.meeting.update", globalId: v.id, version: v.version, patch,
      check: (cur) => {
        if (cur.status === "CLOSED" || cur.status === "CANCELLED") throw UserInputProblem.of(["input", "id"], `a ${cur.status} meeting cannot be changed`);
        const newChair = patch.chairUserId !== undefined && patch.chairUserId !== cur.chairUserId;
        const newTime = patch.scheduledAt !== undefined && patch.scheduledAt.getTime() !== cur.scheduledAt.getTime();
        if (cur.status === "IN_PROGRESS" && (newChair || newTime)) throw UserInputProblem.of(["input", newChair ? "chairId" : "scheduledAt"], "cannot change once the meeting has started");
      },
    });
  },

  async transition(ctx: RequestContext, t: MeetingTransition, input: unknown): Promise<BoardMeetingRow> {
    ctx.authorize("board:manage");
    const v = parseInput(t === "CANCEL" ? CancelInput : VersionInput, input) as { id: string; version: number; reason?: string };
    const now = new Date();
    const patch: Partial<BoardMeetingRow> =
      t === "START" ? { status: "IN_PROGRESS", startedAt: now } : t === "CLOSE" ? { status: "CLOSED", closedAt: now } : { status: "CANCELLED", cancelReason: v.reason! };
    return changeRecord(ctx, {
      table: boardMeeting, type: "BoardMeeting", action: `board.meeting.${t.toLowerCase()}`, globalId: v.id, version: v.version, patch, reason: v.reason ?? null,
      check: (cur) => {
        const p = transitionProblem(cur.status, t);
        if (p) throw UserInputProblem.of(["input", "id"], p);
      },
    });
  },

  // ------------------------------------------------------------------ agenda

  async addCase(ctx: RequestContext, input: unknown): Promise<BoardCaseRow> {
    const actor = ctx.authorize("board:manage");
    const v = parseInput(CaseAdd, input);
    const m = await loadInScope(ctx, boardMeeting, "BoardMeeting", v.meetingId, ["input", "meetingId"]);
    const p = await loadInScope(ctx, patient, "Patient", v.patientId, ["input", "patientId"]);
    if (!agendaEditable(m.status)) throw UserInputProblem.of(["input", "meetingId"], `the agenda of a ${m.status} meeting cannot be changed (only before the meeting)`);
    if (v.question === "OTHER" && !v.questionText) throw UserInputProblem.of(["input", "questionText"], "is required when the question is OTHER");
    const [dup] = await ctx.db.select({ id: boardCase.id }).from(boardCase).where(and(eq(boardCase.meetingId, m.id), eq(boardCase.patientId, p.id), isNull(boardCase.removedAt)));
    if (dup) throw UserInputProblem.of(["input", "patientId"], "this patient is already on the meeting's agenda", "DUPLICATE");
    return ctx.db.transaction(async (tx) => {
      const [mx] = await tx.select({ n: max(boardCase.position) }).from(boardCase).where(and(eq(boardCase.meetingId, m.id), isNull(boardCase.removedAt)));
      const [c] = await tx.insert(boardCase).values({ siteId: actor.siteId, meetingId: m.id, patientId: p.id, question: v.question, questionText: v.questionText || null, position: (mx?.n ?? 0) + 1, createdBy: actor.userId }).returning();
      await appendAudit(tx, [ctx.writeEntry("board.case.add", "BoardCase", c!.id, p.id, { meetingId: m.id, question: v.question })]);
      return c!;
    });
  },

  async removeCase(ctx: RequestContext, input: unknown): Promise<BoardCaseRow> {
    ctx.authorize("board:manage");
    const v = parseInput(CaseRemove, input);
    return changeRecord(ctx, {
      table: boardCase, type: "BoardCase", action: "board.case.remove", globalId: v.id, version: v.version, patch: { removedAt: new Date(), removedReason: v.reason || null }, reason: v.reason ?? null,
      check: async (cur) => {
        if (cur.removedAt) throw UserInputProblem.of(["input", "id"], "the case is already removed from the agenda");
        const m = await meetingOfCase(ctx.db, cur);
        if (!agendaEditable(m.status)) throw UserInputProblem.of(["input", "id"], `the agenda of a ${m.status} meeting cannot be changed (only before the meeting)`);
      },
    });
  },

  /** Sets the agenda order: `caseIds` must be exactly the meeting's active cases. */
  async reorder(ctx: RequestContext, input: unknown): Promise<BoardMeetingRow> {
    ctx.authorize("board:manage");
    const v = parseInput(Reorder, input);
    const m = await loadInScope(ctx, boardMeeting, "BoardMeeting", v.meetingId, ["input", "meetingId"]);
    if (!agendaEditable(m.status)) throw UserInputProblem.of(["input", "meetingId"], `the agenda of a ${m.status} meeting cannot be changed (only before the meeting)`);
    const active = await this.casesOf(ctx, m.id);
    const want = v.caseIds.map((g, i) => {
      const id = idOf(g, "BoardCase");
      if (!id || !active.some((c) => c.id === id)) throw UserInputProblem.of(["input", "caseIds", String(i)], `is not a case on this meeting's agenda (got ${JSON.stringify(g)})`, "NOT_FOUND");
      return id;
    });
    if (new Set(want).size !== want.length || want.length !== active.length) throw UserInputProblem.of(["input", "caseIds"], `must list each of the agenda's ${active.length} cases exactly once (got ${want.length})`);
    return ctx.db.transaction(async (tx) => {
      for (const [i, id] of want.entries()) {
        await tx.update(boardCase).set({ position: i + 1, version: sql`${boardCase.version} + 1`, updatedAt: new Date() }).where(and(eq(boardCase.id, id), ne(boardCase.position, i + 1)));
      }
      await appendAudit(tx, [ctx.writeEntry("board.agenda.reorder", "BoardMeeting", m.id, null, { cases: want.length })]);
      return m;
    });
  },

  // ------------------------------------------------------------------ snapshot

  /** Freezes the case's live one-pager (once per case; immutable afterwards). */
  async freeze(ctx: RequestContext, input: unknown): Promise<BoardCaseSnapshotRow> {
    const actor = ctx.authorize("board:decide");
    const v = parseInput(z.object({ caseId: z.string() }), input);
    const c = await loadInScope(ctx, boardCase, "BoardCase", v.caseId, ["input", "caseId"]);
    if (c.removedAt) throw UserInputProblem.of(["input", "caseId"], "the case was removed from the agenda");
    const m = await meetingOfCase(ctx.db, c);
    if (!inSession(m.status)) throw UserInputProblem.of(["input", "caseId"], `one-pagers are frozen during the meeting (the meeting is ${m.status})`);
    const existing = await snapshotOfCase(ctx.db, c.id);
    if (existing) throw UserInputProblem.of(["input", "caseId"], `the one-pager was already frozen at ${existing.frozenAt.toISOString()}; a snapshot is never replaced`, "DUPLICATE");
    const live = await this.livePager(ctx, c);
    return ctx.db.transaction(async (tx) => {
      const [s] = await tx.insert(boardCaseSnapshot).values({
        siteId: actor.siteId, caseId: c.id, meetingId: m.id, patientId: c.patientId, content: live.content as unknown as Record<string, unknown>, contentHash: live.contentHash, frozenBy: actor.userId,
      }).returning();
      await appendAudit(tx, [ctx.writeEntry("board.case.freeze", "BoardCaseSnapshot", s!.id, c.patientId, { caseId: c.id, contentHash: live.contentHash })]);
      return s!;
    });
  },

  // ------------------------------------------------------------------ decisions

  async recordDecision(ctx: RequestContext, input: unknown): Promise<BoardDecisionRow> {
    const actor = ctx.authorize("board:decide");
    const v = parseInput(DecisionRecord, input);
    const c = await loadInScope(ctx, boardCase, "BoardCase", v.caseId, ["input", "caseId"]);
    if (c.removedAt) throw UserInputProblem.of(["input", "caseId"], "the case was removed from the agenda");
    const m = await meetingOfCase(ctx.db, c);
    if (!inSession(m.status)) throw UserInputProblem.of(["input", "caseId"], `decisions are recorded during the meeting (the meeting is ${m.status}); amend a signed decision instead`);
    const snap = await snapshotOfCase(ctx.db, c.id);
    if (!snap) throw UserInputProblem.of(["input", "caseId"], "freeze the case's one-pager first: a decision is recorded against what the board saw");
    const [existing] = await ctx.db.select({ id: boardDecision.id, status: boardDecision.status }).from(boardDecision).where(eq(boardDecision.caseId, c.id)).limit(1);
    if (existing) throw UserInputProblem.of(["input", "caseId"], existing.status === "DRAFT" ? "the case already has a draft decision: edit it" : "the case already has a signed decision: amend it", "DUPLICATE");
    const values = await decisionValues(ctx, v);
    return ctx.db.transaction(async (tx) => {
      const [d] = await tx.insert(boardDecision).values({ ...values, siteId: actor.siteId, caseId: c.id, meetingId: m.id, patientId: c.patientId, snapshotId: snap.id, recordedBy: actor.userId }).returning();
      await appendAudit(tx, [ctx.writeEntry("board.decision.record", "BoardDecision", d!.id, c.patientId, { outcome: values.outcome, caseId: c.id })]);
      return d!;
    });
  },

  /** Edits a DRAFT decision (versioned); a signed decision is refused — amend it. */
  async updateDecision(ctx: RequestContext, input: unknown): Promise<BoardDecisionRow> {
    ctx.authorize("board:decide");
    const v = parseInput(DecisionUpdate, input);
    const values = await decisionValues(ctx, v).catch(withInput);
    return changeRecord(ctx, {
      table: boardDecision, type: "BoardDecision", action: "board.decision.update", globalId: v.id, version: v.version, patch: values,
      check: (cur) => {
        if (cur.status === "SIGNED") throw UserInputProblem.of(["input", "id"], "a signed decision is immutable; amend it instead");
      },
    });
  },

  /**
   * The chair signs a DRAFT: status SIGNED, signer, time and the SHA-256 of the signed content.
   * Anyone but the meeting's chair is FORBIDDEN (audited as DENIED), whatever their role.
   */
  async signDecision(ctx: RequestContext, input: unknown): Promise<BoardDecisionRow> {
    const actor = ctx.authorize("board:decide");
    const v = parseInput(VersionInput, input);
    const id = idOf(v.id, "BoardDecision");
    const d = id ? await this.decisionById(ctx, id) : null;
    if (!d) {
      if (id) ctx.recordOutOfScope("BoardDecision", id, "board.decision.sign");
      throw UserInputProblem.of(["input", "id"], "BoardDecision not found", "NOT_FOUND");
    }
    const [m] = await ctx.db.select().from(boardMeeting).where(eq(boardMeeting.id, d.meetingId));
    const problem = signProblem(m!, d, actor.userId);
    if (problem?.code === "FORBIDDEN") {
      await appendAudit(ctx.db, [{ ...ctx.writeEntry("board.decision.sign", "BoardDecision", d.id, d.patientId, { reason: "NOT_CHAIR" }), outcome: "DENIED" }]);
      throw forbidden("board.decision.sign (only the meeting's chair signs)");
    }
    if (problem) throw UserInputProblem.of(["input", "id"], problem.message);
    if (d.version !== v.version) throw UserInputProblem.of(["input", "version"], `BoardDecision was changed by someone else (you saw version ${v.version}, current is ${d.version}); reload before signing`, "CONFLICT");
    const snap = await snapshotOfCase(ctx.db, d.caseId);
    const signedAt = new Date();
    const hash = contentHash(signedContent(d, snap!.contentHash, actor.userId, signedAt));
    return ctx.db.transaction(async (tx) => {
      const [row] = await tx.update(boardDecision)
        .set({ status: "SIGNED", signedAt, signedBy: actor.userId, contentHash: hash, version: sql`${boardDecision.version} + 1`, updatedAt: signedAt })
        .where(and(eq(boardDecision.id, d.id), eq(boardDecision.version, v.version), eq(boardDecision.status, "DRAFT")))
        .returning();
      if (!row) throw UserInputProblem.of(["input", "version"], "BoardDecision was changed concurrently; reload", "CONFLICT");
      await appendAudit(tx, [ctx.writeEntry("board.decision.sign", "BoardDecision", d.id, d.patientId, { contentHash: hash, outcome: d.outcome })]);
      return row;
    });
  },

  /** A new DRAFT decision amending a signed one (the signed one is never touched); the chain is linear. */
  async amendDecision(ctx: RequestContext, input: unknown): Promise<BoardDecisionRow> {
    const actor = ctx.authorize("board:decide");
    const v = parseInput(DecisionAmend, input);
    const prev = await loadInScope(ctx, boardDecision, "BoardDecision", v.amendsId, ["input", "amendsId"]);
    if (prev.status !== "SIGNED") throw UserInputProblem.of(["input", "amendsId"], "only a signed decision can be amended (edit the draft instead)");
    const [m] = await ctx.db.select().from(boardMeeting).where(eq(boardMeeting.id, prev.meetingId));
    if (!signable(m!.status)) throw UserInputProblem.of(["input", "amendsId"], `decisions of a ${m!.status} meeting cannot be amended`);
    const [next] = await ctx.db.select({ id: boardDecision.id }).from(boardDecision).where(eq(boardDecision.amendsId, prev.id));
    if (next) throw UserInputProblem.of(["input", "amendsId"], "this decision was already amended: amend the latest decision of the chain", "CONFLICT");
    const values = await decisionValues(ctx, v);
    return ctx.db.transaction(async (tx) => {
      const [d] = await tx.insert(boardDecision).values({
        ...values, siteId: actor.siteId, caseId: prev.caseId, meetingId: prev.meetingId, patientId: prev.patientId, snapshotId: prev.snapshotId, amendsId: prev.id, recordedBy: actor.userId,
      }).returning();
      await appendAudit(tx, [ctx.writeEntry("board.decision.amend", "BoardDecision", d!.id, prev.patientId, { amends: prev.id, outcome: values.outcome })]);
      return d!;
    });
  },

  /**
   * Starts a therapy course from a signed START_PRRT / RETREATMENT decision (the latest of its
   * chain), pre-filled from the regimen, through the therapy module's course planning (from the
   * protocol template when the decision names one). The link decision → course is stored.
   */
  /**
   * Applies a signed STOP or MODIFY_ACTIVITY decision to the patient's running course through the
   * therapy service (the same rules as a physician's edit): STOP stops it (reason citing the
   * board; open cycles and care events cancelled), MODIFY_ACTIVITY sets the planned activity per
   * cycle. The audit row linking decision and course is written in the course's transaction.
   */
  async applyToCourse(ctx: RequestContext, input: unknown) {
    ctx.authorize("course:write");
    const v = parseInput(ApplyToCourse, input);
    const d = await loadInScope(ctx, boardDecision, "BoardDecision", v.decisionId, ["input", "decisionId"]);
    if (d.status !== "SIGNED") throw UserInputProblem.of(["input", "decisionId"], "the decision is not signed yet");
    if (d.outcome !== "STOP" && d.outcome !== "MODIFY_ACTIVITY") {
      throw UserInputProblem.of(["input", "decisionId"], `a ${d.outcome} decision is not applied to a course here (STOP and MODIFY_ACTIVITY are; START_PRRT / RETREATMENT start one)`);
    }
    if (await this.amendmentOf(ctx, d.id)) throw UserInputProblem.of(["input", "decisionId"], "the decision was amended: apply the latest decision of the chain");
    const course = await loadInScope(ctx, therapyCourse, "TherapyCourse", v.courseId, ["input", "courseId"]);
    if (course.patientId !== d.patientId) throw UserInputProblem.of(["input", "courseId"], "is a course of another patient than the decision's");
    if (course.status !== "PLANNED" && course.status !== "ACTIVE") throw UserInputProblem.of(["input", "courseId"], `the course is ${course.status}; only a planned or active course takes a board decision`);
    const [m] = await ctx.db.select({ at: boardMeeting.scheduledAt }).from(boardMeeting).where(eq(boardMeeting.id, d.meetingId));
    const board = `tumour board ${m ? m.at.toISOString().slice(0, 10) : ""}`.trim();
    const linked = async (_tx: Tx, c: { id: string }) => [ctx.writeEntry("board.decision.apply", "BoardDecision", d.id, d.patientId, { courseId: c.id, outcome: d.outcome })];
    const courseInput = { id: v.courseId, version: v.courseVersion };
    return d.outcome === "STOP"
      ? TherapyService.updateCourse(ctx, { ...courseInput, status: "STOPPED", stopReason: `${board}: ${d.rationale}`.slice(0, 500) }, { linked })
      : TherapyService.updateCourse(ctx, { ...courseInput, plannedActivityMBq: Math.round(d.newActivityGBq! * 1000) }, { linked });
  },

  async startCourse(ctx: RequestContext, input: unknown) {
    const actor = ctx.authorize("course:write");
    const v = parseInput(StartCourse, input);
    const d = await loadInScope(ctx, boardDecision, "BoardDecision", v.decisionId, ["input", "decisionId"]);
    if (d.status !== "SIGNED") throw UserInputProblem.of(["input", "decisionId"], "the decision is not signed yet");
    if (d.outcome !== "START_PRRT" && d.outcome !== "RETREATMENT") throw UserInputProblem.of(["input", "decisionId"], `a ${d.outcome} decision does not start a course`);
    if (await this.amendmentOf(ctx, d.id)) throw UserInputProblem.of(["input", "decisionId"], "the decision was amended: start the course from the latest decision of the chain");
    if (await this.courseOfDecision(ctx, d.id)) throw UserInputProblem.of(["input", "decisionId"], "a course was already started from this decision", "DUPLICATE");
    const base = {
      patientId: toGlobalId("Patient", d.patientId), radiopharmaceuticalId: toGlobalId("Radiopharmaceutical", d.radiopharmaceuticalId!),
      intent: d.outcome === "RETREATMENT" ? "RETREATMENT" : "STANDARD", plannedCycles: d.plannedCycles, plannedActivityMBq: Math.round(d.activityPerCycleGBq! * 1000),
    };
    // Without a template the course needs an interval: 8 weeks unless given (NETTER-1 / EANM
    // 2013 standard 4 × 7.4 GBq every 8 weeks, ../shared/reference/prrt-protocols.md §1).
    // The decision → course link is written in the course's own transaction: both or neither.
    const linked = async (tx: Tx, course: { id: string }) => {
      await tx.insert(boardDecisionCourse).values({ siteId: actor.siteId, decisionId: d.id, courseId: course.id, createdBy: actor.userId });
      return [ctx.writeEntry("board.decision.start_course", "BoardDecision", d.id, d.patientId, { courseId: course.id })];
    };
    return d.protocolTemplateId
      ? TherapyService.createCourse(ctx, { ...base, protocolTemplateId: toGlobalId("ProtocolTemplate", d.protocolTemplateId), firstAdministrationAt: v.firstAdministrationAt ?? undefined, firstCycleDate: v.firstCycleDate ?? undefined }, { linked })
      : TherapyService.createCourse(ctx, { ...base, intervalDays: v.intervalDays ?? 56, firstCycleDate: v.firstCycleDate ?? undefined }, { linked });
  },
};
