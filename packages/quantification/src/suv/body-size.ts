import { requireFinite, requirePositive, show } from "../internal/validate.js";

/*
 * Body-size terms for SUV normalisation. Formulas: reference/suv.md §1.1 (table "Body-size
 * formulas"), original sources James 1976 (as tabulated in the IBSI SUV manual, Vácha et al.),
 * Sugawara et al. Radiology 1999 ("Morgan" variant), Janmahasatian et al. Clin Pharmacokinet
 * 2005;44:1051–1065, Du Bois BSA and IBW as in the IBSI manual.
 * Weight in kg, height in cm unless stated (suv.md §1.1); results in kg or m².
 */

/** Patient sex for the sex-specific formulas: DICOM Patient's Sex (0010,0040) `M` or `F`. */
export type Sex = "M" | "F";

/** LBM formula identifiers, as DICOM SUV Type values (suv.md §1). */
export type LbmFormula = "LBMJAMES128" | "LBM" | "LBMJANMA";

function checkWeight(weightKg: number): number {
  requirePositive("weightKg", weightKg);
  if (weightKg > 1000) {
    throw new RangeError(
      `weightKg must be <= 1000 (kg; larger values are usually grams), got ${weightKg}`,
    );
  }
  return weightKg;
}

function checkHeightCm(heightCm: number): number {
  requireFinite("heightCm", heightCm);
  if (heightCm < 30 || heightCm > 300) {
    throw new RangeError(
      `heightCm must be in [30, 300] cm (Patient's Size is in metres: multiply by 100), got ${heightCm}`,
    );
  }
  return heightCm;
}

function checkSex(sex: Sex): Sex {
  if (sex !== "M" && sex !== "F") throw new RangeError(`sex must be "M" or "F", got ${show(sex)}`);
  return sex;
}

/**
 * Body-mass index BMI = W / H_m² (suv.md §1.1).
 *
 * @param weightKg body weight in kg (0 < W ≤ 1000).
 * @param heightCm height in cm (30–300).
 * @returns BMI in kg/m².
 * @throws TypeError when not finite; RangeError when outside the ranges above.
 */
export function bmi(weightKg: number, heightCm: number): number {
  checkWeight(weightKg);
  const hM = checkHeightCm(heightCm) / 100;
  return weightKg / (hM * hM);
}

/**
 * Lean body mass, James 1976 (DICOM SUV Type `LBMJAMES128`):
 * male 1.10·W − 128·(W/H)², female 1.07·W − 148·(W/H)², W in kg, H in cm
 * (suv.md §1.1, James 1976 as tabulated in the IBSI SUV manual). Non-monotonic in W: for
 * males it peaks at W = 1.1·H²/256 and falls beyond (suv.md §1.1 notes) – prefer
 * Janmahasatian in obesity. Worked example S3: male 80 kg, 180 cm → 62.716 kg.
 *
 * @returns LBM in kg (may be ≤ 0 for extreme obesity; not clamped).
 * @throws TypeError/RangeError for invalid weight, height or sex.
 */
export function lbmJamesKg(weightKg: number, heightCm: number, sex: Sex): number {
  checkWeight(weightKg);
  checkHeightCm(heightCm);
  const r = weightKg / heightCm;
  return checkSex(sex) === "M" ? 1.1 * weightKg - 128 * r * r : 1.07 * weightKg - 148 * r * r;
}

/**
 * Lean body mass, "Morgan" variant (DICOM SUV Type `LBM`): male 1.10·W − 120·(W/H)²,
 * female 1.07·W − 148·(W/H)² (suv.md §1.1, Sugawara et al. Radiology 1999 via the IBSI
 * manual). This is what @cornerstonejs/calculate-suv 1.1.0 computes under the name "James".
 *
 * @returns LBM in kg.
 * @throws TypeError/RangeError for invalid weight, height or sex.
 */
export function lbmMorganKg(weightKg: number, heightCm: number, sex: Sex): number {
  checkWeight(weightKg);
  checkHeightCm(heightCm);
  const r = weightKg / heightCm;
  return checkSex(sex) === "M" ? 1.1 * weightKg - 120 * r * r : 1.07 * weightKg - 148 * r * r;
}

/**
 * Lean body mass, Janmahasatian 2005 (DICOM SUV Type `LBMJANMA`):
 * male 9270·W / (6680 + 216·BMI), female 9270·W / (8780 + 244·BMI)
 * (suv.md §1.1; Janmahasatian S et al., Clin Pharmacokinet 2005;44:1051–1065).
 * Worked example S3: male 80 kg, 180 cm → 61.731 kg.
 *
 * @returns LBM in kg.
 * @throws TypeError/RangeError for invalid weight, height or sex.
 */
export function lbmJanmahasatianKg(weightKg: number, heightCm: number, sex: Sex): number {
  const b = bmi(weightKg, heightCm);
  return checkSex(sex) === "M"
    ? (9270 * weightKg) / (6680 + 216 * b)
    : (9270 * weightKg) / (8780 + 244 * b);
}

/**
 * Body surface area, Du Bois: BSA = 0.007184 · W^0.425 · H^0.725 (suv.md §1.1, IBSI manual).
 * Worked example S4: 80 kg, 180 cm → 1.99642 m².
 *
 * @returns BSA in m² (× 10 000 for cm², the unit SUVbsa uses).
 * @throws TypeError/RangeError for invalid weight or height.
 */
export function bsaDuBoisM2(weightKg: number, heightCm: number): number {
  checkWeight(weightKg);
  checkHeightCm(heightCm);
  return 0.007184 * Math.pow(weightKg, 0.425) * Math.pow(heightCm, 0.725);
}

/**
 * Ideal body weight: male 48.0 + 1.06·(H − 152), female 45.5 + 0.91·(H − 152), H in cm
 * (suv.md §1.1, IBSI manual). Worked example S4: male 180 cm → 77.68 kg; female 165 cm → 57.33 kg.
 *
 * @returns IBW in kg.
 * @throws TypeError/RangeError for invalid height or sex.
 */
export function ibwKg(heightCm: number, sex: Sex): number {
  checkHeightCm(heightCm);
  return checkSex(sex) === "M" ? 48.0 + 1.06 * (heightCm - 152) : 45.5 + 0.91 * (heightCm - 152);
}

/**
 * SUVbw from an activity concentration: SUVbw = C · W_g / A (suv.md §1 table, W in g).
 *
 * @param concentrationBqPerMl tissue activity concentration C in Bq/mL (any finite value; noise may be < 0).
 * @param activityBq administered activity decay-corrected to the same time as C, in Bq (> 0).
 * @param weightKg body weight in kg (0 < W ≤ 1000).
 * @returns SUVbw in g/mL (dimensionless with density 1 g/mL).
 * @throws TypeError/RangeError for invalid arguments.
 */
export function suvbwFromConcentration(
  concentrationBqPerMl: number,
  activityBq: number,
  weightKg: number,
): number {
  requireFinite("concentrationBqPerMl", concentrationBqPerMl);
  requirePositive("activityBq", activityBq);
  return (concentrationBqPerMl * checkWeight(weightKg) * 1000) / activityBq;
}

/**
 * Re-normalises SUVbw to another body-size term of mass: SUV_x = SUVbw · X / W
 * (suv.md §1 table; X = LBM for SUL, IBW for SUVibw). Example S3: SUVbw 10, LBM 62.716 kg,
 * W 80 kg → SUL 7.8395.
 *
 * @param suvbw SUVbw (g/mL).
 * @param bodySizeKg LBM or IBW in kg (> 0).
 * @param weightKg body weight in kg used for the SUVbw.
 * @throws TypeError/RangeError for invalid arguments.
 */
export function suvFromSuvbwByMass(suvbw: number, bodySizeKg: number, weightKg: number): number {
  requireFinite("suvbw", suvbw);
  requirePositive("bodySizeKg", bodySizeKg);
  return (suvbw * bodySizeKg) / checkWeight(weightKg);
}

/**
 * SUVbsa from SUVbw: SUVbsa = SUVbw · BSA_cm² / W_g (suv.md §1 table; Example S4:
 * SUVbw 10, BSA 1.99642 m², 80 kg → 2.4955 cm²/mL).
 *
 * @param suvbw SUVbw (g/mL).
 * @param bsaM2 body surface area in m² (> 0).
 * @param weightKg body weight in kg.
 * @returns SUVbsa in cm²/mL.
 * @throws TypeError/RangeError for invalid arguments.
 */
export function suvbsaFromSuvbw(suvbw: number, bsaM2: number, weightKg: number): number {
  requireFinite("suvbw", suvbw);
  requirePositive("bsaM2", bsaM2);
  return (suvbw * bsaM2 * 10000) / (checkWeight(weightKg) * 1000);
}
