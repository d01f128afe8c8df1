import type { Role } from "../../shared/permissions";

/**
 * Care-pathway policies (pure data and predicates; no I/O).
 *
 * Lab reference limits: Lutetia does not (yet) store each laboratory's reference interval with a
 * result, but CTCAE grades and the go/no-go rules need LLN/ULN. These are typical adult limits in
 * the canonical units of apps/api/src/modules/labs/lab-catalogue.ts, a site policy **(unverified
 * here)** to be replaced by the performing laboratory's own ranges.
 */
export const LAB_REFERENCE_LIMITS = {
  source:
    "Typical adult reference limits used as a site policy (unverified here – replace with the performing laboratory's reference intervals)",
  /** Lower limits of normal. */
  lln: {
    PLATELETS: 150, // ×10⁹/L
    NEUTROPHILS: 1.8, // ×10⁹/L
    WBC: 4.0, // ×10⁹/L
    LYMPHOCYTES: 1.0, // ×10⁹/L
    HAEMOGLOBIN: 12.0, // g/dL
    ALBUMIN_G_PER_DL: 3.5, // g/dL
    EGFR: 90, // mL/min/1.73 m² (CTCAE CKD grade 1 lower bound)
  },
  /** Upper limits of normal (canonical units). */
  uln: {
    BILIRUBIN: 21, // µmol/L
    CREATININE: 110, // µmol/L
    ALT: 40, // U/L
    AST: 40, // U/L
  },
} as const;

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
