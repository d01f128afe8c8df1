/**
 * CTCAE v5.0 grading of the lab analytes Lutetia records, as a small pure module.
 *
 * Source: /work/shared/reference/prrt-protocols.md §4 "Toxicity grading (CTCAE v5.0, NCI,
 * 27 Nov 2017)", which transcribes the boundaries of the open-source ctcae5_grader. Boundary
 * convention there: "< 75 000 – 50 000" means 50 000 ≤ x < 75 000. Values are in the API's
 * canonical units (apps/api/src/modules/labs/lab-catalogue.ts): counts 10^9/L
 * (75 000/mm³ = 75 × 10^9/L), haemoglobin g/dL, creatinine and bilirubin µmol/L, albumin g/L
 * (3.0 g/dL = 30 g/L).
 *
 * LLN/ULN are the laboratory's limits of normal; the API does not carry them yet, so
 * DEFAULT_LIMITS below are typical adult limits used for display colouring only
 * (**site-configurable limits are an open item**). Baseline-relative creatinine clauses are
 * not encoded (as in the reference). Grade 4 anaemia is clinical, not a lab value, so
 * haemoglobin grades top out at 3. Move to @lutetia/protocols when it exports grading.
 */

export type CtcaeGrade = 0 | 1 | 2 | 3 | 4;

export type GradedAnalyte =
  | "PLATELETS"
  | "NEUTROPHILS"
  | "WBC"
  | "LYMPHOCYTES"
  | "HAEMOGLOBIN"
  | "CREATININE"
  | "BILIRUBIN"
  | "ALBUMIN";

export interface ReferenceLimits {
  /** Lower limit of normal (canonical unit); used by "decreased" terms. */
  readonly lln?: number;
  /** Upper limit of normal (canonical unit); used by "increased" terms. */
  readonly uln?: number;
}

/** Typical adult limits (display defaults, not a laboratory's validated ranges). */
export const DEFAULT_LIMITS: Readonly<Record<GradedAnalyte, ReferenceLimits>> = {
  PLATELETS: { lln: 150 },
  NEUTROPHILS: { lln: 2.0 },
  WBC: { lln: 4.0 },
  LYMPHOCYTES: { lln: 1.0 },
  HAEMOGLOBIN: { lln: 12.0 },
  CREATININE: { uln: 110 },
  BILIRUBIN: { uln: 21 },
  ALBUMIN: { lln: 35 },
};

const GRADED = new Set<string>(Object.keys(DEFAULT_LIMITS));

export function isGraded(analyte: string): analyte is GradedAnalyte {
  return GRADED.has(analyte);
}

/** "Decreased" term: thresholds [g2, g3, g4] as upper bounds (x < t). */
function gradeDecreased(x: number, lln: number, g2: number, g3: number, g4: number | null): CtcaeGrade {
  if (g4 !== null && x < g4) return 4;
  if (x < g3) return 3;
  if (x < g2) return 2;
  if (x < lln) return 1;
  return 0;
}

/** "Increased" term in multiples of ULN: thresholds [g2, g3, g4] as lower bounds (x > t·ULN). */
function gradeIncreased(x: number, uln: number, g2: number, g3: number, g4: number): CtcaeGrade {
  if (x > g4 * uln) return 4;
  if (x > g3 * uln) return 3;
  if (x > g2 * uln) return 2;
  if (x > uln) return 1;
  return 0;
}

/**
 * CTCAE v5.0 grade of one canonical-unit lab value.
 * @param analyte the API's LabAnalyte.
 * @param value value in the canonical unit.
 * @param limits LLN/ULN override (defaults to DEFAULT_LIMITS).
 * @returns the grade 0–4, or null when the analyte has no CTCAE lab term here or the value is not finite.
 */
export function ctcaeGrade(analyte: string, value: number, limits?: ReferenceLimits): CtcaeGrade | null {
  if (!isGraded(analyte) || !Number.isFinite(value)) return null;
  const lim = { ...DEFAULT_LIMITS[analyte], ...limits };
  switch (analyte) {
    case "PLATELETS": // < LLN–75 000; < 75 000–50 000; < 50 000–25 000; < 25 000 /mm³
      return gradeDecreased(value, lim.lln!, 75, 50, 25);
    case "NEUTROPHILS": // < LLN–1500; < 1500–1000; < 1000–500; < 500 /mm³
      return gradeDecreased(value, lim.lln!, 1.5, 1.0, 0.5);
    case "WBC": // < LLN–3000; < 3000–2000; < 2000–1000; < 1000 /mm³
      return gradeDecreased(value, lim.lln!, 3.0, 2.0, 1.0);
    case "LYMPHOCYTES": // < LLN–800; < 800–500; < 500–200; < 200 /mm³
      return gradeDecreased(value, lim.lln!, 0.8, 0.5, 0.2);
    case "HAEMOGLOBIN": // < LLN–10.0; < 10.0–8.0; < 8.0 g/dL; G4 clinical
      return gradeDecreased(value, lim.lln!, 10.0, 8.0, null);
    case "ALBUMIN": // < LLN–3.0; < 3.0–2.0; < 2.0 g/dL (= 30, 20 g/L)
      return gradeDecreased(value, lim.lln!, 30, 20, null);
    case "CREATININE": // > ULN–1.5×; > 1.5–3.0×; > 3.0–6.0×; > 6.0× ULN
      return gradeIncreased(value, lim.uln!, 1.5, 3.0, 6.0);
    case "BILIRUBIN": // > ULN–1.5×; > 1.5–3.0×; > 3.0–10.0×; > 10.0× ULN (baseline normal)
      return gradeIncreased(value, lim.uln!, 1.5, 3.0, 10.0);
  }
}
