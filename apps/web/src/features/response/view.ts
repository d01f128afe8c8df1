/**
 * Pure presentation helpers of the response workspace (no maths: every number comes from the
 * API, computed by @lutetia/quantification): category tone and colour, signed percentages,
 * sorting and filtering of the lesion table and the waterfall.
 */

/** Response categories → tone: better (green), stable (blue), worse (red), not evaluable (grey). */
const TONE: Record<string, "ok" | "info" | "bad" | "warn" | "neutral"> = {
  CR: "ok", PR: "ok", MR: "ok", CMR: "ok", PMR: "ok", DECREASE: "ok",
  SD: "info", SMD: "info", STABLE: "info", NON_CR_NON_PD: "info",
  PD: "bad", PMD: "bad", INCREASE: "bad",
  MIXED: "warn",
  NE: "neutral", NOT_EVALUABLE: "neutral",
};
export function categoryTone(category: string): "ok" | "info" | "bad" | "warn" | "neutral" {
  if (/^P[0-5]/.test(category)) return category === "P5" || category === "P4b" ? "warn" : "info";
  return TONE[category] ?? "neutral";
}

/** Waterfall bar colours by tone (readable on white, distinct for colour-blind users by lightness). */
export const TONE_COLOUR: Record<string, string> = { ok: "#1b7a3d", info: "#1f5fa8", bad: "#b3261e", warn: "#a86400", neutral: "#7b8794" };

export function signedPercent(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined) return "—";
  const s = v.toFixed(digits);
  return `${v > 0 ? "+" : ""}${s === `-${(0).toFixed(digits)}` ? (0).toFixed(digits) : s} %`;
}

export type SortDir = "asc" | "desc";

/** Sorts with nulls last in either direction; strings by locale (numeric-aware). */
export function sortBy<T>(rows: readonly T[], key: (r: T) => number | string | null | undefined, dir: SortDir): T[] {
  const sign = dir === "asc" ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1;
    if (y === null || y === undefined) return -1;
    if (typeof x === "number" && typeof y === "number") return (x - y) * sign;
    return String(x).localeCompare(String(y), undefined, { numeric: true }) * sign;
  });
}

/** Waterfall order: best response (most negative) on the right, as conventionally drawn. */
export function waterfallOrder<T extends { bestChangePercent: number }>(bars: readonly T[], dir: SortDir = "desc"): T[] {
  return sortBy(bars, (b) => b.bestChangePercent, dir);
}

const CRITERION_LABELS: Record<string, string> = {
  RECIST_1_1: "RECIST 1.1",
  PERCIST_1_0: "PERCIST 1.0",
  EORTC: "EORTC 1999",
  SWOG: "SWOG / Kwekkeboom",
  SSTR_PET: "SSTR-PET",
  NETPET: "NETPET",
};
export const criterionLabel = (c: string) => CRITERION_LABELS[c] ?? c;
