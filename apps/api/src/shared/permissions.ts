/**
 * The written permission matrix: role × action, default deny. Enforced in domain services
 * (never in resolvers). A user's roles are those of their membership at the session's site.
 */
export const ROLES = [
  "ADMIN",
  "COORDINATOR",
  "PHYSICIAN",
  "PHYSICIST",
  "BOARD_MEMBER",
  "VIEWER",
] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  "patient:read",
  "patient:write",
  "diagnosis:write",
  "weight:write",
  "course:write",
  "cycle:schedule",
  "cycle:administer",
  "lab:write",
  "study:write",
  "lesion:write",
  "radiopharmaceutical:write",
  "audit:read",
  "user:admin",
  "schedule:write",
  "decision:write",
  "protocol:admin",
  "imaging:upload",
  "imaging:override",
  "quarantine:resolve",
  "quant:run",
  "candidate:review",
  "dosimetry:write",
  "dosimetry:sign",
  "response:write",
  "response:sign",
  "board:manage",
  "board:decide",
] as const;
export type Action = (typeof ACTIONS)[number];

const ALL_CLINICAL_READ: Role[] = [
  "ADMIN",
  "COORDINATOR",
  "PHYSICIAN",
  "PHYSICIST",
  "BOARD_MEMBER",
  "VIEWER",
];

/**
 * Who may do what. Anything not listed is denied. Coordinators enter the course the board or
 * physician prescribed (transcription, issue "Web app" journeys); the go/no-go and the
 * administration record stay with the physician.
 */
export const PERMISSION_MATRIX: Readonly<Record<Action, readonly Role[]>> = {
  "patient:read": ALL_CLINICAL_READ,
  "patient:write": ["COORDINATOR", "PHYSICIAN"],
  "diagnosis:write": ["COORDINATOR", "PHYSICIAN"],
  "weight:write": ["COORDINATOR", "PHYSICIAN", "PHYSICIST"],
  "course:write": ["COORDINATOR", "PHYSICIAN"],
  "cycle:schedule": ["COORDINATOR", "PHYSICIAN"],
  "cycle:administer": ["PHYSICIAN"],
  "lab:write": ["COORDINATOR", "PHYSICIAN"],
  "study:write": ["COORDINATOR", "PHYSICIAN", "PHYSICIST"],
  "lesion:write": ["PHYSICIAN", "PHYSICIST"],
  "radiopharmaceutical:write": ["ADMIN"],
  "audit:read": ["ADMIN"],
  "user:admin": ["ADMIN"],
  /** Care pathway: book / complete / reschedule care events and cycles (README "Care pathway"). */
  "schedule:write": ["COORDINATOR", "PHYSICIAN"],
  /** Care pathway: record the pre-cycle go / delay / reduce / stop decision. */
  "decision:write": ["PHYSICIAN"],
  /** Care pathway: copy and edit protocol templates, site pathway settings. */
  "protocol:admin": ["ADMIN"],
  /** STOW-RS and web uploads of DICOM files. */
  "imaging:upload": ["COORDINATOR", "PHYSICIAN", "PHYSICIST"],
  /** QA overrides of a series (weight, dose, times, units, SPECT calibration). */
  "imaging:override": ["PHYSICIAN", "PHYSICIST"],
  /** See and assign quarantined (unmatched) studies. */
  "quarantine:resolve": ["COORDINATOR", "PHYSICIAN"],
  /** Start quantification jobs. */
  "quant:run": ["PHYSICIAN", "PHYSICIST"],
  /** Accept / merge / reject lesion candidates and confirm lesion matches. */
  "candidate:review": ["PHYSICIAN"],
  /** Dosimetry workspace: create / edit / amend a cycle's dosimetry draft (README "Dosimetry workspace"). */
  "dosimetry:write": ["PHYSICIST"],
  /** Physicist sign-off of a cycle's dosimetry (signed records are immutable). */
  "dosimetry:sign": ["PHYSICIST"],
  /** Response assessment: create, choose studies/targets, confirm or override (README "Response assessment"). Physicists read only. */
  "response:write": ["PHYSICIAN"],
  /** Response assessment: sign (immutable afterwards; amend as a new version). PHYSICIAN only. */
  "response:sign": ["PHYSICIAN"],
  /** Tumour boards: schedule meetings, edit agendas, start / close / cancel meetings. */
  "board:manage": ["COORDINATOR", "PHYSICIAN"],
  /** Tumour boards: freeze one-pagers, record / amend decisions; signing additionally needs to be the meeting's chair. */
  "board:decide": ["PHYSICIAN", "BOARD_MEMBER"],
};

/** Pure predicate: may any of these roles perform the action? Default deny. */
export function can(roles: readonly Role[], action: Action): boolean {
  const allowed = PERMISSION_MATRIX[action];
  if (!allowed) return false;
  return roles.some((r) => allowed.includes(r));
}

/** Every action the roles allow (the web app hides what the user cannot do). */
export function permissionsOf(roles: readonly Role[]): Action[] {
  return ACTIONS.filter((a) => can(roles, a));
}
