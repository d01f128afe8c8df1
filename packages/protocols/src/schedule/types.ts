import type { AnchorType, EventKind } from "../templates/types.js";

/** One planned event of a course. All instants are UTC ISO strings. */
export interface PlannedEvent {
  /** Stable key: `<ruleKey>#c<cycle>` for per-cycle events, `<ruleKey>` or `<ruleKey>#<n>` for course events, `cycle#c<n>` for administrations. */
  key: string;
  /** Template rule key (e.g. "post-scan-24h"); "cycle" for administrations. */
  ruleKey: string;
  kind: EventKind;
  label: string;
  cycleNumber: number | null;
  dueAt: string;
  /** Wall-clock rendering in the site zone, e.g. "2026-03-20T09:00:00+01:00[Europe/Amsterdam]". */
  dueLocal: string;
  /** Earliest acceptable instant (null = open-ended). */
  windowStart: string | null;
  /** Latest acceptable instant (null = open-ended). */
  windowEnd: string | null;
  anchor: {
    type: AnchorType | "COURSE_START" | "PREVIOUS_CYCLE";
    cycleNumber: number | null;
    key: string | null;
  };
  /** ISO 8601 duration from the anchor to `dueAt` (calendar units in the site zone). */
  offset: string;
  source: string;
  /** Set by the caller when the event has happened; done events never move on reschedule. */
  done?: boolean;
}

/** A generated course schedule. */
export interface CourseSchedule {
  templateId: string;
  templateVersion: number;
  timeZone: string;
  cycles: number;
  events: PlannedEvent[];
}

/** One entry of a reschedule diff. */
export interface ScheduleChange {
  key: string;
  kind: EventKind;
  cycleNumber: number | null;
  change: "MOVED" | "ADDED" | "REMOVED";
  fromDueAt: string | null;
  toDueAt: string | null;
}
