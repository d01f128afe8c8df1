/**
 * CTCAE v5.0 grading of the lab analytes Lutetia records, for display (table colouring and
 * timeline). The grading itself is @lutetia/protocols' (`ctcae/grade.ts`, which cites
 * /work/shared/reference/prrt-protocols.md §4 "Toxicity grading (CTCAE v5.0)"); this module
 * only maps the API's LabAnalyte and canonical units (apps/api/src/modules/labs/lab-catalogue.ts:
 * counts 10^9/L, haemoglobin g/dL, creatinine and bilirubin µmol/L, albumin g/L, ALT/AST U/L,
 * eGFR mL/min/1.73 m²) onto the right term.
 *
 * LLN/ULN are the laboratory's limits of normal; the API does not carry them yet, so
 * DEFAULT_LIMITS are typical adult limits used for display only (**site-configurable limits
 * are an open item**). No baseline is passed, so baseline-relative clauses do not apply.
 */
import {
  albuminGPerLToGPerDL,
  gradeAltIncreased,
  gradeAnaemia,
  gradeAstIncreased,
  gradeBilirubinIncreased,
  gradeChronicKidneyDisease,
  gradeCreatinineIncreased,
  gradeHypoalbuminaemia,
  gradeLymphocyteCountDecreased,
  gradeNeutrophilCountDecreased,
  gradePlateletCountDecreased,
  gradeWhiteBloodCellDecreased,
  type CtcaeGrade,
  type CtcaeResult,
} from "@lutetia/protocols";

export type { CtcaeGrade };

export type GradedAnalyte =
  | "PLATELETS"
  | "NEUTROPHILS"
  | "WBC"
  | "LYMPHOCYTES"
  | "HAEMOGLOBIN"
  | "CREATININE"
  | "BILIRUBIN"
  | "ALBUMIN"
  | "ALT"
  | "AST"
  | "EGFR";

export interface ReferenceLimits {
  /** Lower limit of normal (canonical unit); used by "decreased" terms. */
  readonly lln?: number;
  /** Upper limit of normal (canonical unit); used by "increased" terms. */
  readonly uln?: number;
}

/** Typical adult limits in canonical units (display defaults, not a laboratory's validated ranges). */
export const DEFAULT_LIMITS: Readonly<Record<GradedAnalyte, ReferenceLimits>> = {
  PLATELETS: { lln: 150 },
  NEUTROPHILS: { lln: 2.0 },
  WBC: { lln: 4.0 },
  LYMPHOCYTES: { lln: 1.0 },
  HAEMOGLOBIN: { lln: 12.0 },
  CREATININE: { uln: 110 },
  BILIRUBIN: { uln: 21 },
  ALBUMIN: { lln: 35 },
  ALT: { uln: 40 },
  AST: { uln: 40 },
  EGFR: { lln: 90 },
};

const GRADERS: Readonly<Record<GradedAnalyte, (x: number, lim: ReferenceLimits) => CtcaeResult>> = {
  PLATELETS: (x, l) => gradePlateletCountDecreased(x, l.lln!),
  NEUTROPHILS: (x, l) => gradeNeutrophilCountDecreased(x, l.lln!),
  WBC: (x, l) => gradeWhiteBloodCellDecreased(x, l.lln!),
  LYMPHOCYTES: (x, l) => gradeLymphocyteCountDecreased(x, l.lln!),
  HAEMOGLOBIN: (x, l) => gradeAnaemia(x, l.lln!),
  ALBUMIN: (x, l) => gradeHypoalbuminaemia(albuminGPerLToGPerDL(x), albuminGPerLToGPerDL(l.lln!)),
  CREATININE: (x, l) => gradeCreatinineIncreased(x, l.uln!),
  BILIRUBIN: (x, l) => gradeBilirubinIncreased(x, l.uln!),
  ALT: (x, l) => gradeAltIncreased(x, l.uln!),
  AST: (x, l) => gradeAstIncreased(x, l.uln!),
  EGFR: (x, l) => gradeChronicKidneyDisease(x, l.lln!),
};

export function isGraded(analyte: string): analyte is GradedAnalyte {
  return Object.prototype.hasOwnProperty.call(GRADERS, analyte);
}

/**
 * CTCAE v5.0 grading of one canonical-unit lab value.
 * @returns the protocols package's result (term, grade, rule, source), or null when the analyte
 *   has no CTCAE lab term (e.g. chromogranin A) or the value cannot be graded (not finite, negative).
 */
export function ctcaeResult(analyte: string, value: number, limits?: ReferenceLimits): CtcaeResult | null {
  if (!isGraded(analyte) || !Number.isFinite(value)) return null;
  try {
    return GRADERS[analyte](value, { ...DEFAULT_LIMITS[analyte], ...limits });
  } catch {
    return null;
  }
}

/** The grade 0–4 only (see {@link ctcaeResult}). */
export function ctcaeGrade(analyte: string, value: number, limits?: ReferenceLimits): CtcaeGrade | null {
  return ctcaeResult(analyte, value, limits)?.grade ?? null;
}
