import { albuminGPerLToGPerDL } from "../common/units.js";
import {
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
  type CtcaeResult,
} from "./grade.js";

/**
 * Lab analytes with a CTCAE v5 lab term, in Lutetia's canonical units: counts ×10⁹/L,
 * haemoglobin g/dL, creatinine and bilirubin µmol/L, albumin g/L, ALT/AST U/L, eGFR
 * mL/min/1.73 m². (Chromogranin A and creatinine clearance have no CTCAE lab term.)
 */
export type CanonicalLabAnalyte =
  | "PLATELETS"
  | "NEUTROPHILS"
  | "WBC"
  | "LYMPHOCYTES"
  | "HAEMOGLOBIN"
  | "ALBUMIN"
  | "EGFR"
  | "CREATININE"
  | "BILIRUBIN"
  | "ALT"
  | "AST";

/** Lower / upper limit of normal of one analyte, canonical unit. */
export interface LabReferenceLimit {
  readonly lln?: number;
  readonly uln?: number;
}

/**
 * Default laboratory reference limits (typical adult values, canonical units). A site policy
 * **(unverified here)**: replace with the performing laboratory's reference intervals. One
 * table for the server's go/no-go grading and the web app's colouring, so both always agree.
 */
export const DEFAULT_LAB_REFERENCE_LIMITS: Readonly<Record<CanonicalLabAnalyte, LabReferenceLimit>> & { readonly source: string } = {
  source:
    "Typical adult reference limits used as a site policy (unverified here – replace with the performing laboratory's reference intervals)",
  PLATELETS: { lln: 150 },
  NEUTROPHILS: { lln: 1.8 },
  WBC: { lln: 4.0 },
  LYMPHOCYTES: { lln: 1.0 },
  HAEMOGLOBIN: { lln: 12.0 },
  ALBUMIN: { lln: 35 },
  EGFR: { lln: 90 },
  CREATININE: { uln: 110 },
  BILIRUBIN: { uln: 21 },
  ALT: { uln: 40 },
  AST: { uln: 40 },
};

const GRADERS: Readonly<Record<CanonicalLabAnalyte, (x: number, l: LabReferenceLimit, baseline?: number) => CtcaeResult>> = {
  PLATELETS: (x, l) => gradePlateletCountDecreased(x, l.lln!),
  NEUTROPHILS: (x, l) => gradeNeutrophilCountDecreased(x, l.lln!),
  WBC: (x, l) => gradeWhiteBloodCellDecreased(x, l.lln!),
  LYMPHOCYTES: (x, l) => gradeLymphocyteCountDecreased(x, l.lln!),
  HAEMOGLOBIN: (x, l) => gradeAnaemia(x, l.lln!),
  ALBUMIN: (x, l) => gradeHypoalbuminaemia(albuminGPerLToGPerDL(x), albuminGPerLToGPerDL(l.lln!)),
  EGFR: (x, l) => gradeChronicKidneyDisease(x, l.lln!),
  CREATININE: (x, l, b) => gradeCreatinineIncreased(x, l.uln!, b),
  BILIRUBIN: (x, l) => gradeBilirubinIncreased(x, l.uln!),
  ALT: (x, l) => gradeAltIncreased(x, l.uln!),
  AST: (x, l) => gradeAstIncreased(x, l.uln!),
};

/** True when the analyte has a CTCAE v5 lab term here. */
export function isCanonicalLabAnalyte(analyte: string): analyte is CanonicalLabAnalyte {
  return Object.prototype.hasOwnProperty.call(GRADERS, analyte);
}

/**
 * CTCAE v5 grade of one lab value in its canonical unit, with the reference limit applied
 * (reference/prrt-protocols.md §4; the grading rules are those of ./grade.ts).
 *
 * @param analyte Lutetia analyte code (e.g. "PLATELETS").
 * @param value value in the analyte's canonical unit (see {@link CanonicalLabAnalyte}).
 * @param options `limit` overrides the default LLN/ULN; `baselineCreatinine` (µmol/L) enables
 *   the baseline-relative creatinine clauses.
 * @returns the grade and the limit used, or null when the analyte has no CTCAE lab term.
 * @throws RangeError from the grading functions for a negative or non-finite value.
 */
export function gradeCanonicalLab(
  analyte: string,
  value: number,
  options: { limit?: LabReferenceLimit; baselineCreatinine?: number } = {},
): { result: CtcaeResult; limit: number } | null {
  if (!isCanonicalLabAnalyte(analyte)) return null;
  const limit = { ...DEFAULT_LAB_REFERENCE_LIMITS[analyte], ...options.limit };
  const result = GRADERS[analyte](value, limit, options.baselineCreatinine);
  return { result, limit: (limit.lln ?? limit.uln)! };
}
