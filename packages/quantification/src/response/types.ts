/** Shared result types of the response-criteria module. */

/**
 * One structured reason behind a category: which lesions, which values, which thresholds,
 * which edge case or policy applied, plus a human-readable message.
 */
export interface ResponseReason {
  /** Machine-readable code, e.g. `PD_SOD_INCREASE_VS_NADIR`, `NEW_LESION`. */
  code: string;
  /** Human-readable explanation with the numbers. */
  message: string;
  /** Lesions involved (may be empty). */
  lesionIds?: string[];
  /** Measured / derived values used. */
  values?: Record<string, number | string | boolean | null>;
  /** Thresholds compared against. */
  thresholds?: Record<string, number | string | boolean>;
  /** Reference edge case or policy that applied, e.g. "response-criteria.md §1.2 edge case 1". */
  rule?: string;
}

/** A category with its reasons and the rule-set that produced it. */
export interface ResponseAssessment<C extends string> {
  category: C;
  reasons: ResponseReason[];
  /** Rule-set identifier, e.g. "RECIST 1.1". */
  ruleSet: string;
}
