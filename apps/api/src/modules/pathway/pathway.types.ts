import type { ScheduleChange, ScheduleFlag } from "@lutetia/protocols";
import type {
  CareEventRow,
  CycleDecisionRow,
  LabResultRow,
  PatientRow,
  ProtocolTemplateRow,
  TherapyCycleRow,
} from "@lutetia/db";

/** A schedule flag as stored with a course (checkScheduleConstraints output + the care event ids). */
export interface StoredFlag extends ScheduleFlag {
  courseId: string;
  eventIds: string[];
}

export interface ScheduleChangeOut extends ScheduleChange {
  wasBooked: boolean;
  eventId: string | null;
}

export interface WorklistConflictOut {
  courseId: string;
  patientId: string;
  flags: StoredFlag[];
}

export interface WorklistOut {
  asOf: Date;
  timeZone: string;
  dueToday: CareEventRow[];
  dueThisWeek: CareEventRow[];
  overdue: CareEventRow[];
  conflicts: WorklistConflictOut[];
}

export type CriterionStatusOut = "PASS" | "FAIL" | "NEEDS_DATA" | "WARN";

/** One eligibility criterion in the GraphQL shape. */
export interface CriterionOut {
  criterion: string;
  label: string;
  value: string | null;
  numericValue: number | null;
  unit: string | null;
  threshold: string;
  status: CriterionStatusOut;
  message: string;
  source: string;
  dataSource: string | null;
  records: string[];
}

export interface EligibilityReportOut {
  patient: PatientRow;
  template: ProtocolTemplateRow;
  policyId: string;
  overall: "ELIGIBLE" | "NOT_ELIGIBLE" | "NEEDS_DATA" | "REVIEW";
  criteria: CriterionOut[];
  reasons: string[];
  asOf: Date;
  plannedAdministrationAt: Date | null;
  advisory: boolean;
}

export interface LabGradeOut {
  analyte: LabResultRow["analyte"];
  term: string;
  grade: number;
  rule: string;
  value: number;
  unit: string;
  referenceLimit: number | null;
  referenceSource: string | null;
  sampledAt: Date;
  labResult: LabResultRow;
  source: string;
}

export interface GoNoGoRecommendationOut {
  action: "GO" | "DELAY" | "REDUCE" | "STOP";
  recommendedActivityGBq: number | null;
  recommendedActivityMBq: number | null;
  triggers: string[];
  resumeWhen: string[];
  reasons: { rule: string; message: string; value: string | null; source: string }[];
  advisory: boolean;
}

export interface GoNoGoReportOut {
  cycle: TherapyCycleRow;
  asOf: Date;
  plannedActivityMBq: number;
  delayDays: number;
  labsSince: Date;
  grades: LabGradeOut[];
  missing: string[];
  recommendation: GoNoGoRecommendationOut;
  latestDecision: CycleDecisionRow | null;
}

export interface PathwaySettingsOut {
  calendarPatientLabel: "MRN" | "INITIALS";
  timeZone: string;
}
