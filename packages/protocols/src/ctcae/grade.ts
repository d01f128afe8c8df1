import { assertPositive, assertNonNegative, optNonNegative } from "../common/assert.js";
import { SRC } from "../common/sources.js";

/** CTCAE grade for a lab value (5 = death does not apply to lab values). */
export type CtcaeGrade = 0 | 1 | 2 | 3 | 4;

/** Result of grading one lab value. */
export interface CtcaeResult {
  /** CTCAE v5.0 term, e.g. "Platelet count decreased". */
  term: string;
  grade: CtcaeGrade;
  /** The rule that fired, e.g. "50 ≤ x < 75 ×10⁹/L → grade 2". */
  rule: string;
  value: number;
  unit: string;
  source: string;
}

// Multiples of ULN/baseline are rounded to 1e-10 before comparison (as ctcae5_grader does) so that
// e.g. 1.2 × 1.5 = 1.7999999999999998 does not shift a value exactly on a boundary.
const r10 = (x: number): number => Math.round(x * 1e10) / 1e10;

/** One CTCAE result shape per graded value: `mk(grade, rule)`. */
function gradedAs(term: string, value: number, unit: string, source: string): (grade: CtcaeGrade, rule: string) => CtcaeResult {
  return (grade, rule) => ({ term, grade, rule, value, unit, source });
}

/**
 * Grade a "count decreased" term: G1 [c1, LLN), G2 [c2, c1), G3 [c3, c2), G4 < c3.
 * If LLN ≤ c1 the G1 band is empty and values ≥ c1 are grade 0.
 */
function decreasedCount(
  term: string,
  x: number,
  lln: number,
  c: readonly [number, number, number],
  unit: string,
): CtcaeResult {
  const [c1, c2, c3] = c;
  const mk = gradedAs(term, x, unit, SRC.CTCAE_TABLE);
  if (x < c3) return mk(4, `x < ${c3} ${unit} → grade 4`);
  if (x < c2) return mk(3, `${c3} ≤ x < ${c2} ${unit} → grade 3`);
  if (x < c1) return mk(2, `${c2} ≤ x < ${c1} ${unit} → grade 2`);
  if (x < lln) return mk(1, `${c1} ≤ x < LLN ${lln} ${unit} → grade 1`);
  return mk(0, `x ≥ LLN ${lln} ${unit} → grade 0`);
}

/**
 * CTCAE v5.0 Platelet count decreased. Units ×10⁹/L (= 1000/mm³; 75 000/mm³ = 75 ×10⁹/L).
 * G1 < LLN–75; G2 < 75–50; G3 < 50–25; G4 < 25. Source: prrt-protocols.md §4 (CTCAE v5.0).
 * @throws TypeError/RangeError if `plateletsE9PerL` or `llnE9PerL` is not a finite number ≥ 0 (LLN > 0).
 */
export function gradePlateletCountDecreased(
  plateletsE9PerL: number,
  llnE9PerL: number,
): CtcaeResult {
  assertNonNegative("plateletsE9PerL", plateletsE9PerL);
  assertPositive("llnE9PerL", llnE9PerL);
  return decreasedCount(
    "Platelet count decreased",
    plateletsE9PerL,
    llnE9PerL,
    [75, 50, 25],
    "×10⁹/L",
  );
}

/**
 * CTCAE v5.0 Neutrophil count decreased. Units ×10⁹/L (1500/mm³ = 1.5 ×10⁹/L).
 * G1 < LLN–1.5; G2 < 1.5–1.0; G3 < 1.0–0.5; G4 < 0.5. Source: prrt-protocols.md §4.
 * @throws TypeError/RangeError naming the parameter.
 */
export function gradeNeutrophilCountDecreased(
  neutrophilsE9PerL: number,
  llnE9PerL: number,
): CtcaeResult {
  assertNonNegative("neutrophilsE9PerL", neutrophilsE9PerL);
  assertPositive("llnE9PerL", llnE9PerL);
  return decreasedCount(
    "Neutrophil count decreased",
    neutrophilsE9PerL,
    llnE9PerL,
    [1.5, 1.0, 0.5],
    "×10⁹/L",
  );
}

/**
 * CTCAE v5.0 White blood cell decreased. Units ×10⁹/L. G1 < LLN–3.0; G2 < 3.0–2.0; G3 < 2.0–1.0; G4 < 1.0.
 * Source: prrt-protocols.md §4. @throws TypeError/RangeError naming the parameter.
 */
export function gradeWhiteBloodCellDecreased(wbcE9PerL: number, llnE9PerL: number): CtcaeResult {
  assertNonNegative("wbcE9PerL", wbcE9PerL);
  assertPositive("llnE9PerL", llnE9PerL);
  return decreasedCount(
    "White blood cell decreased",
    wbcE9PerL,
    llnE9PerL,
    [3.0, 2.0, 1.0],
    "×10⁹/L",
  );
}

/**
 * CTCAE v5.0 Lymphocyte count decreased. Units ×10⁹/L. G1 < LLN–0.8; G2 < 0.8–0.5; G3 < 0.5–0.2; G4 < 0.2.
 * Source: prrt-protocols.md §4. @throws TypeError/RangeError naming the parameter.
 */
export function gradeLymphocyteCountDecreased(
  lymphocytesE9PerL: number,
  llnE9PerL: number,
): CtcaeResult {
  assertNonNegative("lymphocytesE9PerL", lymphocytesE9PerL);
  assertPositive("llnE9PerL", llnE9PerL);
  return decreasedCount(
    "Lymphocyte count decreased",
    lymphocytesE9PerL,
    llnE9PerL,
    [0.8, 0.5, 0.2],
    "×10⁹/L",
  );
}

/**
 * CTCAE v5.0 Anaemia from haemoglobin, g/dL (g/L ÷ 10; mmol/L × 1.611). G1 < LLN–10.0; G2 < 10.0–8.0;
 * G3 < 8.0. Grade 4 (life-threatening) is clinical, never assigned from the lab value.
 * Source: prrt-protocols.md §4. @throws TypeError/RangeError naming the parameter.
 */
export function gradeAnaemia(haemoglobinGPerDL: number, llnGPerDL: number): CtcaeResult {
  assertNonNegative("haemoglobinGPerDL", haemoglobinGPerDL);
  assertPositive("llnGPerDL", llnGPerDL);
  const x = haemoglobinGPerDL;
  const mk = gradedAs("Anaemia", x, "g/dL", SRC.CTCAE_TABLE);
  if (x < 8.0) return mk(3, "Hb < 8.0 g/dL → grade 3 (grade 4 is a clinical judgement)");
  if (x < 10.0) return mk(2, "8.0 ≤ Hb < 10.0 g/dL → grade 2");
  if (x < llnGPerDL) return mk(1, `10.0 ≤ Hb < LLN ${llnGPerDL} g/dL → grade 1`);
  return mk(0, `Hb ≥ LLN ${llnGPerDL} g/dL → grade 0`);
}

/**
 * CTCAE v5.0 Hypoalbuminaemia, g/dL (g/L ÷ 10). G1 < LLN–3.0; G2 < 3.0–2.0; G3 < 2.0 (no lab grade 4).
 * Source: prrt-protocols.md §4. @throws TypeError/RangeError naming the parameter.
 */
export function gradeHypoalbuminaemia(albuminGPerDL: number, llnGPerDL: number): CtcaeResult {
  assertNonNegative("albuminGPerDL", albuminGPerDL);
  assertPositive("llnGPerDL", llnGPerDL);
  const x = albuminGPerDL;
  const mk = gradedAs("Hypoalbuminemia", x, "g/dL", SRC.CTCAE_TABLE);
  if (x < 2.0) return mk(3, "albumin < 2.0 g/dL → grade 3");
  if (x < 3.0) return mk(2, "2.0 ≤ albumin < 3.0 g/dL → grade 2");
  if (x < llnGPerDL) return mk(1, `3.0 ≤ albumin < LLN ${llnGPerDL} g/dL → grade 1`);
  return mk(0, `albumin ≥ LLN ${llnGPerDL} g/dL → grade 0`);
}

/** Grade an "increased" value against ascending multiples m1 < m2 < m3 of a reference (ULN or baseline): G1 (ref·m0, ref·m1], G2 (…, ref·m2], G3 (…, ref·m3], G4 > ref·m3. */
function increased(
  x: number,
  ref: number,
  refName: string,
  m: readonly [number, number, number, number],
): { grade: CtcaeGrade; rule: string } {
  const [m0, m1, m2, m3] = m;
  const t = (k: number) => r10(ref * k);
  const lbl = (k: number) => (k === 1 ? refName : `${k} × ${refName}`);
  if (x > t(m3)) return { grade: 4, rule: `x > ${lbl(m3)} → grade 4` };
  if (x > t(m2)) return { grade: 3, rule: `${lbl(m2)} < x ≤ ${lbl(m3)} → grade 3` };
  if (x > t(m1)) return { grade: 2, rule: `${lbl(m1)} < x ≤ ${lbl(m2)} → grade 2` };
  if (x > t(m0)) return { grade: 1, rule: `${lbl(m0)} < x ≤ ${lbl(m1)} → grade 1` };
  return { grade: 0, rule: `x ≤ ${lbl(m0)} → grade 0` };
}

/**
 * CTCAE v5.0 Creatinine increased. `value`, `uln` and optional `baseline` share one unit (µmol/L or mg/dL).
 * ULN clauses: G1 > ULN–1.5 × ULN; G2 > 1.5–3.0 × ULN; G3 > 3.0–6.0 × ULN; G4 > 6.0 × ULN.
 * Baseline clauses (when `baseline` is given): G2 > 1.5–3.0 × baseline; G3 > 3.0 × baseline.
 * The higher grade of the two wins. Upper bounds inclusive (ctcae5_grader convention).
 * Source: prrt-protocols.md §4 (baseline clauses: CTCAE v5.0, not in ctcae5_grader – unverified here).
 * @throws TypeError/RangeError naming the parameter.
 */
export function gradeCreatinineIncreased(
  value: number,
  uln: number,
  baseline?: number,
): CtcaeResult {
  assertNonNegative("value", value);
  assertPositive("uln", uln);
  const base = optNonNegative("baseline", baseline);
  let r = increased(value, uln, "ULN", [1, 1.5, 3, 6]);
  if (base !== undefined && base > 0) {
    const b =
      value > r10(base * 3)
        ? { grade: 3 as const, rule: "x > 3.0 × baseline → grade 3" }
        : value > r10(base * 1.5)
          ? { grade: 2 as const, rule: "1.5 × baseline < x ≤ 3.0 × baseline → grade 2" }
          : null;
    if (b !== null && b.grade > r.grade) r = b;
  }
  return gradedAs("Creatinine increased", value, "same unit as ULN", SRC.CTCAE_TABLE)(r.grade, r.rule);
}

/**
 * CTCAE v5.0 Blood bilirubin increased (total bilirubin). Same unit for value/ULN/baseline.
 * Baseline normal (or not given): G1 > ULN–1.5 × ULN; G2 > 1.5–3.0 × ULN; G3 > 3.0–10.0 × ULN; G4 > 10 × ULN.
 * Baseline abnormal (> ULN): G1 > 1.0–1.5 × baseline; G2 > 1.5–3.0; G3 > 3.0–10.0; G4 > 10 × baseline.
 * Source: prrt-protocols.md §4 (CTCAE v5.0; ctcae5_grader ctcae5_bili.sas).
 * @throws TypeError/RangeError naming the parameter.
 */
export function gradeBilirubinIncreased(
  value: number,
  uln: number,
  baseline?: number,
): CtcaeResult {
  assertNonNegative("value", value);
  assertPositive("uln", uln);
  const base = optNonNegative("baseline", baseline);
  const r =
    base !== undefined && base > uln
      ? increased(value, base, "baseline", [1, 1.5, 3, 10])
      : increased(value, uln, "ULN", [1, 1.5, 3, 10]);
  return gradedAs("Blood bilirubin increased", value, "same unit as ULN", SRC.CTCAE_TABLE)(r.grade, r.rule);
}

function transaminase(
  term: string,
  name: string,
  value: number,
  uln: number,
  baseline?: number,
): CtcaeResult {
  assertNonNegative(name, value);
  assertPositive("uln", uln);
  const base = optNonNegative("baseline", baseline);
  const r =
    base !== undefined && base > uln
      ? increased(value, base, "baseline", [1.5, 3, 5, 20])
      : increased(value, uln, "ULN", [1, 3, 5, 20]);
  return gradedAs(term, value, "U/L", SRC.CTCAE_NOT_IN_REFERENCE)(r.grade, r.rule);
}

/**
 * CTCAE v5.0 Alanine aminotransferase increased, U/L. Baseline normal: G1 > ULN–3.0 × ULN; G2 > 3.0–5.0 × ULN;
 * G3 > 5.0–20.0 × ULN; G4 > 20 × ULN. Baseline abnormal: G1 > 1.5–3.0 × baseline; G2 > 3.0–5.0; G3 > 5.0–20.0; G4 > 20.
 * Source: CTCAE v5.0 via PharmaForest/ctcae5_grader (not tabulated in prrt-protocols.md §4).
 * @throws TypeError/RangeError naming the parameter.
 */
export function gradeAltIncreased(
  altUPerL: number,
  ulnUPerL: number,
  baselineUPerL?: number,
): CtcaeResult {
  return transaminase(
    "Alanine aminotransferase increased",
    "altUPerL",
    altUPerL,
    ulnUPerL,
    baselineUPerL,
  );
}

/**
 * CTCAE v5.0 Aspartate aminotransferase increased, U/L; same bands as ALT.
 * Source: CTCAE v5.0 via PharmaForest/ctcae5_grader (not tabulated in prrt-protocols.md §4).
 * @throws TypeError/RangeError naming the parameter.
 */
export function gradeAstIncreased(
  astUPerL: number,
  ulnUPerL: number,
  baselineUPerL?: number,
): CtcaeResult {
  return transaminase(
    "Aspartate aminotransferase increased",
    "astUPerL",
    astUPerL,
    ulnUPerL,
    baselineUPerL,
  );
}

/**
 * CTCAE v5.0 Chronic kidney disease from eGFR or CrCl, mL/min/1.73 m² (lab part only; proteinuria and
 * dialysis criteria are clinical). G1 eGFR < LLN–60; G2 59–30 (30 ≤ x < 60); G3 29–15 (15 ≤ x < 30); G4 < 15.
 * `lln` defaults to 90 mL/min/1.73 m² (policy, unverified). Source: CTCAE v5.0 – NOT tabulated in
 * prrt-protocols.md §4 (the reference gives no eGFR cut-offs); unverified here.
 * @throws TypeError/RangeError naming the parameter.
 */
export function gradeChronicKidneyDisease(egfrMLPerMinPer173m2: number, lln = 90): CtcaeResult {
  assertNonNegative("egfrMLPerMinPer173m2", egfrMLPerMinPer173m2);
  assertPositive("lln", lln);
  const x = egfrMLPerMinPer173m2;
  const mk = gradedAs("Chronic kidney disease", x, "mL/min/1.73 m²", SRC.CTCAE_CKD);
  if (x < 15) return mk(4, "eGFR < 15 → grade 4");
  if (x < 30) return mk(3, "15 ≤ eGFR < 30 → grade 3");
  if (x < 60) return mk(2, "30 ≤ eGFR < 60 → grade 2");
  if (x < lln) return mk(1, `60 ≤ eGFR < LLN ${lln} → grade 1`);
  return mk(0, `eGFR ≥ LLN ${lln} → grade 0`);
}
