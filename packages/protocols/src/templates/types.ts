import type { Offset } from "../common/time.js";

/** Kinds of planned events in a PRRT course. `SSA_INJECTION` (post-cycle long-acting octreotide) is an addition to the brief's list. */
export const EVENT_KINDS = [
  "CYCLE",
  "LABS",
  "SSA_WASHOUT",
  "AMINO_ACIDS",
  "SSA_INJECTION",
  "POST_THERAPY_SCAN",
  "NADIR_LABS",
  "INTERIM_IMAGING",
  "RESTAGING",
  "FOLLOW_UP",
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/**
 * What an event's timing is relative to: the administration of the same cycle, the first
 * administration of the course, or the last administration of the course.
 */
export const ANCHORS = ["ADMINISTRATION", "FIRST_ADMINISTRATION", "LAST_ADMINISTRATION"] as const;
export type AnchorType = (typeof ANCHORS)[number];

/** Which cycles a per-cycle (`ADMINISTRATION`-anchored) event applies to. */
export const CYCLE_SELECTORS = ["ALL", "FIRST", "NOT_FIRST", "NOT_LAST"] as const;
export type CycleSelector = (typeof CYCLE_SELECTORS)[number];

/**
 * A rule producing one (or, with `repeat`, several) planned events.
 * `offset` is the due time relative to the anchor (negative = before). `window.before` and
 * `window.after` are non-negative tolerances around the due time (`null` = open-ended, e.g.
 * "≥ 4 weeks before" has no earliest bound).
 */
export interface EventRule {
  key: string;
  kind: EventKind;
  label: string;
  anchor: AnchorType;
  offset: Offset;
  window: { before: Offset | null; after: Offset | null };
  /** Only for `ADMINISTRATION`-anchored rules; default "ALL". */
  cycles?: CycleSelector;
  /** Repeat `count` times (including the first), each `every` after the previous due time. */
  repeat?: { every: Offset; count: number };
  source: string;
}

export interface Radiopharmaceutical {
  /** e.g. "177Lu", "90Y" */
  nuclide: string;
  /** e.g. "DOTATATE (oxodotreotide)" */
  agent: string;
}

/** A versioned PRRT protocol template (pure data; admins edit copies, see `copyTemplate`). */
export interface ProtocolTemplate {
  id: string;
  version: number;
  name: string;
  /** Site that owns an edited copy; absent for the built-in reference templates. */
  siteId?: string;
  /** id@version this template was copied from. */
  derivedFrom?: string;
  radiopharmaceutical: Radiopharmaceutical;
  /** Planned number of cycles. */
  cycles: number;
  /** Upper bound on cycles (dosimetry-guided courses); defaults to `cycles`. */
  maxCycles?: number;
  /** Intended activity per cycle, GBq. */
  activityPerCycleGBq: number;
  /** Reduced activity used after dose-limiting toxicity, GBq (null = not defined for this regimen). */
  reducedActivityGBq: number | null;
  /** Nominal interval between administrations, calendar days, and its tolerance (± days). */
  interval: { days: number; toleranceDays: number };
  /** Activity is decided per cycle from dosimetry (cumulative kidney dose). */
  dosimetryGuided: boolean;
  events: EventRule[];
  /** Sources for the regimen itself (dose, cycles, interval). */
  source: string;
  /** Free-text caveats: values not taken from the reference, unverified figures. */
  caveats: string[];
}
