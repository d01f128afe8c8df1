/**
 * First-order (Gaussian, "delta method") uncertainty propagation for dosimetry
 * (GUM / JCGM 100:2008 law of propagation of uncertainty; EANM guidance on uncertainty
 * analysis, Gear JI et al., EJNMMI 2018;45:2456 – cited as the method, not re-checked here).
 *
 * `σ_f² = Σᵢ Σⱼ (∂f/∂xᵢ)(∂f/∂xⱼ)·cov(xᵢ, xⱼ)`, derivatives by central differences.
 * Valid when the function is close to linear over ±1 σ of each input.
 */
import { bedGy, KIDNEY_LQ, type LqParameters } from "./bed";
import { massScaledSelfS } from "./dose";
import { requireFinite, requireNonNegative, requirePositive } from "./guards";
import { fitMonoExponential, trapezoidWithTail, type TrapezoidTailPolicy } from "./tac";

/** One input's contribution to the output variance. */
export interface UncertaintyContribution {
  name: string;
  /** ∂f/∂x. */
  sensitivity: number;
  /** Input standard deviation. */
  sd: number;
  /** (∂f/∂x · σ_x)² – the variance this input contributes (uncorrelated part). */
  variance: number;
}

/** Result of {@link propagateFirstOrder}. */
export interface PropagatedUncertainty {
  value: number;
  sd: number;
  /** sd / |value| (NaN if value is 0). */
  relativeSd: number;
  contributions: UncertaintyContribution[];
}

/**
 * First-order propagation of independent input standard deviations through `fn`:
 * `σ_f = √Σ (∂f/∂xᵢ·σᵢ)²`, ∂f/∂xᵢ by central differences with step h = max(σᵢ·1e-3, |xᵢ|·1e-7, 1e-12).
 *
 * Source: GUM (JCGM 100:2008) eq. 10; brief: "first-order (Gaussian) propagation".
 * @param fn scalar function of the input vector
 * @param inputs named values and standard deviations (same unit as the value), sd ≥ 0
 * @throws TypeError for non-finite values; RangeError if an sd < 0 (names `inputs[i].sd`)
 *   or if `fn` returns a non-finite value at the nominal point.
 */
export function propagateFirstOrder(
  fn: (x: readonly number[]) => number,
  inputs: readonly { name: string; value: number; sd: number }[],
): PropagatedUncertainty {
  const x = inputs.map((inp, i) => requireFinite(`inputs[${i}].value`, inp.value));
  inputs.forEach((inp, i) => requireNonNegative(`inputs[${i}].sd`, inp.sd));
  const value = fn(x);
  if (!Number.isFinite(value))
    throw new RangeError(`fn must be finite at the nominal inputs, got ${value}`);
  const contributions = inputs.map((inp, i) => {
    if (inp.sd === 0) return { name: inp.name, sensitivity: 0, sd: 0, variance: 0 };
    const h = Math.max(inp.sd * 1e-3, Math.abs(inp.value) * 1e-7, 1e-12);
    const up = [...x];
    const dn = [...x];
    up[i] = (up[i] as number) + h;
    dn[i] = (dn[i] as number) - h;
    const d = (fn(up) - fn(dn)) / (2 * h);
    return { name: inp.name, sensitivity: d, sd: inp.sd, variance: (d * inp.sd) ** 2 };
  });
  const sd = Math.sqrt(contributions.reduce((s, c) => s + c.variance, 0));
  return { value, sd, relativeSd: value === 0 ? Number.NaN : sd / Math.abs(value), contributions };
}

/** Inputs of {@link selfDoseUncertainty}. */
export interface SelfDoseUncertaintyInput {
  /** Imaging times (h). */
  timesH: readonly number[];
  /** Activities physically present (MBq), > 0. */
  activitiesMBq: readonly number[];
  /** Relative 1-SD random uncertainty of each activity (scalar or per point), e.g. 0.05. */
  activityRelSd: number | readonly number[];
  /** Relative 1-SD systematic calibration uncertainty, fully correlated across points (default 0). */
  calibrationRelSd?: number;
  /** 1-SD uncertainty of each time point (h) (default 0). */
  timeSdH?: number;
  /** Physical half-life (s). */
  physicalHalfLifeS: number;
  /** Phantom self-S (mGy/(MBq·h)) and its phantom mass (g). */
  sPhantomMGyPerMBqH: number;
  phantomMassG: number;
  /** Patient organ mass (g) and its 1-SD (g). */
  patientMassG: number;
  patientMassSdG?: number;
  /**
   * How Ã is obtained: mono-exponential log-linear fit (default) or trapezoid + tail with a
   * named policy. (Uptake–washout LM fits are not differentiated numerically – use their
   * `tiaSdMBqH` from the covariance with {@link combineRelativeSd}.)
   */
  tiaMethod?:
    { kind: "mono-exponential" } | { kind: "trapezoid-tail"; policy: TrapezoidTailPolicy };
}

/**
 * Absorbed self-dose and its first-order SD for the chain
 * `D = Ã({tᵢ, k·Aᵢ}) × S_phantom × m_phantom/m_patient / 1000` (Gy), propagating: per-point
 * activity (random), calibration factor k (systematic, fully correlated – one input), each
 * time point, and the patient mass. Ã from {@link fitMonoExponential} (default) or
 * {@link trapezoidWithTail}. For a tumour sphere (local deposition) pass
 * `sPhantomMGyPerMBqH = K_Lu/0.001 kg` (S of a 1 g sphere) with `phantomMassG = 1`.
 *
 * Source: dosimetry.md §3, §4.2–4.3 for the chain; GUM (JCGM 100:2008) first-order law.
 * @throws RangeError / TypeError naming the field (e.g. `activityRelSd[1] must be ≥ 0, got -0.1`).
 */
export function selfDoseUncertainty(input: SelfDoseUncertaintyInput): PropagatedUncertainty {
  const n = input.activitiesMBq.length;
  const rel = (i: number): number => {
    const r =
      typeof input.activityRelSd === "number" ? input.activityRelSd : input.activityRelSd[i];
    return requireNonNegative(
      typeof input.activityRelSd === "number" ? "activityRelSd" : `activityRelSd[${i}]`,
      r,
    );
  };
  if (typeof input.activityRelSd !== "number" && input.activityRelSd.length !== n) {
    throw new RangeError(`activityRelSd must have ${n} entries, got ${input.activityRelSd.length}`);
  }
  const cal = requireNonNegative("calibrationRelSd", input.calibrationRelSd ?? 0);
  const tSd = requireNonNegative("timeSdH", input.timeSdH ?? 0);
  requirePositive("sPhantomMGyPerMBqH", input.sPhantomMGyPerMBqH);
  requirePositive("phantomMassG", input.phantomMassG);
  requirePositive("patientMassG", input.patientMassG);
  const mSd = requireNonNegative("patientMassSdG", input.patientMassSdG ?? 0);
  // validate once through the fit (throws with element names)
  fitMonoExponential(input.timesH, input.activitiesMBq, input.physicalHalfLifeS);
  const inputs = [
    ...input.activitiesMBq.map((a, i) => ({
      name: `activitiesMBq[${i}]`,
      value: a,
      sd: a * rel(i),
    })),
    ...input.timesH.map((t, i) => ({ name: `timesH[${i}]`, value: t, sd: tSd })),
    { name: "calibration", value: 1, sd: cal },
    { name: "patientMassG", value: input.patientMassG, sd: mSd },
  ];
  const fn = (x: readonly number[]): number => {
    const k = x[2 * n] as number;
    const acts = x.slice(0, n).map((a) => a * k);
    const times = x.slice(n, 2 * n);
    const method = input.tiaMethod ?? { kind: "mono-exponential" };
    const tia =
      method.kind === "trapezoid-tail"
        ? trapezoidWithTail(times, acts, input.physicalHalfLifeS, method.policy).tiaMBqH
        : fitMonoExponential(times, acts, input.physicalHalfLifeS).tiaMBqH;
    const s = massScaledSelfS(input.sPhantomMGyPerMBqH, input.phantomMassG, x[2 * n + 1] as number);
    return (tia * s) / 1000;
  };
  return propagateFirstOrder(fn, inputs);
}

/**
 * Relative uncertainty of a product/quotient `D = Ã·S_phantom·m_ph/m` from independent
 * relative SDs: `σ_D/D = √(r_Ã² + r_S² + r_m²)` (first-order).
 *
 * Source: GUM first-order law for products of powers.
 * @param relSds relative 1-SDs, each ≥ 0 (e.g. { tia: 0.08, sValue: 0.03, mass: 0.05 })
 * @throws RangeError naming the key of a negative or non-finite entry.
 */
export function combineRelativeSd(relSds: Readonly<Record<string, number>>): number {
  return Math.sqrt(
    Object.entries(relSds).reduce((s, [k, v]) => s + requireNonNegative(`relSds.${k}`, v) ** 2, 0),
  );
}

/**
 * BED of one cycle with first-order uncertainty from the absorbed dose and T_eff SDs:
 * `σ²_BED = (∂BED/∂D·σ_D)² + (∂BED/∂T·σ_T)²` with ∂BED/∂D = 1 + 2D·G/(α/β) and
 * ∂BED/∂T = −D²/(α/β)·T_rep/(T_rep + T)² (evaluated numerically; α/β and T_rep taken as exact).
 *
 * Source: dosimetry.md §6 (BED), GUM first-order law.
 * @param doseGy absorbed dose (Gy) ≥ 0 and its SD `doseSdGy` ≥ 0
 * @param effectiveHalfLifeH T_eff (h) > 0 and its SD `effectiveHalfLifeSdH` ≥ 0
 * @param lq default {@link KIDNEY_LQ}
 * @throws RangeError naming the parameter (e.g. `doseSdGy must be ≥ 0, got -1`).
 */
export function bedWithUncertainty(
  doseGy: number,
  doseSdGy: number,
  effectiveHalfLifeH: number,
  effectiveHalfLifeSdH: number,
  lq: LqParameters = KIDNEY_LQ,
): PropagatedUncertainty {
  requireNonNegative("doseGy", doseGy);
  requireNonNegative("doseSdGy", doseSdGy);
  requirePositive("effectiveHalfLifeH", effectiveHalfLifeH);
  requireNonNegative("effectiveHalfLifeSdH", effectiveHalfLifeSdH);
  return propagateFirstOrder(
    (x) => bedGy(Math.max(0, x[0] as number), Math.max(1e-9, x[1] as number), lq),
    [
      { name: "doseGy", value: doseGy, sd: doseSdGy },
      { name: "effectiveHalfLifeH", value: effectiveHalfLifeH, sd: effectiveHalfLifeSdH },
    ],
  );
}
