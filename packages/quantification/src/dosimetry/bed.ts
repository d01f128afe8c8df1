/**
 * Linear–quadratic radiobiology for kidneys (reference/dosimetry.md §6): BED with repair for a
 * mono-exponentially decreasing dose rate, multi-cycle BED, EQD2 and the inverse (dose for a BED).
 */
import { requireNonNegative, requirePositive } from "./guards";

/** LQ parameters for one organ. */
export interface LqParameters {
  /** α/β (Gy), > 0. Kidney: 2.6 Gy (dosimetry.md §6, unverified there – configurable). */
  alphaBetaGy: number;
  /** Sub-lethal damage repair half-time T_rep (h), > 0. Kidney: 2.8 h (same). */
  repairHalfTimeH: number;
}

/** Kidney LQ parameters commonly used for PRRT: α/β = 2.6 Gy, T_rep = 2.8 h (dosimetry.md §6; Barone 2005, Bodei 2008). */
export const KIDNEY_LQ: Readonly<LqParameters> = { alphaBetaGy: 2.6, repairHalfTimeH: 2.8 };

function checkLq(p: LqParameters): void {
  requirePositive("alphaBetaGy", p.alphaBetaGy);
  requirePositive("repairHalfTimeH", p.repairHalfTimeH);
}

/**
 * Lea–Catcheside factor for instantaneous uptake and mono-exponential clearance:
 * `G = T_rep/(T_rep + T_eff)` (= λ_eff/(λ_eff + μ), μ = ln2/T_rep).
 *
 * Source: reference/dosimetry.md §6 (Dale; Barone et al. J Nucl Med 2005;46 Suppl 1:99S).
 * @param repairHalfTimeH T_rep (h), > 0
 * @param effectiveHalfLifeH T_eff (h), > 0
 * @throws RangeError if either ≤ 0.
 */
export function leaCatchesideFactor(repairHalfTimeH: number, effectiveHalfLifeH: number): number {
  requirePositive("repairHalfTimeH", repairHalfTimeH);
  requirePositive("effectiveHalfLifeH", effectiveHalfLifeH);
  return repairHalfTimeH / (repairHalfTimeH + effectiveHalfLifeH);
}

/**
 * Biologically effective dose of one cycle: `BED = D·[1 + (D/(α/β))·G]`, G from
 * {@link leaCatchesideFactor}.
 *
 * Source: reference/dosimetry.md §6 and Example D6 (Bodei L et al., EJNMMI 2008;35:1847–1856;
 * Cremonesi M et al., J Nucl Med 2006;47:1467).
 * @param doseGy absorbed dose (Gy), ≥ 0
 * @param effectiveHalfLifeH T_eff (h), > 0
 * @param lq α/β (Gy) and T_rep (h); default {@link KIDNEY_LQ}
 * @throws RangeError / TypeError naming the parameter.
 */
export function bedGy(
  doseGy: number,
  effectiveHalfLifeH: number,
  lq: LqParameters = KIDNEY_LQ,
): number {
  requireNonNegative("doseGy", doseGy);
  checkLq(lq);
  const g = leaCatchesideFactor(lq.repairHalfTimeH, effectiveHalfLifeH);
  return doseGy * (1 + (doseGy / lq.alphaBetaGy) * g);
}

/**
 * Multi-cycle BED assuming full repair between cycles weeks apart:
 * `BED_total = Σᵢ Dᵢ·[1 + (Dᵢ/(α/β))·Gᵢ]`.
 *
 * Source: reference/dosimetry.md §6.
 * @param cycles per-cycle dose (Gy) and T_eff (h)
 * @param lq default {@link KIDNEY_LQ}
 * @throws RangeError naming `cycles[i].doseGy` etc.
 */
export function multiCycleBedGy(
  cycles: readonly { doseGy: number; effectiveHalfLifeH: number }[],
  lq: LqParameters = KIDNEY_LQ,
): number {
  return cycles.reduce((s, c, i) => {
    requireNonNegative(`cycles[${i}].doseGy`, c.doseGy);
    requirePositive(`cycles[${i}].effectiveHalfLifeH`, c.effectiveHalfLifeH);
    return s + bedGy(c.doseGy, c.effectiveHalfLifeH, lq);
  }, 0);
}

/**
 * Equivalent dose in 2 Gy fractions: `EQD2 = BED/(1 + 2/(α/β))`.
 *
 * Source: reference/dosimetry.md §6, Example D6.
 * @param bed BED (Gy), ≥ 0
 * @param alphaBetaGy α/β (Gy), > 0; default 2.6 (kidney)
 * @throws RangeError naming the parameter.
 */
export function eqd2Gy(bed: number, alphaBetaGy: number = KIDNEY_LQ.alphaBetaGy): number {
  requireNonNegative("bed", bed);
  requirePositive("alphaBetaGy", alphaBetaGy);
  return bed / (1 + 2 / alphaBetaGy);
}

/**
 * Absorbed dose of one cycle that produces a given BED: positive root of
 * `q·D² + D − BED = 0`, `q = G/(α/β)`: `D = (−1 + √(1 + 4·q·BED))/(2q)`; 0 when BED ≤ 0.
 *
 * Source: reference/dosimetry.md §8 (`planNext`).
 * @param bed target BED (Gy); values ≤ 0 return 0
 * @param effectiveHalfLifeH T_eff (h), > 0
 * @param lq default {@link KIDNEY_LQ}
 * @throws RangeError / TypeError naming the parameter.
 */
export function doseForBedGy(
  bed: number,
  effectiveHalfLifeH: number,
  lq: LqParameters = KIDNEY_LQ,
): number {
  if (typeof bed !== "number" || Number.isNaN(bed))
    throw new TypeError(`bed must be a number, got ${String(bed)}`);
  checkLq(lq);
  if (bed <= 0) return 0;
  if (bed === Infinity) return Infinity;
  const q = leaCatchesideFactor(lq.repairHalfTimeH, effectiveHalfLifeH) / lq.alphaBetaGy;
  return (-1 + Math.sqrt(1 + 4 * q * bed)) / (2 * q);
}
