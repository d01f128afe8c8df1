/**
 * Data-completeness rules for the coordinator's worklist (pure; no I/O).
 * A patient in referral, work-up or treatment should have a diagnosis with Ki-67, a height,
 * a body weight from the last 90 days and labs from the last 30 days (labs are drawn before
 * each cycle; reference/README.md §4 "Before each cycle").
 */

export type ChartTab = "timeline" | "diagnosis" | "courses" | "labs" | "imaging" | "lesions";

export interface MissingItem {
  readonly code: "NO_DIAGNOSIS" | "NO_KI67" | "NO_HEIGHT" | "NO_WEIGHT" | "OLD_WEIGHT" | "NO_LABS" | "OLD_LABS";
  readonly label: string;
  /** Where in the chart the coordinator fixes it. */
  readonly tab: ChartTab;
  readonly action: "diagnosis" | "weight" | "edit" | "lab";
}

export interface CompletenessInput {
  readonly heightCm: number | null;
  readonly currentDiagnosis: { readonly ki67Percent: number | null } | null;
  readonly latestWeight: { readonly measuredAt: string } | null;
  readonly labResults: readonly { readonly sampledAt: string }[];
}

export const WEIGHT_MAX_AGE_DAYS = 90;
export const LABS_MAX_AGE_DAYS = 30;
const DAY_MS = 86_400_000;

export function missingData(p: CompletenessInput, now: Date = new Date()): MissingItem[] {
  const out: MissingItem[] = [];
  if (!p.currentDiagnosis) {
    out.push({ code: "NO_DIAGNOSIS", label: "No diagnosis", tab: "diagnosis", action: "diagnosis" });
  } else if (p.currentDiagnosis.ki67Percent === null) {
    out.push({ code: "NO_KI67", label: "No Ki-67", tab: "diagnosis", action: "diagnosis" });
  }
  if (p.heightCm === null) out.push({ code: "NO_HEIGHT", label: "No height", tab: "diagnosis", action: "edit" });
  if (!p.latestWeight) {
    out.push({ code: "NO_WEIGHT", label: "No weight", tab: "diagnosis", action: "weight" });
  } else if (now.getTime() - new Date(p.latestWeight.measuredAt).getTime() > WEIGHT_MAX_AGE_DAYS * DAY_MS) {
    out.push({ code: "OLD_WEIGHT", label: `Weight > ${WEIGHT_MAX_AGE_DAYS} days old`, tab: "diagnosis", action: "weight" });
  }
  if (p.labResults.length === 0) {
    out.push({ code: "NO_LABS", label: "No labs", tab: "labs", action: "lab" });
  } else {
    const latest = Math.max(...p.labResults.map((l) => new Date(l.sampledAt).getTime()));
    if (now.getTime() - latest > LABS_MAX_AGE_DAYS * DAY_MS) {
      out.push({ code: "OLD_LABS", label: `No labs in ${LABS_MAX_AGE_DAYS} days`, tab: "labs", action: "lab" });
    }
  }
  return out;
}
