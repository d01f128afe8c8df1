import type { Role } from "../../shared/permissions";

/**
 * Care-pathway policies (pure data and predicates; no I/O).
 *
 * Lab reference limits: one table in @lutetia/protocols (DEFAULT_LAB_REFERENCE_LIMITS, typical
 * adult LLN/ULN in canonical units, a site policy unverified here), shared with the web app's
 * colouring so a grade shown on the chart is the grade the go/no-go uses.
 */
export { DEFAULT_LAB_REFERENCE_LIMITS as LAB_REFERENCE_LIMITS } from "@lutetia/protocols";

/** A lab newer than this counts as "the latest" for the pre-cycle check (policy, days). */
export const PRE_CYCLE_LAB_MAX_AGE_DAYS = 14;

/**
 * A lesion measured on an FDG PET study counts as FDG-positive at SUVmax ≥ this value when no
 * explicit `fdgPositive` is recorded in the measurement's provenance (site policy, unverified here;
 * visual FDG positivity vs liver is the usual reading – response-criteria.md §7.3).
 */
export const FDG_POSITIVE_SUVMAX = 2.5;

/** Default booked duration of an event in the calendar feed, minutes (display only). */
export const CALENDAR_EVENT_MINUTES: Readonly<Record<string, number>> = {
  CYCLE: 240,
  POST_THERAPY_SCAN: 60,
  RESTAGING: 90,
  INTERIM_IMAGING: 60,
  FOLLOW_UP: 30,
};

/** The calendar feed covers open events from this many days back to this many days ahead. */
export const CALENDAR_WINDOW_DAYS = { past: 30, future: 365 } as const;

/** Statuses a coordinator may set by hand (DONE goes through careEventComplete). */
export const SETTABLE_STATUSES = ["MISSED", "CANCELLED", "PLANNED"] as const;

/** Which record types may fulfil an event of a kind. */
export const FULFILMENT_TYPES: Readonly<Record<string, readonly ("LabResult" | "ImagingStudy" | "TherapyCycle")[]>> = {
  CYCLE: ["TherapyCycle"],
  LABS: ["LabResult"],
  NADIR_LABS: ["LabResult"],
  SSA_WASHOUT: [],
  AMINO_ACIDS: ["TherapyCycle"],
  SSA_INJECTION: [],
  POST_THERAPY_SCAN: ["ImagingStudy"],
  INTERIM_IMAGING: ["ImagingStudy"],
  RESTAGING: ["ImagingStudy"],
  FOLLOW_UP: ["ImagingStudy", "LabResult"],
};

/** A user may revoke their own feed; an ADMIN any feed of the site. */
export function mayRevokeFeed(actor: { userId: string; roles: readonly Role[] }, feed: { userId: string }): boolean {
  return feed.userId === actor.userId || actor.roles.includes("ADMIN");
}

/** Initials of a patient for the INITIALS calendar policy ("A.B."), never the name. */
export function initialsOf(givenName: string, familyName: string): string {
  const first = (s: string) => (s.trim().match(/\p{L}/u)?.[0] ?? "?").toUpperCase();
  return `${first(givenName)}.${first(familyName)}.`;
}
