/**
 * Physical half-lives of the radionuclides used in NET imaging and therapy.
 *
 * Source of every number: reference/radionuclides.md §2 (nuclide table). Values marked
 * `verified: false` carry the reference's "(unverified here)" marker and must be confirmed
 * against NNDC NuDat 3 or LNHB/DDEP before being used as production constants
 * (radionuclides.md §0). Half-lives are stored in seconds (radionuclides.md §1 rule 1).
 */

/** One evaluated or measured half-life with its provenance. */
export interface HalfLifeEvaluation {
  /** Half-life in seconds. */
  readonly halfLifeS: number;
  /** One-standard-uncertainty in seconds, or null when the reference gives none. */
  readonly uncertaintyS: number | null;
  /** Where the number comes from (evaluation and the reference section it was read from). */
  readonly source: string;
  /** false when the reference marks the value "(unverified here)". */
  readonly verified: boolean;
}

/** A nuclide entry: the preferred half-life plus alternative evaluations. */
export interface NuclideData extends HalfLifeEvaluation {
  /** Canonical id, mass number first: "177Lu". */
  readonly id: NuclideId;
  /** Imaging / therapy role, as in radionuclides.md §2 "Use" column. */
  readonly use: readonly ("PET" | "SPECT" | "therapy")[];
  /** Other evaluations/measurements quoted in the reference (may differ in the 3rd–4th digit). */
  readonly alternatives: readonly HalfLifeEvaluation[];
}

export type NuclideId =
  | "68Ga"
  | "18F"
  | "64Cu"
  | "111In"
  | "99mTc"
  | "123I"
  | "11C"
  | "177Lu"
  | "177mLu"
  | "90Y"
  | "225Ac"
  | "212Pb"
  | "161Tb";

const MIN = 60;
const H = 3600;
const D = 86400;
const REF = "reference/radionuclides.md §2";

function ev(
  halfLifeS: number,
  uncertaintyS: number | null,
  source: string,
  verified: boolean,
): HalfLifeEvaluation {
  return { halfLifeS, uncertaintyS, source: `${source}, via ${REF}`, verified };
}

/**
 * Nuclide table. Preferred value first; `alternatives` keeps the other evaluations so a
 * caller can reproduce a vendor's constant (radionuclides.md §2 "Practical consequences").
 */
export const NUCLIDES: Readonly<Record<NuclideId, NuclideData>> = Object.freeze({
  "68Ga": {
    id: "68Ga",
    use: ["PET"],
    ...ev(67.71 * MIN, 0.08 * MIN, "ENSDF/NuDat 67.71(8) min", false),
    alternatives: [
      ev(
        67.83 * MIN,
        0.2 * MIN,
        "DDEP 67.83(20) min (Kuzmenko 2019, Appl Radiat Isot 152:188)",
        true,
      ),
      ev(
        67.801 * MIN,
        0.043 * MIN,
        "NPL 2023 measurement 67.801(43) min (Ramirez & Collins)",
        true,
      ),
    ],
  },
  "18F": {
    id: "18F",
    use: ["PET"],
    ...ev(109.77 * MIN, 0.05 * MIN, "Ph. Eur. 5.7 table 01/2008:50700 (NNDC) 109.77(5) min", true),
    alternatives: [],
  },
  "64Cu": {
    id: "64Cu",
    use: ["PET"],
    ...ev(12.7004 * H, 0.0013 * H, "NUBASE2020 12.7004(13) h", true),
    alternatives: [ev(12.7 * H, 0.002 * H, "older ENSDF 12.700(2) h", true)],
  },
  "111In": {
    id: "111In",
    use: ["SPECT"],
    ...ev(2.8047 * D, 0.0004 * D, "2.8047(4) d", false),
    alternatives: [],
  },
  "99mTc": {
    id: "99mTc",
    use: ["SPECT"],
    ...ev(6.0067 * H, 0.001 * H, "DDEP 6.0067(10) h", false),
    alternatives: [ev(6.0072 * H, 0.0009 * H, "NuDat 6.0072(9) h", false)],
  },
  "123I": {
    id: "123I",
    use: ["SPECT"],
    ...ev(13.2234 * H, null, "DDEP 13.2234 h", false),
    alternatives: [],
  },
  "11C": {
    id: "11C",
    use: ["PET"],
    ...ev(20.385 * MIN, 0.02 * MIN, "Ph. Eur. 5.7 20.385(20) min", true),
    alternatives: [ev(20.364 * MIN, 0.014 * MIN, "NuDat 20.364(14) min", false)],
  },
  "177Lu": {
    id: "177Lu",
    use: ["SPECT", "therapy"],
    ...ev(
      6.647 * D,
      null,
      "ENSDF/NuDat 6.647 d (EJNMMI Phys 2020 doi:10.1186/s40658-020-00301-2; uncertainty unverified)",
      true,
    ),
    alternatives: [
      ev(6.6443 * D, 0.0009 * D, "DDEP 6.6443(9) d", false),
      ev(6.639 * D, 0.009 * D, "PTB 6.639(9) d (Appl Radiat Isot 2012;70:2215)", true),
    ],
  },
  "177mLu": {
    id: "177mLu",
    use: [],
    ...ev(160.4 * D, null, "160.4 d (Konijnenberg 2015, Curr Radiopharm 8:145)", true),
    alternatives: [],
  },
  "90Y": {
    id: "90Y",
    use: ["therapy"],
    ...ev(64.05 * H, null, "NUBASE-derived 64.05 h (Wikipedia 2025)", false),
    alternatives: [ev(64.0 * H, 0.21 * H, "NuDat 64.00(21) h", false)],
  },
  "225Ac": {
    id: "225Ac",
    use: ["therapy"],
    ...ev(9.92 * D, 0.003 * D, "9.920(3) d", false),
    alternatives: [],
  },
  "212Pb": {
    id: "212Pb",
    use: ["therapy"],
    ...ev(10.64 * H, 0.01 * H, "10.64(1) h (secondary sources; uncertainty unverified)", false),
    alternatives: [],
  },
  "161Tb": {
    id: "161Tb",
    use: ["therapy"],
    ...ev(
      6.89 * D,
      0.02 * D,
      "ENSDF 6.89(2) d (as cited by Collins et al. 2022, PMID 35158282)",
      true,
    ),
    alternatives: [
      ev(6.953 * D, 0.002 * D, "IRA 2020 measurement 6.953(2) d", true),
      ev(
        6.9637 * D,
        0.0029 * D,
        "NPL/US 2022 measurement 6.9637(29) d (Collins et al. 2022)",
        true,
      ),
      ev(6.934 * D, 0.014 * D, "2024 re-evaluation 6.934(14) d (ChemLin)", false),
    ],
  },
});

const ALIASES: ReadonlyMap<string, NuclideId> = (() => {
  const m = new Map<string, NuclideId>();
  for (const id of Object.keys(NUCLIDES) as NuclideId[]) {
    const match = /^(\d+)(m?)([A-Za-z]+)$/.exec(id);
    if (!match) continue;
    const [, mass, meta, sym] = match as unknown as [string, string, string, string];
    for (const form of [
      `${mass}${meta}${sym}`,
      `${sym}${mass}${meta}`,
      `${sym}-${mass}${meta}`,
      `${mass}${meta}-${sym}`,
    ]) {
      m.set(form.toLowerCase(), id);
    }
  }
  return m;
})();

/**
 * Looks up a nuclide by id, accepting the common spellings "177Lu", "Lu-177", "lu177",
 * "Tc-99m". Source: reference/radionuclides.md §2.
 *
 * @param name nuclide name (case-insensitive).
 * @returns the table entry (half-life in seconds, uncertainty, source).
 * @throws TypeError when `name` is not a string; RangeError when the nuclide is not in the table.
 */
export function getNuclide(name: string): NuclideData {
  if (typeof name !== "string") throw new TypeError(`name must be a string, got ${String(name)}`);
  const id = ALIASES.get(name.trim().toLowerCase());
  if (id === undefined) {
    throw new RangeError(
      `name must be one of ${Object.keys(NUCLIDES).join(", ")}, got ${JSON.stringify(name)}`,
    );
  }
  return NUCLIDES[id];
}

/**
 * Preferred physical half-life in seconds of a nuclide (radionuclides.md §2).
 *
 * @param name nuclide name as accepted by {@link getNuclide}.
 * @returns T½ in s.
 * @throws as {@link getNuclide}.
 */
export function halfLifeS(name: string): number {
  return getNuclide(name).halfLifeS;
}
