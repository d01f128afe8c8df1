/**
 * The expected permission matrix, written out by hand (issue "Foundation", permission matrix).
 * Tests compare the code's PERMISSION_MATRIX and the API's behaviour with this table, so any
 * change to who may do what must be made here too, deliberately.
 *
 * Columns: ADMIN, COORDINATOR, PHYSICIAN, PHYSICIST, BOARD_MEMBER, VIEWER ("x" allowed, "." denied).
 */
export const TRUTH_TABLE_ROLES = ["ADMIN", "COORDINATOR", "PHYSICIAN", "PHYSICIST", "BOARD_MEMBER", "VIEWER"] as const;

export const TRUTH_TABLE: Record<string, string> = {
  //                           A C P Ps B V
  "patient:read":             "x x x x  x x",
  "patient:write":            ". x x .  . .",
  "diagnosis:write":          ". x x .  . .",
  "weight:write":             ". x x x  . .",
  "course:write":             ". x x .  . .",
  "cycle:schedule":           ". x x .  . .",
  "cycle:administer":         ". . x .  . .",
  "lab:write":                ". x x .  . .",
  "study:write":              ". x x x  . .",
  "lesion:write":             ". . x x  . .",
  "radiopharmaceutical:write": "x . . .  . .",
  "audit:read":               "x . . .  . .",
  "user:admin":               "x . . .  . .",
  "schedule:write":           ". x x .  . .",
  "decision:write":           ". . x .  . .",
  "protocol:admin":           "x . . .  . .",
  "imaging:upload":           ". x x x  . .",
  "imaging:override":         ". . x x  . .",
  "quarantine:resolve":       ". x x .  . .",
  "quant:run":                ". . x x  . .",
  "candidate:review":         ". . x .  . .",
  "dosimetry:write":          ". . . x  . .",
  "dosimetry:sign":           ". . . x  . .",
  "response:write":           ". . x .  . .",
  "response:sign":            ". . x .  . .",
  "board:manage":             ". x x .  . .",
  "board:decide":             ". . x .  x .",
};

/** Whether the table allows `role` to perform `action` (undefined when the action is not in the table). */
export function expectedAllowed(action: string, role: string): boolean | undefined {
  const row = TRUTH_TABLE[action];
  if (row === undefined) return undefined;
  const cells = row.split(/\s+/).filter(Boolean);
  if (cells.length !== TRUTH_TABLE_ROLES.length) throw new Error(`truth table row ${action} has ${cells.length} cells`);
  const i = TRUTH_TABLE_ROLES.indexOf(role as (typeof TRUTH_TABLE_ROLES)[number]);
  if (i < 0) throw new Error(`unknown role ${role}`);
  return cells[i] === "x";
}

/** Which permission each mutation of the schema needs (null: any signed-in user / anyone). */
export const MUTATION_ACTION: Record<string, string | null> = {
  quarantineAssign: "quarantine:resolve",
  seriesQaOverrideSet: "imaging:override",
  seriesQuantify: "quant:run",
  lesionCandidateAccept: "candidate:review",
  lesionCandidateReject: "candidate:review",
  lesionCandidateMerge: "candidate:review",
  authLogin: null,
  authLogout: null,
  viewerSwitchSite: null,
  userCreate: "user:admin",
  userUpdate: "user:admin",
  patientCreate: "patient:write",
  patientUpdate: "patient:write",
  patientClose: "patient:write",
  bodyWeightRecord: "weight:write",
  bodyWeightVoid: "weight:write",
  diagnosisCreate: "diagnosis:write",
  diagnosisUpdate: "diagnosis:write",
  diagnosisVoid: "diagnosis:write",
  radiopharmaceuticalCreate: "radiopharmaceutical:write",
  radiopharmaceuticalSetActive: "radiopharmaceutical:write",
  therapyCourseCreate: "course:write",
  therapyCourseUpdate: "course:write",
  therapyCycleUpdate: "cycle:schedule",
  cycleRecordAdministration: "cycle:administer",
  labResultRecord: "lab:write",
  labResultCorrect: "lab:write",
  labResultVoid: "lab:write",
  imagingStudyCreate: "study:write",
  imagingStudyUpdate: "study:write",
  imagingStudyVoid: "study:write",
  lesionCreate: "lesion:write",
  lesionUpdate: "lesion:write",
  lesionVoid: "lesion:write",
  lesionMeasurementRecord: "lesion:write",
  lesionMeasurementUpdate: "lesion:write",
  lesionMeasurementVoid: "lesion:write",
  protocolTemplateCopy: "protocol:admin",
  protocolTemplateUpdate: "protocol:admin",
  pathwaySettingsUpdate: "protocol:admin",
  careEventCreate: "schedule:write",
  careEventBook: "schedule:write",
  careEventsBook: "schedule:write",
  careEventComplete: "schedule:write",
  careEventSetStatus: "schedule:write",
  cycleReschedule: "schedule:write",
  cycleRecordDecision: "decision:write",
  calendarFeedCreate: "patient:read",
  /** Own feeds (ADMIN: any feed of the site); any signed-in user. */
  calendarFeedRevoke: null,
  dosimetryRecordCreate: "dosimetry:write",
  dosimetryRecordSave: "dosimetry:write",
  dosimetryRecordAmend: "dosimetry:write",
  dosimetryRecordSign: "dosimetry:sign",
  responseAssessmentCreate: "response:write",
  responseAssessmentUpdate: "response:write",
  responseAssessmentConclude: "response:write",
  responseAssessmentSign: "response:sign",
  responseAssessmentAmend: "response:write",
  boardMeetingCreate: "board:manage",
  boardMeetingUpdate: "board:manage",
  boardMeetingStart: "board:manage",
  boardMeetingClose: "board:manage",
  boardMeetingCancel: "board:manage",
  boardCaseAdd: "board:manage",
  boardCaseRemove: "board:manage",
  boardAgendaReorder: "board:manage",
  boardCaseFreeze: "board:decide",
  boardDecisionRecord: "board:decide",
  boardDecisionUpdate: "board:decide",
  /** board:decide AND being the meeting's chair (ownership, checked in the service). */
  boardDecisionSign: "board:decide",
  boardDecisionAmend: "board:decide",
  boardDecisionStartCourse: "course:write",
  /** Applies a signed STOP / MODIFY_ACTIVITY decision to the running course (a course edit). */
  boardDecisionApplyToCourse: "course:write",
};
