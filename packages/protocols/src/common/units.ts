import { assertNonNegative, assertPositive, show } from "./assert.js";

/**
 * Canonical units used across this package (convert at the edge with these helpers):
 * haemoglobin g/dL; albumin g/dL; cell counts ×10⁹/L (= 1000/mm³ = 1000/µL); creatinine clearance
 * and eGFR mL/min (eGFR mL/min/1.73 m²); serum creatinine mg/dL for Cockcroft–Gault; bilirubin,
 * creatinine and transaminases graded as ratios to ULN/baseline in any single unit.
 */

/** Haemoglobin g/L → g/dL (÷ 10). @throws naming `gPerL`. */
export function haemoglobinGPerLToGPerDL(gPerL: number): number {
  assertNonNegative("gPerL", gPerL);
  return gPerL / 10;
}

/**
 * Haemoglobin mmol/L (Hb monomer, as reported in the Netherlands) → g/dL: × 1.6114 (molar mass of the
 * Hb monomer 16 114 g/mol). Reference check: 5.0 mmol/L ≈ 8.0 g/dL (prrt-protocols.md §3).
 * @throws naming `mmolPerL`.
 */
export function haemoglobinMmolPerLToGPerDL(mmolPerL: number): number {
  assertNonNegative("mmolPerL", mmolPerL);
  return mmolPerL * 1.6114;
}

/** Cells per mm³ (= per µL) → ×10⁹/L (÷ 1000). 75 000/mm³ = 75 ×10⁹/L. @throws naming `perMm3`. */
export function perMm3ToE9PerL(perMm3: number): number {
  assertNonNegative("perMm3", perMm3);
  return perMm3 / 1000;
}

/** Serum creatinine µmol/L → mg/dL (÷ 88.4, prrt-protocols.md §3 helper formulas). @throws naming `umolPerL`. */
export function creatinineUmolPerLToMgPerDL(umolPerL: number): number {
  assertNonNegative("umolPerL", umolPerL);
  return umolPerL / 88.4;
}

/** Albumin g/L → g/dL (÷ 10). @throws naming `gPerL`. */
export function albuminGPerLToGPerDL(gPerL: number): number {
  assertNonNegative("gPerL", gPerL);
  return gPerL / 10;
}

/**
 * Cockcroft–Gault creatinine clearance, mL/min:
 * CrCl = (140 − age[y]) × weight[kg] / (72 × SCr[mg/dL]) × 0.85 if female.
 * Worked example (prrt-protocols.md §3): woman, 65 y, 60 kg, SCr 1.0 mg/dL → 53.125 mL/min.
 * Source: prrt-protocols.md §3 Helper formulas (textbook, unverified here).
 * @throws RangeError/TypeError naming the parameter (0 < age ≤ 130, weight > 0, SCr > 0, sex F|M).
 */
export function cockcroftGaultCrClMLPerMin(p: {
  ageYears: number;
  weightKg: number;
  serumCreatinineMgPerDL: number;
  sex: "F" | "M";
}): number {
  if (typeof p !== "object" || p === null)
    throw new TypeError(`p must be an object, got ${show(p)}`);
  assertPositive("p.ageYears", p.ageYears);
  if (p.ageYears > 130) throw new RangeError(`p.ageYears must be ≤ 130, got ${p.ageYears}`);
  assertPositive("p.weightKg", p.weightKg);
  assertPositive("p.serumCreatinineMgPerDL", p.serumCreatinineMgPerDL);
  if (p.sex !== "F" && p.sex !== "M")
    throw new RangeError(`p.sex must be "F" or "M", got ${show(p.sex)}`);
  const crcl = ((140 - p.ageYears) * p.weightKg) / (72 * p.serumCreatinineMgPerDL);
  return Math.max(0, p.sex === "F" ? crcl * 0.85 : crcl);
}
