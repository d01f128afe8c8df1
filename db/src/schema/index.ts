export * from "./identity";
export * from "./clinical";

import type { InferSelectModel } from "drizzle-orm";
import type * as t from "./index";
export type SiteRow = InferSelectModel<typeof t.site>;
export type AppUserRow = InferSelectModel<typeof t.appUser>;
export type PatientRow = InferSelectModel<typeof t.patient>;
export type BodyWeightRow = InferSelectModel<typeof t.bodyWeight>;
export type DiagnosisRow = InferSelectModel<typeof t.diagnosis>;
export type RadiopharmaceuticalRow = InferSelectModel<typeof t.radiopharmaceutical>;
export type TherapyCourseRow = InferSelectModel<typeof t.therapyCourse>;
export type TherapyCycleRow = InferSelectModel<typeof t.therapyCycle>;
export type LabResultRow = InferSelectModel<typeof t.labResult>;
export type ImagingStudyRow = InferSelectModel<typeof t.imagingStudy>;
export type LesionRow = InferSelectModel<typeof t.lesion>;
export type LesionMeasurementRow = InferSelectModel<typeof t.lesionMeasurement>;
export type AuditEventRow = InferSelectModel<typeof t.auditEvent>;
