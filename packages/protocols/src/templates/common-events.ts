import { SRC } from "../common/sources.js";
import type { EventRule } from "./types.js";

/** Pre-cycle events shared by 177Lu-DOTATATE templates (label day-of-treatment sequence). */
export const LU177_PRE_CYCLE_EVENTS: readonly EventRule[] = [
  {
    key: "labs",
    kind: "LABS",
    label:
      "Pre-cycle labs: CBC with differential, creatinine/eGFR (CrCl), bilirubin, albumin, liver enzymes",
    anchor: "ADMINISTRATION",
    offset: { days: -7 },
    window: { before: { days: 7 }, after: { days: 7 } },
    source: `${SRC.PRE_CYCLE_LABS}; window = the 14 days before administration`,
  },
  {
    key: "ssa-long-washout",
    kind: "SSA_WASHOUT",
    label: "Last long-acting SSA injection no later than 4 weeks before administration",
    anchor: "ADMINISTRATION",
    offset: { weeks: -4 },
    window: { before: null, after: {} },
    source: `${SRC.LABEL_SSA_BEFORE_FIRST}; ${SRC.LABEL_SSA_DURING}`,
  },
  {
    key: "ssa-short-stop",
    kind: "SSA_WASHOUT",
    label: "Stop short-acting octreotide at least 24 h before administration",
    anchor: "ADMINISTRATION",
    offset: { hours: -24 },
    window: { before: null, after: {} },
    source: SRC.LABEL_SSA_BEFORE_FIRST,
  },
  {
    key: "amino-acids",
    kind: "AMINO_ACIDS",
    label: "Start L-lysine/L-arginine infusion 30 min before (continue ≥ 3 h after)",
    anchor: "ADMINISTRATION",
    offset: { minutes: -30 },
    window: { before: { minutes: 15 }, after: {} },
    source: `${SRC.LABEL_AMINO_ACIDS}; 15-min early tolerance is a template default, not from the reference`,
  },
];

/** Long-acting octreotide 30 mg 4–24 h after each 177Lu-DOTATATE administration (label). */
export const LU177_POST_CYCLE_SSA: EventRule = {
  key: "ssa-lar",
  kind: "SSA_INJECTION",
  label: "Long-acting octreotide 30 mg IM 4–24 h after administration",
  anchor: "ADMINISTRATION",
  offset: { hours: 4 },
  window: { before: {}, after: { hours: 20 } },
  source: SRC.LABEL_SSA_DURING,
};

/** CBC around the expected nadir, ~4–6 weeks after each cycle (due at 5 weeks). */
export const NADIR_LABS: EventRule = {
  key: "nadir-labs",
  kind: "NADIR_LABS",
  label: "CBC at expected nadir (~4–6 weeks after the cycle)",
  anchor: "ADMINISTRATION",
  offset: { weeks: 5 },
  window: { before: { weeks: 1 }, after: { weeks: 1 } },
  source: SRC.NADIR_LABS,
};

/** Course-level imaging and follow-up events (interim, restaging, follow-up imaging and labs). */
export function courseEvents(opts: { interimWeeks: readonly number[] }): EventRule[] {
  return [
    ...opts.interimWeeks.map((w): EventRule => ({
      key: `interim-imaging-w${w}`,
      kind: "INTERIM_IMAGING",
      label: `Interim CT/MRI (RECIST 1.1) at week ${w} after the first administration`,
      anchor: "FIRST_ADMINISTRATION",
      offset: { weeks: w },
      window: { before: { days: 7 }, after: { days: 7 } },
      source: `${SRC.INTERIM_IMAGING}; ±7-day window is a template default`,
    })),
    {
      key: "restaging",
      kind: "RESTAGING",
      label: "End-of-treatment restaging: SSTR PET/CT + CT/MRI (new follow-up baseline)",
      anchor: "LAST_ADMINISTRATION",
      offset: { weeks: 10 },
      window: { before: { weeks: 2 }, after: { weeks: 2 } },
      source: `${SRC.RESTAGING}; window 8–12 weeks`,
    },
    {
      key: "follow-up-imaging",
      kind: "FOLLOW_UP",
      label: "Follow-up CT/MRI every 3 months after restaging (3–6 months by grade/tempo)",
      anchor: "LAST_ADMINISTRATION",
      offset: { months: 3, weeks: 10 },
      window: { before: { days: 14 }, after: { days: 14 } },
      repeat: { every: { months: 3 }, count: 4 },
      source: `${SRC.FOLLOW_UP_IMAGING}; ±14-day window is a template default`,
    },
    ...[1, 3, 6, 12].map((m): EventRule => ({
      key: `follow-up-labs-m${m}`,
      kind: "FOLLOW_UP",
      label: `Follow-up blood tests ${m} month${m === 1 ? "" : "s"} after the last cycle`,
      anchor: "LAST_ADMINISTRATION",
      offset: { months: m },
      window: { before: { days: 14 }, after: { days: 14 } },
      source: `${SRC.FOLLOW_UP_LABS}; ±14-day window is a template default`,
    })),
  ];
}
