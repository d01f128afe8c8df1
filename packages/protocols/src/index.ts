export { SRC, UNVERIFIED } from "./common/sources.js";
export type { Offset } from "./common/time.js";
export * from "./templates/types.js";
export {
  BUILTIN_TEMPLATES,
  LU177_DOTATATE_STANDARD,
  LU177_DOTATATE_DOSIMETRY_MTP,
  LU177_DOTATATE_DOSIMETRY_STP,
  Y90_DOTATOC_INTERMEDIATE,
} from "./templates/builtin.js";
export { validateTemplate, assertValidTemplate } from "./templates/validate.js";
export type { TemplateError } from "./templates/validate.js";
export { copyTemplate } from "./templates/copy.js";
export type { PlannedEvent, CourseSchedule, ScheduleChange } from "./schedule/types.js";
export { generateCourseSchedule } from "./schedule/generate.js";
export { rescheduleCycle } from "./schedule/reschedule.js";
export { checkScheduleConstraints, DEFAULT_SCHEDULE_POLICY } from "./schedule/constraints.js";
export type {
  Booking,
  BookingModality,
  ConstraintContext,
  SchedulePolicy,
  ScheduleFlag,
  FlagSeverity,
  PolicyValue,
} from "./schedule/constraints.js";
export type { CtcaeGrade, CtcaeResult } from "./ctcae/grade.js";
export {
  DEFAULT_LAB_REFERENCE_LIMITS,
  gradeCanonicalLab,
  isCanonicalLabAnalyte,
  type CanonicalLabAnalyte,
  type LabReferenceLimit,
} from "./ctcae/canonical.js";
export {
  gradePlateletCountDecreased,
  gradeNeutrophilCountDecreased,
  gradeWhiteBloodCellDecreased,
  gradeLymphocyteCountDecreased,
  gradeAnaemia,
  gradeHypoalbuminaemia,
  gradeCreatinineIncreased,
  gradeBilirubinIncreased,
  gradeAltIncreased,
  gradeAstIncreased,
  gradeChronicKidneyDisease,
} from "./ctcae/grade.js";
export {
  haemoglobinGPerLToGPerDL,
  haemoglobinMmolPerLToGPerDL,
  perMm3ToE9PerL,
  creatinineUmolPerLToMgPerDL,
  albuminGPerLToGPerDL,
  cockcroftGaultCrClMLPerMin,
} from "./common/units.js";
export type { EligibilityPolicy } from "./eligibility/policy.js";
export { NETTER_STYLE_ELIGIBILITY_POLICY, LUTIA_ELIGIBILITY_POLICY } from "./eligibility/policy.js";
export type {
  CriterionStatus,
  CriterionResult,
  EligibilityInput,
  EligibilityOverall,
  EligibilityResult,
  WhoGrade,
} from "./eligibility/evaluate.js";
export { evaluateEligibility, whoGradeFromKi67 } from "./eligibility/evaluate.js";
export type {
  GoNoGoAction,
  ToxicityCategory,
  LabEntry,
  GoNoGoInput,
  GoNoGoPolicy,
  GoNoGoReason,
  GoNoGoResult,
} from "./go-no-go/recommend.js";
export { recommendGoNoGo, DEFAULT_GO_NO_GO_POLICY } from "./go-no-go/recommend.js";
