import { hoursAgo, ok, type ClinicalFixture } from "./fixtures";
import type { Client } from "./harness";

export interface ResponseFixture {
  followUpStudyId: string;
  /** A DRAFT response assessment (version 1) comparing the fixture's study with the follow-up. */
  assessmentId: string;
}

/**
 * Response assessment fixture (README "Response assessment"): a follow-up PET of the same tracer
 * after the clinical fixture's baseline study, the fixture lesion measured on it, and a draft
 * assessment created by a physician.
 */
export async function responseFixture(coord: Client, phys: Client, fx: ClinicalFixture): Promise<ResponseFixture> {
  const f = await ok(coord, "imagingStudyCreate", {
    patientId: fx.patientId, modality: "PET", tracerId: fx.ga.id, performedAt: hoursAgo(2), injectedAt: hoursAgo(3),
    injectedActivityMBq: 150, weightKg: 72, purpose: "RESTAGING",
  });
  await ok(phys, "lesionMeasurementRecord", { lesionId: fx.lesionId, studyId: f.id, suvMax: 12.1, suvPeak: 9.5, longAxisMm: 22, method: "MANUAL" });
  const a = await ok(phys, "responseAssessmentCreate", { patientId: fx.patientId, baselineStudyId: fx.studyId, followUpStudyId: f.id });
  return { followUpStudyId: f.id, assessmentId: a.id };
}
