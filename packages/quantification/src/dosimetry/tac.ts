/**
 * Time–activity curve (TAC) fitting and integration for 177Lu dosimetry.
 *
 * Conventions (reference/dosimetry.md §1, §3): times in hours after administration,
 * activities in MBq **physically present** (not decay-corrected); time-integrated activity
 * (TIA, Ã) reported in MBq·h (`tiaMBqH`) and MBq·s (`tiaMBqS` = 3600 × MBq·h).
 * Physical half-lives are passed explicitly in seconds (`physicalHalfLifeS`).
 */
import { levenbergMarquardt } from "ml-levenberg-marquardt";
import { SECONDS_PER_HOUR } from "./constants";
import { requirePositive, validateTac } from "./guards";
import { covarianceFromJacobian } from "./linalg";

/** A quality / plausibility flag attached to a fit. */
export interface TacFlag {
  /** Machine-readable code. */
  code:
    | "NON_WASHOUT"
    | "SLOWER_THAN_PHYSICAL_DECAY"
    | "NO_RESIDUAL_DEGREES_OF_FREEDOM"
    | "UNIDENTIFIABLE"
    | "POORLY_DETERMINED"
    | "TAIL_FELL_BACK_TO_PHYSICAL"
    | "BACK_EXTRAPOLATION_NOT_DECREASING"
    | "LARGE_EXTRAPOLATED_FRACTION"
    | "UPTAKE_PHASE_NOT_SAMPLED";
  /** Human-readable explanation including the values involved. */
  message: string;
}

/** Common fields of every TAC integration result. */
export interface TacResultBase {
  /** Time-integrated activity Ã in MBq·h. */
  tiaMBqH: number;
  /** Time-integrated activity Ã in MBq·s (= 3600 × `tiaMBqH`). */
  tiaMBqS: number;
  /** First-order standard deviation of Ã in MBq·h from the fit covariance (NaN when unavailable). */
  tiaSdMBqH: number;
  /** Quality flags (empty when none apply). */
  flags: TacFlag[];
}

/** Result of {@link fitMonoExponential}. */
export interface MonoExponentialFit extends TacResultBase {
  model: "mono-exponential";
  method: "log-linear" | "levenberg-marquardt";
  /** Fitted A₀' (MBq) – activity extrapolated to t = 0. */
  a0MBq: number;
  /** Effective clearance constant λ_eff (h⁻¹). */
  lambdaEffPerH: number;
  /** Effective half-life ln2/λ_eff (h); Infinity or negative when λ_eff ≤ 0. */
  effectiveHalfLifeH: number;
  /** Biological half-life 1/(1/T_eff − 1/T_phys) (h), for QA; negative when λ_eff < λ_phys. */
  biologicalHalfLifeH: number;
  /** Covariance of [A₀' (MBq), λ_eff (h⁻¹)]; null when n = 2 (no residual degrees of freedom). */
  covariance: number[][] | null;
  /** Coefficient of determination in activity space, 1 − SS_res/SS_tot. */
  rSquared: number;
  /** Residuals A_i − Â(t_i) in MBq. */
  residualsMBq: number[];
  /** How Ã was obtained: analytic A₀'/λ_eff, or the §3.1 fallback for non-washout curves. */
  tiaMethod: "analytic" | "fallback-trapezoid-physical-tail";
}

/** Options of {@link fitMonoExponential}. */
export interface MonoExponentialOptions {
  /**
   * `log-linear` (default): weighted linear LSQ on ln A (dosimetry.md §3.1);
   * `levenberg-marquardt`: non-linear LSQ in activity space, started from the log-linear fit.
   */
  method?: "log-linear" | "levenberg-marquardt";
  /** Log-linear weights: `none` (default) or `activity-squared` (wᵢ = Aᵢ², §3.1 "optionally weighted by Aᵢ²"). */
  weighting?: "none" | "activity-squared";
}

function rSquared(obs: readonly number[], pred: readonly number[]): number {
  const mean = obs.reduce((s, v) => s + v, 0) / obs.length;
  let ssRes = 0;
  let ssTot = 0;
  obs.forEach((o, i) => {
    ssRes += (o - (pred[i] as number)) ** 2;
    ssTot += (o - mean) ** 2;
  });
  return ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
}

function lambdaPhysPerH(physicalHalfLifeS: number): number {
  requirePositive("physicalHalfLifeS", physicalHalfLifeS);
  return Math.LN2 / (physicalHalfLifeS / SECONDS_PER_HOUR);
}

/**
 * Mono-exponential TAC fit `A(t) = A₀'·e^(−λ_eff·t)`, Ã = A₀'/λ_eff (instantaneous uptake).
 *
 * Fit: linear least squares on `ln Aᵢ = ln A₀' − λ_eff·tᵢ` (optionally weighted by Aᵢ²), or
 * Levenberg–Marquardt in activity space. Sanity rules of dosimetry.md §3.1: if λ_eff ≤ 0
 * (`NON_WASHOUT`) or λ_eff < λ_phys (`SLOWER_THAN_PHYSICAL_DECAY`), Ã is taken from
 * {@link trapezoidWithTail} (A(0)=0 linear rise, physical-decay tail) and the flag is raised.
 * T_biol = 1/(1/T_eff − 1/T_phys) is reported for QA.
 * Ã standard deviation: first-order propagation of the parameter covariance
 * (σ²_Ã = J·C·Jᵀ, J = [1/λ, −A₀'/λ²]), residual variance s² = Σwr²/(n−2).
 *
 * Source: reference/dosimetry.md §3.1 (EANM 177Lu dosimetry recommendations, Sjögreen Gleisner
 * 2022; MIRD Pamphlet 26).
 *
 * @param timesH time after administration of each point (h), ≥ 0, strictly increasing
 * @param activitiesMBq activity physically present (MBq), > 0 (logarithm)
 * @param physicalHalfLifeS physical half-life of the nuclide (s), > 0 (177Lu: 574 300.8 s)
 * @param options method and weighting
 * @throws RangeError if fewer than 2 points (names the count), lengths differ, a time is
 *   negative / not increasing, an activity ≤ 0, or `physicalHalfLifeS` ≤ 0;
 *   TypeError for non-finite numbers.
 */
export function fitMonoExponential(
  timesH: readonly number[],
  activitiesMBq: readonly number[],
  physicalHalfLifeS: number,
  options: MonoExponentialOptions = {},
): MonoExponentialFit {
  validateTac(timesH, activitiesMBq, { strictlyPositiveActivity: true });
  const n = timesH.length;
  if (n < 2) {
    throw new RangeError(
      `timesH has ${n} point(s); a mono-exponential fit needs ≥ 2 (2 parameters: A0, λ_eff)`,
    );
  }
  const lPhys = lambdaPhysPerH(physicalHalfLifeS);
  const method = options.method ?? "log-linear";
  const w = activitiesMBq.map((a) => (options.weighting === "activity-squared" ? a * a : 1));
  // weighted linear regression y = c + b t on y = ln A
  const y = activitiesMBq.map(Math.log);
  let sw = 0;
  let st = 0;
  let sy = 0;
  w.forEach((wi, i) => {
    sw += wi;
    st += wi * (timesH[i] as number);
    sy += wi * (y[i] as number);
  });
  const tm = st / sw;
  const ym = sy / sw;
  let stt = 0;
  let sty = 0;
  w.forEach((wi, i) => {
    const dt = (timesH[i] as number) - tm;
    stt += wi * dt * dt;
    sty += wi * dt * ((y[i] as number) - ym);
  });
  let slope = sty / stt;
  let c = ym - slope * tm;
  let a0 = Math.exp(c);
  let lambda = -slope;
  let covariance: number[][] | null = null;

  if (method === "levenberg-marquardt") {
    const res = levenbergMarquardt(
      { x: [...timesH], y: [...activitiesMBq] },
      ([p0, p1]) =>
        (t) =>
          (p0 as number) * Math.exp(-(p1 as number) * t),
      {
        initialValues: [a0, lambda],
        jacobianFunction:
          ([p0, p1]) =>
          (t) => {
            const e = Math.exp(-(p1 as number) * t);
            return [e, -(p0 as number) * t * e];
          },
        maxIterations: 500,
        errorTolerance: 1e-12,
        improvementThreshold: 1e-6,
      },
    );
    a0 = res.parameterValues[0] as number;
    lambda = res.parameterValues[1] as number;
    slope = -lambda;
    c = Math.log(a0);
  }

  const pred = timesH.map((t) => a0 * Math.exp(-lambda * t));
  const residualsMBq = activitiesMBq.map((a, i) => a - (pred[i] as number));
  const flags: TacFlag[] = [];
  if (n > 2) {
    if (method === "log-linear") {
      const ssr = y.reduce(
        (s, yi, i) => s + (w[i] as number) * (yi - (c + slope * (timesH[i] as number))) ** 2,
        0,
      );
      const s2 = ssr / (n - 2);
      // covariance of (c, slope) → (A0, λ): A0 = e^c, λ = −slope
      const varSlope = s2 / stt;
      const varC = s2 * (1 / sw + (tm * tm) / stt);
      const covCS = (-s2 * tm) / stt;
      covariance = [
        [a0 * a0 * varC, -a0 * covCS],
        [-a0 * covCS, varSlope],
      ];
    } else {
      const ssr = residualsMBq.reduce((s, r) => s + r * r, 0);
      const jac = timesH.map((t) => {
        const e = Math.exp(-lambda * t);
        return [e, -a0 * t * e];
      });
      covariance = covarianceFromJacobian(
        jac,
        timesH.map(() => 1),
        ssr / (n - 2),
      );
    }
  } else {
    flags.push({
      code: "NO_RESIDUAL_DEGREES_OF_FREEDOM",
      message: `2 points for 2 parameters: exact fit, no covariance (tiaSdMBqH = NaN)`,
    });
  }

  const effectiveHalfLifeH = lambda === 0 ? Infinity : Math.LN2 / lambda;
  const biologicalHalfLifeH = 1 / (1 / effectiveHalfLifeH - lPhys / Math.LN2);
  let tiaMBqH: number;
  let tiaSdMBqH = Number.NaN;
  let tiaMethod: MonoExponentialFit["tiaMethod"] = "analytic";
  if (lambda <= 0 || lambda < lPhys) {
    flags.push(
      lambda <= 0
        ? {
            code: "NON_WASHOUT",
            message: `fitted λ_eff = ${lambda.toPrecision(5)} h⁻¹ ≤ 0 (activity rising): not a washout curve; Ã from trapezoid (A(0)=0) + physical-decay tail (dosimetry.md §3.1)`,
          }
        : {
            code: "SLOWER_THAN_PHYSICAL_DECAY",
            message: `fitted λ_eff = ${lambda.toPrecision(5)} h⁻¹ < λ_phys = ${lPhys.toPrecision(5)} h⁻¹ (negative biological half-life ${biologicalHalfLifeH.toPrecision(4)} h); Ã from trapezoid (A(0)=0) + physical-decay tail (dosimetry.md §3.1)`,
          },
    );
    tiaMBqH = trapezoidWithTail(timesH, activitiesMBq, physicalHalfLifeS, {
      zeroTime: "linear-from-zero",
      tail: "physical-decay",
    }).tiaMBqH;
    tiaMethod = "fallback-trapezoid-physical-tail";
  } else {
    tiaMBqH = a0 / lambda;
    if (covariance) {
      const j0 = 1 / lambda;
      const j1 = -a0 / (lambda * lambda);
      const c00 = (covariance[0] as number[])[0] as number;
      const c01 = (covariance[0] as number[])[1] as number;
      const c11 = (covariance[1] as number[])[1] as number;
      tiaSdMBqH = Math.sqrt(Math.max(0, j0 * j0 * c00 + 2 * j0 * j1 * c01 + j1 * j1 * c11));
    }
  }
  return {
    model: "mono-exponential",
    method,
    a0MBq: a0,
    lambdaEffPerH: lambda,
    effectiveHalfLifeH,
    biologicalHalfLifeH,
    covariance,
    rSquared: rSquared(activitiesMBq, pred),
    residualsMBq,
    tiaMBqH,
    tiaMBqS: tiaMBqH * SECONDS_PER_HOUR,
    tiaSdMBqH,
    tiaMethod,
    flags,
  };
}

/** Result of {@link fitUptakeWashout}. */
export interface UptakeWashoutFit extends TacResultBase {
  model: "bi-exponential-uptake-washout";
  method: "levenberg-marquardt";
  /** Amplitude a (MBq) of A(t) = a·(e^(−λ₁t) − e^(−λ₂t)). */
  amplitudeMBq: number;
  /** Washout constant λ₁ (h⁻¹), the slower one. */
  lambdaWashoutPerH: number;
  /** Uptake constant λ₂ (h⁻¹), λ₂ > λ₁. */
  lambdaUptakePerH: number;
  /** Time of maximum activity ln(λ₂/λ₁)/(λ₂−λ₁) (h). */
  timeOfPeakH: number;
  /** Covariance of [a, λ₁, λ₂]; null when singular or no residual degrees of freedom. */
  covariance: number[][] | null;
  rSquared: number;
  residualsMBq: number[];
}

/** Options of {@link fitUptakeWashout}. */
export interface UptakeWashoutOptions {
  /** Minimum points per exponential term (default 2, dosimetry.md §3.2) → n ≥ 4 by default. */
  minPointsPerTerm?: number;
  /** Maximum LM iterations (default 1000). */
  maxIterations?: number;
}

/**
 * Bi-exponential uptake–washout fit `A(t) = a·(e^(−λ₁t) − e^(−λ₂t))`, λ₂ > λ₁ > 0,
 * Ã = a·(1/λ₁ − 1/λ₂), by Levenberg–Marquardt (ml-levenberg-marquardt, analytic Jacobian,
 * positivity bounds), started from several uptake-rate guesses; the lowest SSE wins.
 * Flags `UNIDENTIFIABLE` when the normal matrix is singular or λ₁ ≈ λ₂, `POORLY_DETERMINED`
 * when a parameter's relative standard error exceeds 100 %, `SLOWER_THAN_PHYSICAL_DECAY`
 * when λ₁ < λ_phys, `UPTAKE_PHASE_NOT_SAMPLED` when the fitted peak precedes the first point. σ_Ã by first-order propagation of the parameter covariance.
 *
 * Source: reference/dosimetry.md §3.2 (≥ 2 points per exponential, LM with positivity
 * constraints; EANM 2022, MIRD Pamphlet 26).
 *
 * @param timesH times after administration (h), ≥ 0, strictly increasing
 * @param activitiesMBq activities physically present (MBq), ≥ 0
 * @param physicalHalfLifeS physical half-life (s), > 0
 * @throws RangeError if n < 2 × `minPointsPerTerm` (names the count) or on invalid TAC input.
 */
export function fitUptakeWashout(
  timesH: readonly number[],
  activitiesMBq: readonly number[],
  physicalHalfLifeS: number,
  options: UptakeWashoutOptions = {},
): UptakeWashoutFit {
  validateTac(timesH, activitiesMBq);
  const lPhys = lambdaPhysPerH(physicalHalfLifeS);
  const perTerm = options.minPointsPerTerm ?? 2;
  const minN = Math.max(3, 2 * perTerm);
  const n = timesH.length;
  if (n < minN) {
    throw new RangeError(
      `timesH has ${n} point(s); the bi-exponential uptake–washout model needs ≥ ${minN} (3 parameters, ${perTerm} points per exponential term, dosimetry.md §3.2)`,
    );
  }
  const t = [...timesH];
  const y = [...activitiesMBq];
  // washout guess from the last two positive points
  const tl = t[n - 1] as number;
  const tp = t[n - 2] as number;
  const al = y[n - 1] as number;
  const ap = y[n - 2] as number;
  let l1 = al > 0 && ap > 0 ? Math.log(ap / al) / (tl - tp) : lPhys;
  if (!(l1 > 0)) l1 = lPhys;
  const model =
    ([a, p1, p2]: number[]) =>
    (x: number) =>
      (a as number) * (Math.exp(-(p1 as number) * x) - Math.exp(-(p2 as number) * x));
  const jacobian =
    ([a, p1, p2]: number[]) =>
    (x: number) => {
      const e1 = Math.exp(-(p1 as number) * x);
      const e2 = Math.exp(-(p2 as number) * x);
      return [e1 - e2, -(a as number) * x * e1, (a as number) * x * e2];
    };
  const t0 = Math.max(t[0] as number, 1e-6);
  let best: { p: number[]; sse: number } | null = null;
  for (const mult of [3, 10, 30, 100]) {
    const l2 = Math.max(l1 * mult, 0.5 / t0);
    const f = t.map((x) => Math.exp(-l1 * x) - Math.exp(-l2 * x));
    const num = f.reduce((s, fi, i) => s + fi * (y[i] as number), 0);
    const den = f.reduce((s, fi) => s + fi * fi, 0);
    const a0 = den > 0 ? Math.max(num / den, 1e-9) : Math.max(...y);
    const res = levenbergMarquardt({ x: t, y }, model, {
      initialValues: [a0, l1, l2],
      jacobianFunction: jacobian,
      minValues: [0, 1e-9, 1e-9],
      maxIterations: options.maxIterations ?? 1000,
      errorTolerance: 1e-12,
      improvementThreshold: 1e-6,
    });
    const p = res.parameterValues;
    const sse = t.reduce((s, x, i) => s + ((y[i] as number) - model(p)(x)) ** 2, 0);
    if (!best || sse < best.sse) best = { p, sse };
  }
  const bp = (best as { p: number[]; sse: number }).p;
  let a = bp[0] as number;
  let lw = bp[1] as number;
  let lu = bp[2] as number;
  if (lw > lu) {
    // same curve with swapped roles and negated amplitude
    [lw, lu] = [lu, lw];
    a = -a;
  }
  const flags: TacFlag[] = [];
  const pred = t.map((x) => model([a, lw, lu])(x));
  const residualsMBq = y.map((v, i) => v - (pred[i] as number));
  let covariance: number[][] | null = null;
  if (n > 3) {
    const ssr = residualsMBq.reduce((s, r) => s + r * r, 0);
    covariance = covarianceFromJacobian(
      t.map((x) => jacobian([a, lw, lu])(x)),
      t.map(() => 1),
      ssr / (n - 3),
    );
  } else {
    flags.push({
      code: "NO_RESIDUAL_DEGREES_OF_FREEDOM",
      message: `3 points for 3 parameters: no covariance (tiaSdMBqH = NaN)`,
    });
  }
  if (!(a > 0) || Math.abs(lu - lw) <= 1e-6 * lw) {
    flags.push({
      code: "UNIDENTIFIABLE",
      message: `non-physical uptake–washout parameters: a = ${a.toPrecision(4)} MBq, λ₁ = ${lw.toPrecision(4)} h⁻¹, λ₂ = ${lu.toPrecision(4)} h⁻¹ (need a > 0, λ₂ > λ₁ > 0)`,
    });
  } else if (n > 3 && covariance === null) {
    flags.push({
      code: "UNIDENTIFIABLE",
      message: `singular normal matrix: parameters not identifiable from ${n} points`,
    });
  }
  if (covariance) {
    const names = ["a", "λ₁", "λ₂"];
    [a, lw, lu].forEach((v, i) => {
      const sd = Math.sqrt(Math.max(0, (covariance as number[][])[i]?.[i] ?? 0));
      if (sd > Math.abs(v)) {
        flags.push({
          code: "POORLY_DETERMINED",
          message: `${names[i] as string} = ${v.toPrecision(4)} has standard error ${sd.toPrecision(3)} (> 100 %)`,
        });
      }
    });
  }
  if (lw < lPhys) {
    flags.push({
      code: "SLOWER_THAN_PHYSICAL_DECAY",
      message: `washout λ₁ = ${lw.toPrecision(5)} h⁻¹ < λ_phys = ${lPhys.toPrecision(5)} h⁻¹`,
    });
  }
  const timeOfPeakH = Math.log(lu / lw) / (lu - lw);
  if (Number.isFinite(timeOfPeakH) && timeOfPeakH < (t[0] as number)) {
    flags.push({
      code: "UPTAKE_PHASE_NOT_SAMPLED",
      message: `fitted peak at ${timeOfPeakH.toPrecision(3)} h is before the first point (${String(t[0])} h): the uptake rate λ₂ is extrapolated, not measured`,
    });
  }
  const tiaMBqH = a * (1 / lw - 1 / lu);
  let tiaSdMBqH = Number.NaN;
  if (covariance) {
    const j = [1 / lw - 1 / lu, -a / (lw * lw), a / (lu * lu)];
    let v = 0;
    for (let i = 0; i < 3; i++) {
      for (let k = 0; k < 3; k++)
        v += (j[i] as number) * (j[k] as number) * ((covariance[i] as number[])[k] as number);
    }
    tiaSdMBqH = Math.sqrt(Math.max(0, v));
  }
  return {
    model: "bi-exponential-uptake-washout",
    method: "levenberg-marquardt",
    amplitudeMBq: a,
    lambdaWashoutPerH: lw,
    lambdaUptakePerH: lu,
    timeOfPeakH,
    covariance,
    rSquared: rSquared(y, pred),
    residualsMBq,
    tiaMBqH,
    tiaMBqS: tiaMBqH * SECONDS_PER_HOUR,
    tiaSdMBqH,
    flags,
  };
}

/** Named integration policies of {@link trapezoidWithTail} (dosimetry.md §3.3). */
export interface TrapezoidTailPolicy {
  /**
   * Segment 0 → t₁: `linear-from-zero` (a) A(0)=0, linear rise – conservative low (default);
   * `exponential-back-extrapolation` (b) exponential through the first two points;
   * `constant-first-value` (c) A(0)=A₁ (rectangle).
   */
  zeroTime: "linear-from-zero" | "exponential-back-extrapolation" | "constant-first-value";
  /**
   * Tail after t_n: `last-two-points` – λ from the last two points if λ > λ_phys, else λ_phys
   * (default); `physical-decay` – λ_phys only (upper bound).
   */
  tail: "last-two-points" | "physical-decay";
}

/** Default policy: (a) linear from zero, last-two-points tail (dosimetry.md §3.3, Example D4). */
export const DEFAULT_TRAPEZOID_TAIL_POLICY: Readonly<TrapezoidTailPolicy> = {
  zeroTime: "linear-from-zero",
  tail: "last-two-points",
};

/** Result of {@link trapezoidWithTail}. */
export interface TrapezoidTailResult extends TacResultBase {
  model: "trapezoid-tail";
  policy: TrapezoidTailPolicy;
  /** ∫₀^{t₁} (MBq·h) by the zero-time policy. */
  zeroSegmentMBqH: number;
  /** Σ trapezoids between measured points (MBq·h). */
  trapezoidMBqH: number;
  /** A_n/λ_tail (MBq·h). */
  tailMBqH: number;
  /** λ used for the tail (h⁻¹). */
  lambdaTailPerH: number;
}

/**
 * Model-free TIA: `Ã = ∫₀^{t₁}(policy) + Σ ½(tᵢ₊₁ − tᵢ)(Aᵢ + Aᵢ₊₁) + A_n/λ_tail`.
 * Zero segment (b): λ₀ = ln(A₁/A₂)/(t₂ − t₁), ∫ = A₁(e^(λ₀t₁) − 1)/λ₀; if λ₀ ≤ 0 falls back to
 * (a) with flag `BACK_EXTRAPOLATION_NOT_DECREASING`. Tail `last-two-points` falls back to
 * λ_phys (flag `TAIL_FELL_BACK_TO_PHYSICAL`) when the last-two-point λ ≤ λ_phys.
 * Flags `LARGE_EXTRAPOLATED_FRACTION` when zero segment + tail exceed 50 % of Ã.
 * Invariant: Ã ≥ trapezoid part alone.
 *
 * Source: reference/dosimetry.md §3.3 and Example D4 (EANM 2022 recommendations).
 *
 * @param timesH times (h), ≥ 0, strictly increasing, n ≥ 2
 * @param activitiesMBq activities physically present (MBq), ≥ 0 (> 0 for the last two when
 *   the tail is `last-two-points`, and the first two for policy (b))
 * @param physicalHalfLifeS physical half-life (s), > 0
 * @param policy zero-time and tail policy (default {@link DEFAULT_TRAPEZOID_TAIL_POLICY})
 * @throws RangeError if n < 2 (names the count) or on invalid TAC input.
 */
export function trapezoidWithTail(
  timesH: readonly number[],
  activitiesMBq: readonly number[],
  physicalHalfLifeS: number,
  policy: TrapezoidTailPolicy = DEFAULT_TRAPEZOID_TAIL_POLICY,
): TrapezoidTailResult {
  validateTac(timesH, activitiesMBq);
  const lPhys = lambdaPhysPerH(physicalHalfLifeS);
  const n = timesH.length;
  if (n < 2) {
    throw new RangeError(`timesH has ${n} point(s); trapezoid + tail integration needs ≥ 2`);
  }
  const flags: TacFlag[] = [];
  const t1 = timesH[0] as number;
  const a1 = activitiesMBq[0] as number;
  const t2 = timesH[1] as number;
  const a2 = activitiesMBq[1] as number;
  let zero: number;
  if (policy.zeroTime === "constant-first-value") zero = a1 * t1;
  else if (policy.zeroTime === "exponential-back-extrapolation") {
    const l0 = a1 > 0 && a2 > 0 ? Math.log(a1 / a2) / (t2 - t1) : Number.NaN;
    if (l0 > 0) zero = (a1 * (Math.exp(l0 * t1) - 1)) / l0;
    else {
      flags.push({
        code: "BACK_EXTRAPOLATION_NOT_DECREASING",
        message: `first two points are not decreasing (A₁ = ${a1} MBq, A₂ = ${a2} MBq): zero segment falls back to A(0)=0 linear rise`,
      });
      zero = 0.5 * t1 * a1;
    }
  } else zero = 0.5 * t1 * a1;
  let trap = 0;
  for (let i = 0; i + 1 < n; i++) {
    trap +=
      0.5 *
      ((timesH[i + 1] as number) - (timesH[i] as number)) *
      ((activitiesMBq[i] as number) + (activitiesMBq[i + 1] as number));
  }
  const an = activitiesMBq[n - 1] as number;
  let lTail = lPhys;
  if (policy.tail === "last-two-points") {
    const ap = activitiesMBq[n - 2] as number;
    const l =
      an > 0 && ap > 0
        ? Math.log(ap / an) / ((timesH[n - 1] as number) - (timesH[n - 2] as number))
        : Number.NaN;
    if (l > lPhys) lTail = l;
    else {
      flags.push({
        code: "TAIL_FELL_BACK_TO_PHYSICAL",
        message: `last-two-points λ = ${Number.isNaN(l) ? "undefined" : l.toPrecision(5)} h⁻¹ ≤ λ_phys = ${lPhys.toPrecision(5)} h⁻¹: tail uses physical decay (upper bound)`,
      });
    }
  }
  const tail = an / lTail;
  const total = zero + trap + tail;
  if (total > 0 && (zero + tail) / total > 0.5) {
    flags.push({
      code: "LARGE_EXTRAPOLATED_FRACTION",
      message: `${(((zero + tail) / total) * 100).toFixed(1)} % of Ã is extrapolated (zero segment + tail > 50 %)`,
    });
  }
  return {
    model: "trapezoid-tail",
    policy: { ...policy },
    zeroSegmentMBqH: zero,
    trapezoidMBqH: trap,
    tailMBqH: tail,
    lambdaTailPerH: lTail,
    tiaMBqH: total,
    tiaMBqS: total * SECONDS_PER_HOUR,
    tiaSdMBqH: Number.NaN,
    flags,
  };
}

/**
 * Time-integrated activity (or concentration) of a sum of decaying exponentials
 * `C(t) = Σ cⱼ·2^(−t/Tⱼ)`: `∫₀^∞ C dt = Σ cⱼ·Tⱼ/ln2` (unit of c × h).
 *
 * Source: reference/dosimetry.md §3.2 (Ã = Σ aⱼ/λⱼ) and Example D8 (blood curve).
 *
 * @param terms amplitudes (any activity or concentration unit, ≥ 0) and half-lives (h, > 0)
 * @throws RangeError if `terms` is empty, an amplitude < 0 or a half-life ≤ 0 (names the index).
 */
export function sumOfExponentialsIntegral(
  terms: readonly { amplitude: number; halfLifeH: number }[],
): number {
  if (!Array.isArray(terms) || terms.length === 0) {
    throw new RangeError(
      `terms must contain ≥ 1 exponential term, got ${Array.isArray(terms) ? 0 : String(terms)}`,
    );
  }
  return terms.reduce((s, term, i) => {
    if (term.amplitude < 0 || !Number.isFinite(term.amplitude)) {
      throw new RangeError(`terms[${i}].amplitude must be ≥ 0, got ${term.amplitude}`);
    }
    requirePositive(`terms[${i}].halfLifeH`, term.halfLifeH);
    return s + (term.amplitude * term.halfLifeH) / Math.LN2;
  }, 0);
}
