/**
 * Plausibility limits for activities (MBq), a configurable policy: inputs outside are refused
 * as likely typos (e.g. GBq typed as MBq). Defaults bracket the protocols in
 * reference/prrt-protocols.md (177Lu-DOTATATE 7.4 GBq per cycle, reduced 3.7 GBq; 90Y-DOTATOC
 * regimens of a few GBq) with room for dosimetry-guided escalation; **(unverified here)** as
 * hard limits — sites may tighten them.
 */
export const ACTIVITY_LIMITS_MBQ = {
  THERAPY: { min: 500, max: 15_000 },
  PET: { min: 10, max: 1_000 },
  SPECT: { min: 10, max: 1_500 },
} as const;

export const CYCLE_LIMITS = { minCycles: 1, maxCycles: 10, minIntervalDays: 14, maxIntervalDays: 365 } as const;
