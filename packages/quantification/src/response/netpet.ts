/**
 * Dual-tracer (FDG + SSTR PET) grading: NETPET P0–P5 (Chan DL et al., Theranostics
 * 2017;7:1149–1158) and per-lesion FDG+/SSTR− discordance, as specified in
 * reference/response-criteria.md §7.
 */
import { array, isoDateMs, nonEmptyString, nonNegative } from "./guards";
import type { ResponseAssessment, ResponseReason } from "./types";

/** NETPET grades (P4 split into P4a / P4b). */
export type NetpetGrade = "P0" | "P1" | "P2" | "P3" | "P4a" | "P4b" | "P5";

/** A lesion matched across the SSTR and FDG scans (same site, co-registered). */
export interface PairedLesion {
  lesionId: string;
  /** Modified Krenning grade on SSTR PET (0–4). */
  krenning: number;
  /** FDG uptake above background (reader). */
  fdgPositive: boolean;
  /** When both positive: FDG avidity relative to SSTR. */
  fdgVsSstr?: "lower" | "equal" | "higher";
  /** Lesion diameter (mm), for the partial-volume rule. */
  diameterMm?: number;
  /** Reader: uptake is physiological (uncinate process, adrenals, inflammation, osteoblastic) → excluded. */
  physiologicalUptake?: boolean;
}

/** Named NETPET policies (response-criteria.md §7.1). */
export interface NetpetPolicy {
  /** SSTR positivity: modified Krenning ≥ 2 ("uptake above background (modified Krenning 2–4)"). */
  sstrPositiveMinKrenning: number;
  /** P4b when ≥ this many grade-4 lesions (3; "P4a 1–2 lesions, P4b ≥ 3"). */
  p4bMinLesions: number;
}

/**
 * Default NETPET policy: SSTR+ ⇔ Krenning ≥ 2; P4b at ≥ 3 FDG>SSTR lesions; patient grade =
 * most adverse lesion (Cancer Imaging 2022 review Table 1; "confirm against Chan 2017").
 */
export const NETPET_DEFAULT_POLICY: Readonly<NetpetPolicy> = {
  sstrPositiveMinKrenning: 2,
  p4bMinLesions: 3,
};

const SUITABILITY: Record<NetpetGrade, string> = {
  P0: "not suitable (no PET-visible disease)",
  P1: "probably suitable",
  P2: "probably suitable",
  P3: "probably suitable",
  P4a: "probably suitable",
  P4b: "maybe suitable, with additional therapy",
  P5: "not suitable",
};

function checkKrenning(name: string, k: unknown): number {
  if (typeof k !== "number" || !Number.isInteger(k) || k < 0 || k > 4) {
    throw new RangeError(`${name} must be an integer 0–4, got ${String(k)}`);
  }
  return k;
}

/** Result of {@link netpetGrade}. */
export interface NetpetAssessment extends ResponseAssessment<NetpetGrade> {
  /** Per-lesion grade 0–5 (0 = negative on both). */
  lesionGrades: { lesionId: string; grade: number }[];
  /** PRRT suitability wording from the review table. */
  suitability: string;
}

/**
 * NETPET patient grade: per lesion SSTR−/FDG− → 0, SSTR−/FDG+ → 5, SSTR+/FDG− → 1,
 * both + → 2 (FDG lower) / 3 (equal) / 4 (higher); patient = most adverse lesion; grade 4 →
 * P4b if ≥ 3 such lesions else P4a; no lesions → P0. Lesions flagged physiological are excluded.
 *
 * Source: response-criteria.md §7.1 (Chan 2017; review Cancer Imaging 2022, Table 1).
 * @throws RangeError naming `lesions[i].krenning` / `lesions[i].fdgVsSstr` (required when both positive).
 */
export function netpetGrade(
  lesions: readonly PairedLesion[],
  policy: NetpetPolicy = NETPET_DEFAULT_POLICY,
): NetpetAssessment {
  array("lesions", lesions);
  const rule = "response-criteria.md §7.1";
  const reasons: ResponseReason[] = [];
  const used = lesions.filter((l, i) => {
    nonEmptyString(`lesions[${i}].lesionId`, l.lesionId);
    checkKrenning(`lesions[${i}].krenning`, l.krenning);
    if (l.physiologicalUptake) {
      reasons.push({
        code: "EXCLUDED_PHYSIOLOGICAL",
        message: `${l.lesionId}: physiological uptake (reader) – excluded`,
        lesionIds: [l.lesionId],
        rule: "response-criteria.md §7.3 edge case 2",
      });
      return false;
    }
    return true;
  });
  const lesionGrades = used.map((l) => {
    const i = lesions.indexOf(l);
    const sstr = l.krenning >= policy.sstrPositiveMinKrenning;
    let g: number;
    if (!sstr && !l.fdgPositive) g = 0;
    else if (!sstr && l.fdgPositive) g = 5;
    else if (sstr && !l.fdgPositive) g = 1;
    else {
      if (l.fdgVsSstr === undefined) {
        throw new RangeError(
          `lesions[${i}].fdgVsSstr is required when both SSTR and FDG are positive, got undefined`,
        );
      }
      g = l.fdgVsSstr === "lower" ? 2 : l.fdgVsSstr === "equal" ? 3 : 4;
    }
    return { lesionId: l.lesionId, grade: g };
  });
  const worst = lesionGrades.reduce((m, l) => Math.max(m, l.grade), 0);
  let grade: NetpetGrade;
  if (worst === 4) {
    const n4 = lesionGrades.filter((l) => l.grade === 4);
    grade = n4.length >= policy.p4bMinLesions ? "P4b" : "P4a";
    reasons.push({
      code: grade,
      message: `${n4.length} lesion(s) with FDG > SSTR (${n4.map((l) => l.lesionId).join(", ")}) → ${grade} (P4b at ≥ ${policy.p4bMinLesions})`,
      lesionIds: n4.map((l) => l.lesionId),
      thresholds: { p4bMinLesions: policy.p4bMinLesions },
      rule: `${rule} (policy: worst lesion drives the grade; P4a/P4b cut)`,
    });
  } else {
    grade = `P${worst}` as NetpetGrade;
    const drivers = lesionGrades.filter((l) => l.grade === worst).map((l) => l.lesionId);
    reasons.push({
      code: grade,
      message:
        lesionGrades.length === 0
          ? "no lesions → P0"
          : `most adverse lesion grade ${worst} (${drivers.join(", ")}) → ${grade}`,
      lesionIds: drivers,
      thresholds: { sstrPositiveMinKrenning: policy.sstrPositiveMinKrenning },
      rule: `${rule} (policy: worst lesion drives the grade)`,
    });
  }
  return {
    category: grade,
    reasons,
    ruleSet: "NETPET",
    lesionGrades,
    suitability: SUITABILITY[grade],
  };
}

/** Per-lesion discordance status. */
export type DiscordanceStatus =
  | "DISCORDANT"
  | "CONCORDANT_POSITIVE"
  | "FDG_NEGATIVE"
  | "INDETERMINATE_SMALL"
  | "EXCLUDED_PHYSIOLOGICAL";

/** Named discordance policies (response-criteria.md §7.3). */
export interface DiscordancePolicy {
  /** SSTR-positive threshold: 2 (NETPET, uptake above background) or 3 (Zidan, > liver). */
  sstrPositiveMinKrenning: 2 | 3;
  /** Lesions smaller than this (mm) are "indeterminate" (partial volume; "< ~1 cm"). Default 10. */
  minDiameterMm: number;
  /** Maximum SSTR–FDG scan interval before a warning (days). Default 56 (8 weeks; "policy; unverified"). */
  maxScanIntervalDays: number;
}

/** Default discordance policy (response-criteria.md §7.3 edge cases 1 and 3). */
export const DISCORDANCE_DEFAULT_POLICY: Readonly<DiscordancePolicy> = {
  sstrPositiveMinKrenning: 2,
  minDiameterMm: 10,
  maxScanIntervalDays: 56,
};

/** Result of {@link detectDiscordance}. */
export interface DiscordanceResult extends ResponseAssessment<"DISCORDANT" | "NO_DISCORDANCE"> {
  lesions: { lesionId: string; status: DiscordanceStatus }[];
  discordantLesionIds: string[];
  scanIntervalDays: number | null;
  scanIntervalExceeded: boolean;
}

/**
 * FDG+/SSTR− discordance per lesion: discordant ⇔ FDG+ AND Krenning < threshold; lesions
 * < `minDiameterMm` are indeterminate; reader-flagged physiological uptake is excluded; the
 * scan interval is checked (> `maxScanIntervalDays` → warning). The lesion list is returned,
 * not only a flag (a single discordant lesion may be treated locally).
 *
 * Source: response-criteria.md §7.3 (rule and edge cases 1–4).
 * @param scanDates ISO-8601 dates of the SSTR and FDG scans (optional)
 * @throws RangeError naming `lesions[i].krenning`, `lesions[i].diameterMm`, `scanDates.sstr`.
 */
export function detectDiscordance(
  lesions: readonly PairedLesion[],
  scanDates?: { sstr: string; fdg: string },
  policy: DiscordancePolicy = DISCORDANCE_DEFAULT_POLICY,
): DiscordanceResult {
  array("lesions", lesions);
  const rule = "response-criteria.md §7.3";
  const reasons: ResponseReason[] = [];
  let interval: number | null = null;
  let exceeded = false;
  if (scanDates) {
    interval =
      Math.abs(
        isoDateMs("scanDates.fdg", scanDates.fdg) - isoDateMs("scanDates.sstr", scanDates.sstr),
      ) / 86_400_000;
    exceeded = interval > policy.maxScanIntervalDays;
    if (exceeded) {
      reasons.push({
        code: "SCAN_INTERVAL_EXCEEDED",
        message: `SSTR and FDG scans ${interval.toFixed(0)} days apart (> ${policy.maxScanIntervalDays}) – discordance may reflect progression in between`,
        values: { scanIntervalDays: interval },
        thresholds: { maxScanIntervalDays: policy.maxScanIntervalDays },
        rule: `${rule} edge case 1`,
      });
    }
  }
  const out = lesions.map((l, i) => {
    nonEmptyString(`lesions[${i}].lesionId`, l.lesionId);
    checkKrenning(`lesions[${i}].krenning`, l.krenning);
    const d =
      l.diameterMm === undefined
        ? undefined
        : nonNegative(`lesions[${i}].diameterMm`, l.diameterMm);
    let status: DiscordanceStatus;
    if (l.physiologicalUptake) status = "EXCLUDED_PHYSIOLOGICAL";
    else if (!l.fdgPositive) status = "FDG_NEGATIVE";
    else if (l.krenning >= policy.sstrPositiveMinKrenning) status = "CONCORDANT_POSITIVE";
    else if (d !== undefined && d < policy.minDiameterMm) status = "INDETERMINATE_SMALL";
    else status = "DISCORDANT";
    if (status === "DISCORDANT" || status === "INDETERMINATE_SMALL") {
      reasons.push({
        code: status === "DISCORDANT" ? "FDG_POS_SSTR_NEG" : "INDETERMINATE_PARTIAL_VOLUME",
        message:
          status === "DISCORDANT"
            ? `${l.lesionId}: FDG+ with Krenning ${l.krenning} < ${policy.sstrPositiveMinKrenning} → FDG+/SSTR− discordant`
            : `${l.lesionId}: FDG+/SSTR− pattern but ${String(d)} mm < ${policy.minDiameterMm} mm (partial volume) → indeterminate`,
        lesionIds: [l.lesionId],
        values: { krenning: l.krenning, fdgPositive: l.fdgPositive, diameterMm: d ?? null },
        thresholds: {
          sstrPositiveMinKrenning: policy.sstrPositiveMinKrenning,
          minDiameterMm: policy.minDiameterMm,
        },
        rule: status === "DISCORDANT" ? rule : `${rule} edge case 3`,
      });
    }
    return { lesionId: l.lesionId, status };
  });
  const disc = out.filter((l) => l.status === "DISCORDANT").map((l) => l.lesionId);
  return {
    category: disc.length ? "DISCORDANT" : "NO_DISCORDANCE",
    reasons,
    ruleSet: `FDG+/SSTR− (SSTR+ ⇔ Krenning ≥ ${policy.sstrPositiveMinKrenning})`,
    lesions: out,
    discordantLesionIds: disc,
    scanIntervalDays: interval,
    scanIntervalExceeded: exceeded,
  };
}

/** Karfis et al. dual-tracer categories (C1–C3); `NONE` when no PET-positive lesion. */
export type KarfisCategory = "C1" | "C2" | "C3" | "NONE";

/**
 * Karfis dual-tracer category: C3 if ≥ 1 lesion is FDG+ and SSTR− (SSTR positivity = uptake
 * above background, modified Krenning ≥ `sstrPositiveMinKrenning`, default 2); else C2 if all
 * PET-positive lesions are SSTR+ and ≥ 1 is FDG+; else C1 (all SSTR+/FDG−). Lesions negative
 * on both scans and reader-flagged physiological uptake are ignored. (Zidan's grade 4 – ≥ 1
 * FDG+ lesion that is SSTR-negative with liver as reference – is {@link detectDiscordance}
 * with `sstrPositiveMinKrenning: 3`; Zidan grades 1–3 are not specified in the reference.)
 *
 * Source: response-criteria.md §7.2 (Cancer Imaging 2022 review table, doi:10.1186/s40644-022-00465-3).
 * @throws RangeError naming `lesions[i].krenning` when not an integer 0–4.
 */
export function karfisCategory(
  lesions: readonly PairedLesion[],
  sstrPositiveMinKrenning = 2,
): ResponseAssessment<KarfisCategory> {
  array("lesions", lesions);
  const rule = "response-criteria.md §7.2 (Karfis)";
  const used = lesions.filter((l, i) => {
    nonEmptyString(`lesions[${i}].lesionId`, l.lesionId);
    checkKrenning(`lesions[${i}].krenning`, l.krenning);
    return !l.physiologicalUptake && (l.fdgPositive || l.krenning >= sstrPositiveMinKrenning);
  });
  const sstrPos = (l: PairedLesion): boolean => l.krenning >= sstrPositiveMinKrenning;
  const c3 = used.filter((l) => l.fdgPositive && !sstrPos(l)).map((l) => l.lesionId);
  const fdgPos = used.filter((l) => l.fdgPositive).map((l) => l.lesionId);
  const r = (
    category: KarfisCategory,
    message: string,
    ids: string[],
  ): ResponseAssessment<KarfisCategory> => ({
    category,
    reasons: [
      {
        code: `KARFIS_${category}`,
        message,
        lesionIds: ids,
        thresholds: { sstrPositiveMinKrenning },
        rule,
      },
    ],
    ruleSet: "Karfis dual-tracer",
  });
  if (used.length === 0) return r("NONE", "no PET-positive lesion", []);
  if (c3.length > 0) return r("C3", `${c3.length} FDG+/SSTR− lesion(s): ${c3.join(", ")} → C3`, c3);
  if (fdgPos.length > 0)
    return r("C2", `all lesions SSTR+, ${fdgPos.length} also FDG+ → C2`, fdgPos);
  return r("C1", "all lesions SSTR+/FDG− → C1", []);
}
