/**
 * The case one-pager JSON (schemaVersion 1), as produced by the API's
 * `apps/api/src/modules/boards/onepager.ts` (`OnePager`) and frozen into snapshots. Live and
 * frozen one-pagers are rendered by the same component from this shape.
 */
export interface OnePager {
  schemaVersion: 1;
  patient: { id: string; mrn: string; name: string; sex: string; ageYears: number; status: string };
  diagnosis: { primarySite: string; histology: string; whoGrade: string; ki67Percent: number | null; differentiation: string; functionalSyndrome: string | null; diagnosedOn: string; stage: string | null } | null;
  timeline: { date: string; kind: "STUDY" | "CYCLE" | "LABS" | "DECISION" | "BOARD_DECISION"; text: string }[];
  eligibility: { template: string; policy: string; overall: string; criteria: { label: string; status: string; value: string | null; unit: string | null; threshold: string; message: string }[]; reasons: string[] } | null;
  eligibilityNote: string | null;
  courses: {
    id: string;
    agent: string;
    intent: string;
    status: string;
    plannedCycles: number;
    template: string | null;
    cycles: { number: number; plannedDate: string; status: string; prescribedGBq: number; administeredGBq: number | null; netGBq: number | null; administeredOn: string | null }[];
    cumulativeNetGBq: number;
  }[];
  dosimetry: {
    rows: { organ: string; cumulativeDoseGy: number; cumulativeBedGy: number | null; limitGy: number | null; limitQuantity: "DOSE" | "BED" | null; remainingGy: number | null; fractionOfLimit: number | null; cyclesCounted: number; cyclesSigned: number }[];
    maxNextActivityGBq: number | null;
    limitingOrgan: string | null;
    limitPolicy: string;
  } | null;
  labs: { analyte: string; label: string; unit: string; points: { date: string; value: number; grade: number | null }[]; latest: { date: string; value: number; grade: number | null; term: string | null } | null; worstGrade: number | null }[];
  response: {
    assessmentId: string;
    baselineDate: string;
    followUpDate: string;
    status: string;
    signedAt: string | null;
    signedByName: string | null;
    conclusion: { criterion: string; category: string; overridden: boolean; reason: string | null } | null;
    results: { criterion: string; category: string; reasons: string[] }[];
    lesions: {
      lesionId: string;
      label: string;
      organ: string;
      isTarget: boolean;
      status: string;
      baseline: LesionPoint | null;
      followUp: LesionPoint | null;
    }[];
  } | null;
  keyImages: { seriesId: string; modality: string | null; description: string | null; studyDate: string | null; width: number; height: number; pngBase64: string }[];
}

interface LesionPoint {
  longAxisMm: number | null;
  shortAxisMm: number | null;
  suvMax: number | null;
  suvPeak: number | null;
  mtvMl: number | null;
  krenningScore: number | null;
}

export const asOnePager = (json: unknown): OnePager => json as OnePager;
