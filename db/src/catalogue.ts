/**
 * The radiopharmaceutical catalogue every NET service meets (shipped, site_id null).
 * Half-lives come from the nuclide table in @lutetia/quantification (with their sources,
 * reference/radionuclides.md); this list only names agents, nuclides, use and target.
 * Agents per reference/radionuclides.md "Use in NET care" and reference/glossary.md.
 */
export interface CatalogueEntry {
  name: string;
  nuclide: string;
  use: "PET" | "SPECT" | "THERAPY";
  target: "SSTR" | "GLUCOSE" | "AADC" | "SEROTONIN" | "OTHER";
  emerging?: boolean;
}

export const RADIOPHARMACEUTICAL_CATALOGUE: readonly CatalogueEntry[] = [
  // PET
  { name: "68Ga-DOTATATE", nuclide: "Ga-68", use: "PET", target: "SSTR" },
  { name: "68Ga-DOTATOC", nuclide: "Ga-68", use: "PET", target: "SSTR" },
  { name: "68Ga-DOTANOC", nuclide: "Ga-68", use: "PET", target: "SSTR" },
  { name: "64Cu-DOTATATE", nuclide: "Cu-64", use: "PET", target: "SSTR" },
  { name: "18F-FP-Gluc-TOCA", nuclide: "F-18", use: "PET", target: "SSTR" },
  { name: "18F-FDG", nuclide: "F-18", use: "PET", target: "GLUCOSE" },
  { name: "18F-DOPA", nuclide: "F-18", use: "PET", target: "AADC" },
  { name: "11C-5-HTP", nuclide: "C-11", use: "PET", target: "SEROTONIN" },
  // SPECT
  { name: "111In-pentetreotide", nuclide: "In-111", use: "SPECT", target: "SSTR" },
  { name: "111In-DTPAOC", nuclide: "In-111", use: "SPECT", target: "SSTR" },
  { name: "111In-DOTA-lanreotide", nuclide: "In-111", use: "SPECT", target: "SSTR" },
  { name: "123I-octreotide", nuclide: "I-123", use: "SPECT", target: "SSTR" },
  { name: "99mTc-EDDA/HYNIC-TOC", nuclide: "Tc-99m", use: "SPECT", target: "SSTR" },
  { name: "99mTc-HYNIC-TATE", nuclide: "Tc-99m", use: "SPECT", target: "SSTR" },
  // Therapy
  { name: "177Lu-DOTATATE", nuclide: "Lu-177", use: "THERAPY", target: "SSTR" },
  { name: "177Lu-DOTATOC", nuclide: "Lu-177", use: "THERAPY", target: "SSTR" },
  { name: "90Y-DOTATOC", nuclide: "Y-90", use: "THERAPY", target: "SSTR" },
  { name: "90Y-DOTATATE", nuclide: "Y-90", use: "THERAPY", target: "SSTR" },
  // Emerging (trials)
  { name: "225Ac-DOTATATE", nuclide: "Ac-225", use: "THERAPY", target: "SSTR", emerging: true },
  { name: "212Pb-DOTAMTATE", nuclide: "Pb-212", use: "THERAPY", target: "SSTR", emerging: true },
  { name: "161Tb-DOTATOC", nuclide: "Tb-161", use: "THERAPY", target: "SSTR", emerging: true },
];
