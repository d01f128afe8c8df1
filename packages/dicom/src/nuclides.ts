/**
 * Minimal radionuclide table for the QA gate: identifies the nuclide from the radiopharmaceutical
 * text / code meaning and supplies a fallback half-life when Radionuclide Half Life (0018,1075)
 * is missing. Values from /shared/reference/radionuclides.md §2 (ENSDF/NuDat or Ph. Eur. as
 * cited there). For SUV the header half-life is preferred (it matches the scanner's own decay
 * correction); this table is the fallback and the plausibility reference.
 */

/** One table entry. */
export interface NuclideInfo {
  /** Conventional name, e.g. `177Lu`. */
  nuclide: string;
  /** Physical half-life in seconds. */
  halfLifeS: number;
  /** Where the half-life comes from. */
  source: string;
  /** True for therapy nuclides (post-therapy imaging happens days after administration). */
  therapy: boolean;
}

const TABLE: readonly (NuclideInfo & { patterns: RegExp[] })[] = [
  {
    nuclide: "177Lu",
    halfLifeS: 574300.8,
    source: "ENSDF/NuDat 6.647 d (radionuclides.md §2)",
    therapy: true,
    patterns: [/177lu/, /lu177/, /lutetium177/, /177lutetium/],
  },
  {
    nuclide: "90Y",
    halfLifeS: 230580,
    source: "NUBASE-derived 64.05 h (radionuclides.md §2)",
    therapy: true,
    patterns: [/90y(?![a-z])/, /(?<![a-z])y90/, /yttrium90/, /90yttrium/],
  },
  {
    nuclide: "68Ga",
    halfLifeS: 4062.6,
    source: "ENSDF 67.71 min (radionuclides.md §2)",
    therapy: false,
    patterns: [/68ga/, /ga68/, /gallium68/, /68gallium/],
  },
  {
    nuclide: "18F",
    halfLifeS: 6586.2,
    source: "Ph. Eur. 5.7 109.77 min (radionuclides.md §2)",
    therapy: false,
    patterns: [/18f(?!\d)/, /f18/, /fluorine18/, /18fluorine/, /fdg/],
  },
  {
    nuclide: "64Cu",
    halfLifeS: 45721.4,
    source: "NUBASE2020 12.7004 h (radionuclides.md §2)",
    therapy: false,
    patterns: [/64cu/, /cu64/, /copper64/, /64copper/],
  },
  {
    nuclide: "111In",
    halfLifeS: 242326,
    source: "2.8047 d (radionuclides.md §2, unverified there)",
    therapy: false,
    patterns: [/111in/, /in111/, /indium111/, /111indium/, /octreoscan/],
  },
  {
    nuclide: "99mTc",
    halfLifeS: 21624,
    source: "6.0067 h (radionuclides.md §2, unverified there)",
    therapy: false,
    patterns: [/99mtc/, /tc99m/, /technetium99m/, /99mtechnetium/],
  },
  {
    nuclide: "123I",
    halfLifeS: 47604,
    source: "13.22 h (radionuclides.md §2, unverified there)",
    therapy: false,
    patterns: [/123i(?![a-z])/, /(?<![a-z])i123/, /iodine123/, /123iodine/],
  },
  {
    nuclide: "11C",
    halfLifeS: 1223.1,
    source: "Ph. Eur. 5.7 20.385 min (radionuclides.md §2)",
    therapy: false,
    patterns: [/(?<!\d)11c(?![a-z])/, /carbon11/, /11carbon/],
  },
];

/**
 * Identifies a radionuclide from free text (Radiopharmaceutical (0018,0031), Code Meaning
 * (0008,0104) of Radionuclide Code Sequence (0054,0300), e.g. `^18^Fluorine`, `Ga-68`,
 * `Lutetium-177`, `Fluorodeoxyglucose F^18^`).
 *
 * @returns the table entry, or `undefined` when nothing matches.
 * @throws never.
 */
export function identifyNuclide(...texts: (string | undefined)[]): NuclideInfo | undefined {
  for (const t of texts) {
    if (t === undefined) continue;
    const n = t.toLowerCase().replace(/[\^\s\-_()[\]]/g, "");
    for (const e of TABLE) {
      if (e.patterns.some((p) => p.test(n)))
        return { nuclide: e.nuclide, halfLifeS: e.halfLifeS, source: e.source, therapy: e.therapy };
    }
  }
  return undefined;
}

/**
 * Finds the table entry whose half-life is within `relTol` of `halfLifeS` (s).
 * Used when only the header half-life is known.
 * @throws never.
 */
export function nuclideFromHalfLife(halfLifeS: number, relTol = 0.01): NuclideInfo | undefined {
  const e = TABLE.find((x) => Math.abs(x.halfLifeS - halfLifeS) <= relTol * x.halfLifeS);
  return e === undefined
    ? undefined
    : { nuclide: e.nuclide, halfLifeS: e.halfLifeS, source: e.source, therapy: e.therapy };
}
