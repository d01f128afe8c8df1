import type { BoardDecisionRow, BoardMeetingRow } from "@lutetia/db";
import type { Role } from "../../shared/permissions";

/**
 * Pure rules of the tumour-board module (no I/O): meeting lifecycle, who may chair and sign,
 * and which decision fields each outcome needs. The service calls these and turns a returned
 * problem into a field-level user error.
 */

export type MeetingStatus = BoardMeetingRow["status"];
export type MeetingTransition = "START" | "CLOSE" | "CANCEL";

/** SCHEDULED → IN_PROGRESS → CLOSED; SCHEDULED → CANCELLED. Anything else is refused. */
export const MEETING_TRANSITIONS: Readonly<Record<MeetingTransition, { from: MeetingStatus; to: MeetingStatus }>> = {
  START: { from: "SCHEDULED", to: "IN_PROGRESS" },
  CLOSE: { from: "IN_PROGRESS", to: "CLOSED" },
  CANCEL: { from: "SCHEDULED", to: "CANCELLED" },
};

/** Null when the transition is allowed, else the reason it is not. */
export function transitionProblem(status: MeetingStatus, t: MeetingTransition): string | null {
  const rule = MEETING_TRANSITIONS[t];
  return status === rule.from ? null : `a ${status} meeting cannot be ${rule.to === "IN_PROGRESS" ? "started" : rule.to.toLowerCase()} (only a ${rule.from} one)`;
}

/** The chair must hold BOARD_MEMBER or PHYSICIAN at the meeting's site. */
export const CHAIR_ROLES: readonly Role[] = ["BOARD_MEMBER", "PHYSICIAN"];
export const mayChair = (rolesAtSite: readonly string[]) => rolesAtSite.some((r) => (CHAIR_ROLES as readonly string[]).includes(r));

/** The agenda can be edited only before the meeting. */
export const agendaEditable = (status: MeetingStatus) => status === "SCHEDULED";
/** One-pagers are frozen and decisions recorded while the meeting runs. */
export const inSession = (status: MeetingStatus) => status === "IN_PROGRESS";
/** Signing and amending also after the meeting is closed (minutes are often signed later). */
export const signable = (status: MeetingStatus) => status === "IN_PROGRESS" || status === "CLOSED";

/**
 * Ownership rule of signing: only the meeting's chair signs, and only a DRAFT.
 * Returns the problem or null.
 */
export function signProblem(meeting: Pick<BoardMeetingRow, "chairUserId" | "status">, decision: Pick<BoardDecisionRow, "status">, actorUserId: string): { code: "FORBIDDEN" | "INVALID"; message: string } | null {
  if (meeting.chairUserId !== actorUserId) return { code: "FORBIDDEN", message: "only the meeting's chair may sign its decisions" };
  if (decision.status === "SIGNED") return { code: "INVALID", message: "the decision is already signed and cannot be changed; amend it instead" };
  if (!signable(meeting.status)) return { code: "INVALID", message: `decisions of a ${meeting.status} meeting cannot be signed` };
  return null;
}

export type Outcome = BoardDecisionRow["outcome"];

export interface DecisionFields {
  outcome: Outcome;
  protocolTemplateId?: string | null;
  radiopharmaceuticalId?: string | null;
  plannedCycles?: number | null;
  activityPerCycleGBq?: number | null;
  newActivityGBq?: number | null;
  delayUntil?: string | null;
  delayWeeks?: number | null;
  votesFor?: number | null;
  votesAgainst?: number | null;
  votesAbstain?: number | null;
  consensus?: boolean | null;
  rationale?: string | null;
}

/**
 * Therapeutic activity per cycle accepted for a board regimen (GBq). 177Lu-DOTATATE standard is
 * 7.4 GBq; reduced 3.7 GBq (EANM 2013 / NETTER-1, ../shared/reference/prrt-protocols.md §1);
 * the 1–15 GBq window is the API's plausibility range for any therapy activity
 * (therapy.policy ACTIVITY_LIMITS_MBQ.THERAPY), not a clinical recommendation.
 */
export const BOARD_ACTIVITY_GBQ = { min: 1, max: 15 } as const;

type Problem = { field: string; message: string };

/**
 * Which fields each outcome needs (and which it must not carry), so a decision is always
 * complete and unambiguous:
 * - START_PRRT / RETREATMENT: therapy radiopharmaceutical, planned cycles (1–8), activity per cycle
 *   (GBq); protocol template optional (the course is then planned from it).
 * - MODIFY_ACTIVITY: new activity per cycle (GBq).
 * - DELAY: a date or a number of weeks (1–52), not both.
 * - CONTINUE / STOP / OTHER: none of these fields.
 * Votes: counts ≥ 0, or consensus — at least one of them, not votes with consensus. The
 * rationale is always required.
 */
export function decisionProblems(d: DecisionFields, today: string): Problem[] {
  const out: Problem[] = [];
  const has = (v: unknown) => v !== null && v !== undefined;
  if (d.rationale !== undefined && !d.rationale?.trim()) out.push({ field: "rationale", message: "rationale is required: the board's reasoning for the decision" });
  const regimen = d.outcome === "START_PRRT" || d.outcome === "RETREATMENT";
  const activity = (field: string, v: number | null | undefined) => {
    if (!has(v)) out.push({ field, message: `is required for ${d.outcome} (activity per cycle, GBq)` });
    else if (!(v! >= BOARD_ACTIVITY_GBQ.min && v! <= BOARD_ACTIVITY_GBQ.max)) out.push({ field, message: `must be between ${BOARD_ACTIVITY_GBQ.min} and ${BOARD_ACTIVITY_GBQ.max} GBq (got ${v})` });
  };
  if (regimen) {
    if (!has(d.radiopharmaceuticalId)) out.push({ field: "radiopharmaceuticalId", message: `is required for ${d.outcome} (the therapy agent)` });
    if (!has(d.plannedCycles)) out.push({ field: "plannedCycles", message: `is required for ${d.outcome}` });
    else if (!Number.isInteger(d.plannedCycles) || d.plannedCycles! < 1 || d.plannedCycles! > 8) out.push({ field: "plannedCycles", message: `must be a whole number 1–8 (got ${d.plannedCycles})` });
    activity("activityPerCycleGBq", d.activityPerCycleGBq);
  } else {
    for (const f of ["protocolTemplateId", "radiopharmaceuticalId", "plannedCycles", "activityPerCycleGBq"] as const) {
      if (has(d[f])) out.push({ field: f, message: `must be empty for ${d.outcome} (got ${JSON.stringify(d[f])})` });
    }
  }
  if (d.outcome === "MODIFY_ACTIVITY") activity("newActivityGBq", d.newActivityGBq);
  else if (has(d.newActivityGBq)) out.push({ field: "newActivityGBq", message: `must be empty for ${d.outcome} (got ${d.newActivityGBq})` });
  if (d.outcome === "DELAY") {
    if (!has(d.delayUntil) && !has(d.delayWeeks)) out.push({ field: "delayUntil", message: "DELAY needs a date or a number of weeks" });
    if (has(d.delayUntil) && has(d.delayWeeks)) out.push({ field: "delayWeeks", message: `give a date or weeks, not both (got ${d.delayUntil} and ${d.delayWeeks} weeks)` });
    if (has(d.delayUntil) && d.delayUntil! <= today) out.push({ field: "delayUntil", message: `must be after today ${today} (got ${d.delayUntil})` });
    if (has(d.delayWeeks) && (!Number.isInteger(d.delayWeeks) || d.delayWeeks! < 1 || d.delayWeeks! > 52)) out.push({ field: "delayWeeks", message: `must be a whole number 1–52 (got ${d.delayWeeks})` });
  } else {
    if (has(d.delayUntil)) out.push({ field: "delayUntil", message: `must be empty for ${d.outcome} (got ${d.delayUntil})` });
    if (has(d.delayWeeks)) out.push({ field: "delayWeeks", message: `must be empty for ${d.outcome} (got ${d.delayWeeks})` });
  }
  const votes = [d.votesFor, d.votesAgainst, d.votesAbstain];
  const anyVotes = votes.some(has);
  for (const [i, f] of (["votesFor", "votesAgainst", "votesAbstain"] as const).entries()) {
    const v = votes[i];
    if (has(v) && (!Number.isInteger(v) || v! < 0 || v! > 100)) out.push({ field: f, message: `must be a whole number 0–100 (got ${v})` });
  }
  if (d.consensus && anyVotes) out.push({ field: "consensus", message: "record either a consensus or vote counts, not both" });
  if (!d.consensus && !anyVotes) out.push({ field: "votesFor", message: "record the votes (for / against / abstain) or mark the decision as consensus" });
  if (!d.consensus && anyVotes && votes.reduce<number>((s, v) => s + (v ?? 0), 0) === 0) out.push({ field: "votesFor", message: "at least one vote must be counted" });
  return out;
}
