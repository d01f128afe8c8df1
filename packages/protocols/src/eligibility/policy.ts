import { SRC, UNVERIFIED } from "../common/sources.js";
import type { PolicyValue } from "../schedule/constraints.js";

/**
 * Configurable eligibility thresholds; every value carries its source. Comparison direction is
 * fixed by the rule ("exclude if < X" passes at exactly X; "exclude if > X" passes at exactly X).
 */
export interface EligibilityPolicy {
  id: string;
  name: string;
  /** Minimum Krenning (or modified Krenning) score in every target lesion; also the SSTR-positivity cut for discordance. */
  minKrenning: PolicyValue<number>;
  /** Status when ≥ 1 FDG+/SSTR− lesion is present. */
  discordantLesionStatus: PolicyValue<"FAIL" | "WARN">;
  /** FDG PET is considered indicated above this Ki-67 (%) or for WHO G3. */
  fdgPetIndicatedAboveKi67Percent: PolicyValue<number>;
  maxKi67Percent: PolicyValue<number>;
  /** NETTER-2 style lower bound (null = none). */
  minKi67Percent: PolicyValue<number | null>;
  minHaemoglobinGPerDL: PolicyValue<number>;
  minWbcE9PerL: PolicyValue<number>;
  minPlateletsE9PerL: PolicyValue<number>;
  minCreatinineClearanceMLPerMin: PolicyValue<number>;
  maxBilirubinXUln: PolicyValue<number>;
  minAlbuminGPerDL: PolicyValue<number>;
  /** Albumin below the minimum is accepted when prothrombin time is normal (NETTER-style wording). */
  albuminExceptionIfProthrombinNormal: PolicyValue<boolean>;
  /** null = INR not evaluated. */
  maxInr: PolicyValue<number> | null;
  maxEcog: PolicyValue<number>;
  minKarnofsky: PolicyValue<number>;
  allowPriorPrrt: PolicyValue<boolean>;
  maxCumulativeKidneyDoseGy: PolicyValue<number>;
  minPfsMonthsForRetreatment: PolicyValue<number>;
  longActingSsaWashoutDays: PolicyValue<number>;
  shortActingSsaWashoutHours: PolicyValue<number>;
  maxLabAgeDays: PolicyValue<number>;
}

/** Default: NETTER-style exclusion thresholds (prrt-protocols.md §3, "NETTER-style" column). */
export const NETTER_STYLE_ELIGIBILITY_POLICY: EligibilityPolicy = {
  id: "netter-style",
  name: "NETTER-style (Lutathera label era) eligibility",
  minKrenning: { value: 2, source: SRC.ELIG_KRENNING },
  discordantLesionStatus: { value: "FAIL", source: SRC.ELIG_DISCORDANCE },
  fdgPetIndicatedAboveKi67Percent: { value: 10, source: SRC.ELIG_FDG_INDICATED },
  maxKi67Percent: { value: 20, source: SRC.ELIG_KI67 },
  minKi67Percent: { value: null, source: SRC.ELIG_KI67 },
  minHaemoglobinGPerDL: { value: 8.0, source: SRC.ELIG_HB },
  minWbcE9PerL: { value: 2.0, source: SRC.ELIG_WBC },
  minPlateletsE9PerL: { value: 75, source: SRC.ELIG_PLT },
  minCreatinineClearanceMLPerMin: { value: 50, source: SRC.ELIG_RENAL },
  maxBilirubinXUln: { value: 3, source: SRC.ELIG_BILI },
  minAlbuminGPerDL: { value: 3.0, source: SRC.ELIG_ALB },
  albuminExceptionIfProthrombinNormal: { value: true, source: SRC.ELIG_ALB },
  maxInr: { value: 1.5, source: SRC.ELIG_INR },
  maxEcog: { value: 2, source: SRC.ELIG_PS },
  minKarnofsky: { value: 60, source: SRC.ELIG_PS },
  allowPriorPrrt: {
    value: true,
    source: `${SRC.ELIG_PRIOR_PRRT}; retreatment always goes to the tumour board (REVIEW)`,
  },
  maxCumulativeKidneyDoseGy: {
    value: 23,
    source: `dosimetry.md §6 – kidney absorbed-dose limit 23 Gy (Emami 1991 ${UNVERIFIED}; Konijnenberg 2003); alternative 27 Gy (Garske 2010)`,
  },
  minPfsMonthsForRetreatment: {
    value: 18,
    source:
      "prrt-protocols.md §7 – Rotterdam retreatment after PFS ≥ 18 months (van der Zwan WA et al., Eur J Nucl Med Mol Imaging 2019;46:704)",
  },
  longActingSsaWashoutDays: { value: 28, source: SRC.LABEL_SSA_BEFORE_FIRST },
  shortActingSsaWashoutHours: { value: 24, source: SRC.LABEL_SSA_BEFORE_FIRST },
  maxLabAgeDays: { value: 14, source: SRC.ELIG_LAB_AGE },
};

/** LUTIA-protocol thresholds (prrt-protocols.md §3 "Other sources"; Trials 2019, doi:10.1186/s13063-019-3888-0). */
export const LUTIA_ELIGIBILITY_POLICY: EligibilityPolicy = {
  ...NETTER_STYLE_ELIGIBILITY_POLICY,
  id: "lutia",
  name: "LUTIA protocol eligibility",
  minHaemoglobinGPerDL: {
    value: 5.5 * 1.6114,
    source:
      "prrt-protocols.md §3 – LUTIA: Hb < 5.5 mmol/L excluded (= 8.86 g/dL at 1.6114 g/dL per mmol/L)",
  },
  minWbcE9PerL: {
    value: 3.0,
    source: "prrt-protocols.md §3 – LUTIA: leucocytes < 3.0 × 10⁹/L excluded",
  },
  minPlateletsE9PerL: {
    value: 100,
    source: "prrt-protocols.md §3 – LUTIA: platelets < 100 × 10⁹/L at baseline",
  },
  minCreatinineClearanceMLPerMin: {
    value: 50,
    source: "prrt-protocols.md §3 – LUTIA: GFR < 50 mL/min excluded",
  },
  maxBilirubinXUln: { value: 1, source: "prrt-protocols.md §3 – LUTIA: bilirubin > ULN excluded" },
  albuminExceptionIfProthrombinNormal: {
    value: false,
    source: "prrt-protocols.md §3 – LUTIA: albumin < 3.0 g/dL excluded",
  },
  maxEcog: { value: 1, source: "prrt-protocols.md §3 – LUTIA: ECOG 0–1" },
  minKarnofsky: {
    value: 70,
    source: `prrt-protocols.md §3 – LUTIA ECOG 0–1 mapped to Karnofsky ≥ 70 ${UNVERIFIED}`,
  },
};
