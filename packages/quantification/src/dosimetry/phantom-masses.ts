/**
 * Reference phantom organ masses (g) matching the PyTheranostics 177Lu S-value tables.
 *
 * Provenance: qurit/PyTheranostics, `doodle/dosimetry/phantomdata/human_phantom_masses.csv`
 * at commit c11a04be726f37881ada375ec4aa4faac5cd1618 – the mass table PyTheranostics uses together
 * with the S-value CSVs (Apache-2.0). The values are the ICRP 89 adult reference masses and
 * agree with the ICRP 110 phantom masses in reference/dosimetry.md §4.1 (kidneys 309.994 /
 * 275.013 g, liver 1799.776 / 1399.995 g, spleen 149.968 / 129.996 g) to < 0.03 %; red
 * marrow 1170 / 900 g as in dosimetry.md §5 (ICRP 89, unverified there).
 * Row mapping: osteogenicCells ← "Bone Surfaces", urinaryBladderWall ← "Bladder",
 * totalBody ← "Body". Hand-copied (7 values per sex), not generated.
 */
import type { Lu177TargetOrgan, PhantomSex } from "./lu177-svalues.data";

/** Phantom organ mass in grams by sex and target organ (whole body = "Body" row). */
export const LU177_PHANTOM_MASS_G: Readonly<
  Record<PhantomSex, Readonly<Record<Lu177TargetOrgan, number>>>
> = {
  male: {
    kidneys: 310,
    liver: 1800,
    spleen: 150,
    redMarrow: 1170,
    osteogenicCells: 120,
    urinaryBladderWall: 50,
    totalBody: 73000,
  },
  female: {
    kidneys: 275,
    liver: 1400,
    spleen: 130,
    redMarrow: 900,
    osteogenicCells: 120,
    urinaryBladderWall: 40,
    totalBody: 60000,
  },
};
