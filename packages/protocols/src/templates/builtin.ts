import { SRC, UNVERIFIED } from "../common/sources.js";
import {
  LU177_POST_CYCLE_SSA,
  LU177_PRE_CYCLE_EVENTS,
  NADIR_LABS,
  courseEvents,
} from "./common-events.js";
import type { EventRule, ProtocolTemplate } from "./types.js";

const scan = (
  key: string,
  hours: number,
  afterH: number,
  label: string,
  source: string,
  beforeH = 0,
): EventRule => ({
  key,
  kind: "POST_THERAPY_SCAN",
  label,
  anchor: "ADMINISTRATION",
  offset: { hours },
  window: { before: { hours: beforeH }, after: { hours: afterH } },
  source,
});

/**
 * Standard 177Lu-DOTATATE (Lutathera): 4 × 7.4 GBq every 8 weeks (± 1 week), amino acids
 * 30 min before, long-acting octreotide 4–24 h after, single post-therapy scan at ~24 h.
 * Source: prrt-protocols.md §1, §1.1, §1.2, §4, §6 (Lutathera label rev. 04/2024 §2.2–2.3; NETTER-1).
 */
export const LU177_DOTATATE_STANDARD: ProtocolTemplate = {
  id: "lu177-dotatate-standard",
  version: 1,
  name: "177Lu-DOTATATE standard 4 × 7.4 GBq q8w",
  radiopharmaceutical: { nuclide: "177Lu", agent: "DOTATATE (oxodotreotide, Lutathera)" },
  cycles: 4,
  activityPerCycleGBq: 7.4,
  reducedActivityGBq: 3.7,
  interval: { days: 56, toleranceDays: 7 },
  dosimetryGuided: false,
  events: [
    ...LU177_PRE_CYCLE_EVENTS,
    LU177_POST_CYCLE_SSA,
    scan(
      "post-scan-24h",
      24,
      4,
      "Post-therapy whole-body planar and/or SPECT/CT ~24 h (targeting, extravasation check)",
      `${SRC.POST_SCAN_24H}; ±4 h tolerance is a template default`,
      4,
    ),
    NADIR_LABS,
    ...courseEvents({ interimWeeks: [12] }),
  ],
  source: `${SRC.LABEL_DOSE}; ${SRC.LABEL_INTERVAL}; reduced activity ${SRC.DOSE_MOD_REDUCED}`,
  caveats: [`Reduced activity 3.7 GBq ${UNVERIFIED}`, `Pre-cycle lab window 14 days ${UNVERIFIED}`],
};

/**
 * Dosimetry-guided 177Lu-DOTATATE (ILUMINET-style): 7.4 GBq every 10 ± 2 weeks until the
 * kidney absorbed-dose limit; planned 5 cycles (median), up to 9; quantitative SPECT/CT at
 * 4, 24, 96–120 h and 168 h.
 * Source: prrt-protocols.md §1.3 (Sundlöv 2022), §6 (Lutate 2018; Staanum 2021).
 */
export const LU177_DOTATATE_DOSIMETRY_MTP: ProtocolTemplate = {
  id: "lu177-dotatate-dosimetry-mtp",
  version: 1,
  name: "177Lu-DOTATATE dosimetry-guided, 7.4 GBq q10w, multi-time-point SPECT/CT",
  radiopharmaceutical: { nuclide: "177Lu", agent: "DOTATATE (oxodotreotide)" },
  cycles: 5,
  maxCycles: 9,
  activityPerCycleGBq: 7.4,
  reducedActivityGBq: 3.7,
  interval: { days: 70, toleranceDays: 14 },
  dosimetryGuided: true,
  events: [
    ...LU177_PRE_CYCLE_EVENTS,
    LU177_POST_CYCLE_SSA,
    scan(
      "post-scan-4h",
      4,
      1,
      "Quantitative SPECT/CT ~4 h",
      `${SRC.POST_SCAN_LUTATE}; +1 h tolerance is a template default`,
    ),
    scan(
      "post-scan-24h",
      24,
      4,
      "Quantitative SPECT/CT ~24 h",
      `${SRC.POST_SCAN_LUTATE}; ±4 h tolerance is a template default`,
      4,
    ),
    scan("post-scan-96h", 96, 24, "Quantitative SPECT/CT 96–120 h", SRC.POST_SCAN_LUTATE),
    scan(
      "post-scan-168h",
      168,
      24,
      "Quantitative SPECT/CT ~7 days (168 h)",
      `${SRC.POST_SCAN_STAANUM}; +24 h tolerance is a template default`,
    ),
    NADIR_LABS,
    ...courseEvents({ interimWeeks: [12, 24, 36] }),
  ],
  source: SRC.DOSIMETRY_GUIDED,
  caveats: [
    "Cycle count is decided by the cumulative kidney dose ledger; 5 planned = ILUMINET median, 9 = maximum observed",
    `Reduced activity 3.7 GBq ${UNVERIFIED}`,
  ],
};

/**
 * Dosimetry-guided 177Lu-DOTATATE with a single post-therapy scan at ~72–96 h (single
 * time-point dosimetry). Source: prrt-protocols.md §1.3, §6 (Sundlöv 2018 ~96 h; PMC8882881 ~72 h).
 */
export const LU177_DOTATATE_DOSIMETRY_STP: ProtocolTemplate = {
  ...LU177_DOTATATE_DOSIMETRY_MTP,
  id: "lu177-dotatate-dosimetry-stp",
  name: "177Lu-DOTATATE dosimetry-guided, 7.4 GBq q10w, single time-point SPECT/CT ~72–96 h",
  events: [
    ...LU177_PRE_CYCLE_EVENTS,
    LU177_POST_CYCLE_SSA,
    scan(
      "post-scan-stp",
      72,
      24,
      "Single time-point quantitative SPECT/CT 72–96 h",
      SRC.POST_SCAN_STP,
    ),
    NADIR_LABS,
    ...courseEvents({ interimWeeks: [12, 24, 36] }),
  ],
  caveats: [...LU177_DOTATATE_DOSIMETRY_MTP.caveats],
};

/**
 * 90Y-DOTATOC, Basel intermediate-activity regimen (median 3.3 GBq/cycle; the high-dose
 * 6.7 GBq arm had more grade 4/5 kidney toxicity, HR 3.12). Cycle count and interval are NOT
 * in the reference: 2 cycles × 8 weeks is a placeholder the site must confirm.
 * Source: prrt-protocols.md §1.3 (Marincek N et al., J Transl Med 2013;11:17).
 */
export const Y90_DOTATOC_INTERMEDIATE: ProtocolTemplate = {
  id: "y90-dotatoc-intermediate",
  version: 1,
  name: "90Y-DOTATOC 3.3 GBq per cycle (Basel intermediate activity)",
  radiopharmaceutical: { nuclide: "90Y", agent: "DOTATOC (edotreotide)" },
  cycles: 2,
  activityPerCycleGBq: 3.3,
  reducedActivityGBq: null,
  interval: { days: 56, toleranceDays: 7 },
  dosimetryGuided: false,
  events: [
    ...LU177_PRE_CYCLE_EVENTS.map((e) => ({
      ...e,
      source: `${e.source}; applied to 90Y by analogy ${UNVERIFIED}`,
    })),
    scan(
      "post-scan-bremsstrahlung-24h",
      24,
      24,
      "Post-therapy 90Y bremsstrahlung scan ~24–48 h",
      `Template default by analogy with ${SRC.POST_SCAN_24H} ${UNVERIFIED}`,
    ),
    NADIR_LABS,
    ...courseEvents({ interimWeeks: [12] }),
  ],
  source: SRC.Y90_DOTATOC,
  caveats: [
    `Cycles (2) and interval (8 ± 1 weeks) are placeholders, not from the reference ${UNVERIFIED}`,
    "No reduced-activity rule defined for 90Y in the reference",
    `Later Basel practice used 3.7 GBq/m² per cycle (Imhof 2011) ${UNVERIFIED}`,
  ],
};

/** All built-in templates by id. */
export const BUILTIN_TEMPLATES: readonly ProtocolTemplate[] = [
  LU177_DOTATATE_STANDARD,
  LU177_DOTATATE_DOSIMETRY_MTP,
  LU177_DOTATATE_DOSIMETRY_STP,
  Y90_DOTATOC_INTERMEDIATE,
];
