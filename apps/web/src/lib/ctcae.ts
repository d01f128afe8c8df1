/**
 * CTCAE v5.0 grading of the lab analytes Lutetia records, for display (table colouring and
 * timeline). The grading itself is @lutetia/protocols' (`ctcae/grade.ts`, which cites
 * /work/shared/reference/prrt-protocols.md §4 "Toxicity grading (CTCAE v5.0)"); this module
 * only maps the API's LabAnalyte and canonical units (apps/api/src/modules/labs/lab-catalogue.ts:
 * counts 10^9/L, haemoglobin g/dL, creatinine and bilirubin µmol/L, albumin g/L, ALT/AST U/L,
 * eGFR mL/min/1.73 m²) onto the right term.
 *
 * LLN/ULN are the laboratory's limits of normal; the API does not carry them yet, so
 * the default limits are those of @lutetia/protocols (typical adult limits, a site policy;
 * **site-configurable limits are an open item**), shared with the server so both agree. No baseline is passed, so baseline-relative clauses do not apply.
 */
import { gradeCanonicalLab, isCanonicalLabAnalyte, type CanonicalLabAnalyte, type CtcaeGrade, type CtcaeResult, type LabReferenceLimit } from "@lutetia/protocols";

export type { CtcaeGrade };
export type GradedAnalyte = CanonicalLabAnalyte;
export type ReferenceLimits = LabReferenceLimit;

export function isGraded(analyte: string): analyte is GradedAnalyte {
  return isCanonicalLabAnalyte(analyte);
}

/**
 * CTCAE v5.0 grading of one canonical-unit lab value, with the same default limits the server's
 * go/no-go uses (@lutetia/protocols DEFAULT_LAB_REFERENCE_LIMITS).
 * @returns the protocols package's result (term, grade, rule, source), or null when the analyte
 *   has no CTCAE lab term (e.g. chromogranin A) or the value cannot be graded (not finite, negative).
 */
export function ctcaeResult(analyte: string, value: number, limits?: ReferenceLimits): CtcaeResult | null {
  if (!Number.isFinite(value)) return null;
  try {
    return gradeCanonicalLab(analyte, value, { limit: limits })?.result ?? null;
  } catch {
    return null;
  }
}

/** The grade 0–4 only (see {@link ctcaeResult}). */
export function ctcaeGrade(analyte: string, value: number, limits?: ReferenceLimits): CtcaeGrade | null {
  return ctcaeResult(analyte, value, limits)?.grade ?? null;
}
