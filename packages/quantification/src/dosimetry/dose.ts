/**
 * Absorbed dose from time-integrated activity (MIRD schema), S-value mass scaling, tumour
 * spheres (local deposition) and red-marrow self-dose from blood (reference/dosimetry.md §1, §4, §5).
 * Units: Ã in MBq·h, S in mGy/(MBq·h) unless the name says otherwise, masses in g, dose in Gy.
 */
import { requireFinite, requireNonNegative, requirePositive } from "./guards";
import {
  LU177_S_MGY_PER_MBQ_S,
  type Lu177SourceOrgan,
  type Lu177TargetOrgan,
  type PhantomSex,
} from "./lu177-svalues.data";
import { LU177_PHANTOM_MASS_G } from "./phantom-masses";
import { JOULES_PER_MEV, SECONDS_PER_HOUR } from "./constants";

/**
 * 177Lu total electron energy emitted per decay, 0.1479 MeV (β 133.3 + conversion 13.5 +
 * Auger 1.1 keV; reference/radionuclides.md §2 and dosimetry.md §1, EJNMMI Phys 2020,
 * doi:10.1186/s40658-020-00301-2).
 */
export const LU177_MEAN_ELECTRON_ENERGY_MEV = 0.1479;

/**
 * Local-deposition constant `K = E·1.602177e−13 J/MeV·3.6e9 decays/(MBq·h)·1000 mGy/Gy`
 * in mGy·kg/(MBq·h); 177Lu (0.1479 MeV) → 0.085306.
 *
 * Source: reference/dosimetry.md §1 (K_Lu).
 * @param meanEnergyPerDecayMeV non-penetrating energy per decay (MeV), > 0
 * @throws RangeError if ≤ 0.
 */
export function localDepositionConstant(
  meanEnergyPerDecayMeV: number = LU177_MEAN_ELECTRON_ENERGY_MEV,
): number {
  requirePositive("meanEnergyPerDecayMeV", meanEnergyPerDecayMeV);
  return meanEnergyPerDecayMeV * JOULES_PER_MEV * 1e6 * SECONDS_PER_HOUR * 1000;
}

/** An S-value with its unit variants and phantom mass. */
export interface SValue {
  /** S(target ← source) in mGy/(MBq·s), as tabulated. */
  mGyPerMBqS: number;
  /** Same in mGy/(MBq·h) (× 3600). */
  mGyPerMBqH: number;
  /** Phantom mass of the target organ (g). */
  targetPhantomMassG: number;
  /** Which table. */
  table: "PyTheranostics Lu177 (qurit/PyTheranostics@1ebb9b4)";
}

const SEXES: readonly PhantomSex[] = ["male", "female"];

/**
 * Look up S(target ← source) for 177Lu in the bundled PyTheranostics tables;
 * `S[mGy/(MBq·h)] = 3600 × S[mGy/(MBq·s)]`, with the phantom target mass (g) for §4.2 scaling.
 *
 * Source: reference/dosimetry.md §4.1 (S-value use; record table and phantom sex);
 * data: qurit/PyTheranostics@1ebb9b4 (see lu177-svalues.data.ts and
 * shared/data/pytheranostics-lu177-svalues/PROVENANCE.md). Within 1.5 % of the OpenDose
 * ICRP 110 self-S-values quoted in §4.1 (tested).
 *
 * @param sex phantom sex, "male" | "female"
 * @param target target organ key
 * @param source source organ key
 * @throws RangeError if sex / target / source is not in the bundled subset (names the value).
 */
export function lu177SValue(
  sex: PhantomSex,
  target: Lu177TargetOrgan,
  source: Lu177SourceOrgan,
): SValue {
  if (!SEXES.includes(sex))
    throw new RangeError(`sex must be "male" or "female", got ${String(sex)}`);
  const row = (LU177_S_MGY_PER_MBQ_S[sex] as Record<string, Record<string, number> | undefined>)[
    target
  ];
  if (!row)
    throw new RangeError(
      `target must be one of ${Object.keys(LU177_S_MGY_PER_MBQ_S[sex]).join(", ")}, got ${String(target)}`,
    );
  const s = row[source];
  if (s === undefined)
    throw new RangeError(
      `source must be one of ${Object.keys(row).join(", ")}, got ${String(source)}`,
    );
  return {
    mGyPerMBqS: s,
    mGyPerMBqH: s * SECONDS_PER_HOUR,
    targetPhantomMassG: LU177_PHANTOM_MASS_G[sex][target],
    table: "PyTheranostics Lu177 (qurit/PyTheranostics@1ebb9b4)",
  };
}

/**
 * Linear mass scaling of a self-irradiation S-value:
 * `S_patient = S_phantom × (m_phantom / m_patient)` – a heavier organ gets a smaller S.
 *
 * Source: reference/dosimetry.md §4.2 (non-penetrating self-dose scales inversely with mass).
 *
 * @param sPhantom phantom S-value (any unit, returned in the same unit), ≥ 0
 * @param phantomMassG phantom organ mass (g), > 0
 * @param patientMassG patient organ mass (g), > 0 (e.g. from CT VOI × density)
 * @throws TypeError for non-finite input; RangeError if a mass ≤ 0 or S < 0.
 */
export function massScaledSelfS(
  sPhantom: number,
  phantomMassG: number,
  patientMassG: number,
): number {
  requireNonNegative("sPhantom", sPhantom);
  requirePositive("phantomMassG", phantomMassG);
  requirePositive("patientMassG", patientMassG);
  return sPhantom * (phantomMassG / patientMassG);
}

/** One source region's contribution to {@link organAbsorbedDoseLu177}. */
export interface SourceTia {
  source: Lu177SourceOrgan;
  /** Time-integrated activity in the source (MBq·h), ≥ 0. */
  tiaMBqH: number;
}

/** Result of {@link organAbsorbedDoseLu177}. */
export interface OrganDoseResult {
  target: Lu177TargetOrgan;
  doseGy: number;
  doseMGy: number;
  /** Per-source contributions; `sMGyPerMBqH` is after mass scaling where applied. */
  contributions: {
    source: Lu177SourceOrgan;
    tiaMBqH: number;
    sMGyPerMBqH: number;
    doseMGy: number;
    massScaled: boolean;
  }[];
}

/**
 * MIRD organ absorbed dose with the bundled 177Lu S-values:
 * `D(r_T) = Σ_S Ã(r_S)·S(r_T ← r_S)`; the self term (source = target) is mass-scaled
 * linearly when `patientTargetMassG` is given (§4.2); cross terms are not scaled.
 *
 * Source: reference/dosimetry.md §1 (MIRD equation), §4.1–4.2, Example D1.
 *
 * @param sex phantom sex
 * @param target target organ
 * @param sources source regions with Ã (MBq·h)
 * @param patientTargetMassG optional patient target-organ mass (g), > 0
 * @throws RangeError for an empty `sources`, unknown organ keys, negative Ã or mass ≤ 0
 *   (messages name `sources[i].tiaMBqH` etc.).
 */
export function organAbsorbedDoseLu177(
  sex: PhantomSex,
  target: Lu177TargetOrgan,
  sources: readonly SourceTia[],
  patientTargetMassG?: number,
): OrganDoseResult {
  if (!Array.isArray(sources) || sources.length === 0) {
    throw new RangeError(
      `sources must contain ≥ 1 source region, got ${Array.isArray(sources) ? 0 : String(sources)}`,
    );
  }
  if (patientTargetMassG !== undefined) requirePositive("patientTargetMassG", patientTargetMassG);
  const contributions = sources.map((s, i) => {
    requireNonNegative(`sources[${i}].tiaMBqH`, s.tiaMBqH);
    const sv = lu177SValue(sex, target, s.source);
    const self = (s.source as string) === (target as string);
    const massScaled = self && patientTargetMassG !== undefined;
    const sH = massScaled
      ? massScaledSelfS(sv.mGyPerMBqH, sv.targetPhantomMassG, patientTargetMassG as number)
      : sv.mGyPerMBqH;
    return {
      source: s.source,
      tiaMBqH: s.tiaMBqH,
      sMGyPerMBqH: sH,
      doseMGy: s.tiaMBqH * sH,
      massScaled,
    };
  });
  const doseMGy = contributions.reduce((a, c) => a + c.doseMGy, 0);
  return { target, doseGy: doseMGy / 1000, doseMGy, contributions };
}

/**
 * Absorbed dose from one TIA and one S-value: `D[Gy] = Ã[MBq·h] × S[mGy/(MBq·h)] / 1000`.
 *
 * Source: reference/dosimetry.md §1 (MIRD equation, single source).
 * @param tiaMBqH Ã (MBq·h), ≥ 0
 * @param sMGyPerMBqH S (mGy/(MBq·h)), ≥ 0
 * @throws TypeError / RangeError naming the parameter.
 */
export function absorbedDoseGy(tiaMBqH: number, sMGyPerMBqH: number): number {
  requireNonNegative("tiaMBqH", tiaMBqH);
  requireNonNegative("sMGyPerMBqH", sMGyPerMBqH);
  return (tiaMBqH * sMGyPerMBqH) / 1000;
}

/** Result of {@link sphereLocalDepositionS}. */
export interface SphereS {
  /** S = φ·K/m in mGy/(MBq·h). */
  sMGyPerMBqH: number;
  /** Warning when m < `smallMassWarningG` (φ < 1, partial volume; §4.3). */
  warning: string | null;
}

/**
 * Tumour sphere S-value by local deposition: `S_sphere(m) = φ·K/m` (mGy/(MBq·h)), φ = 1
 * (all electron energy absorbed, photons neglected). Below ~1 g φ < 1: result flagged.
 *
 * Source: reference/dosimetry.md §4.3 (table: 10 g → 8.531, 20 g → 4.265 mGy/(MBq·h)).
 *
 * @param massG sphere mass (g), > 0 (1 mL ≈ 1 g)
 * @param meanEnergyPerDecayMeV electron energy per decay (MeV), default 177Lu 0.1479
 * @param smallMassWarningG mass below which a warning is attached (g), default 1 (§4.3)
 * @throws RangeError if `massG` ≤ 0 or energy ≤ 0.
 */
export function sphereLocalDepositionS(
  massG: number,
  meanEnergyPerDecayMeV: number = LU177_MEAN_ELECTRON_ENERGY_MEV,
  smallMassWarningG = 1,
): SphereS {
  requirePositive("massG", massG);
  const k = localDepositionConstant(meanEnergyPerDecayMeV);
  return {
    sMGyPerMBqH: k / (massG / 1000),
    warning:
      massG < smallMassWarningG
        ? `massG = ${massG} g < ${smallMassWarningG} g: φ < 1 and SPECT partial-volume losses dominate; use sphere-model tables or voxel dosimetry (dosimetry.md §4.3)`
        : null,
  };
}

/**
 * Tumour (or any region) absorbed dose by local deposition:
 * `D[Gy] = K·Ã/m`, K in mGy·kg/(MBq·h) (177Lu 0.085306), Ã in MBq·h, m in kg.
 *
 * Source: reference/dosimetry.md §1, §4.3, Example D5.
 * @param tiaMBqH Ã (MBq·h), ≥ 0
 * @param massG mass (g), > 0
 * @param meanEnergyPerDecayMeV default 177Lu 0.1479 MeV
 * @throws RangeError / TypeError naming the parameter.
 */
export function localDepositionDoseGy(
  tiaMBqH: number,
  massG: number,
  meanEnergyPerDecayMeV: number = LU177_MEAN_ELECTRON_ENERGY_MEV,
): number {
  requireNonNegative("tiaMBqH", tiaMBqH);
  return (tiaMBqH * sphereLocalDepositionS(massG, meanEnergyPerDecayMeV).sMGyPerMBqH) / 1000;
}

/** Inputs of {@link redMarrowSelfDoseFromBlood}. */
export interface MarrowFromBloodInput {
  /** Blood TIA concentration [Ã]_blood = ∫C_blood dt (MBq·h/mL), ≥ 0. */
  bloodTiaConcentrationMBqHPerMl: number;
  /** Red-marrow-to-blood concentration ratio; default 1 for 177Lu-DOTATATE (Forrer 2009, §5). */
  rmblr?: number;
  /** Red-marrow mass (g), > 0; ICRP 89 reference 1170 g (male) / 900 g (female), §5. */
  redMarrowMassG: number;
  /** Cross-dose from organs, tumours and remainder (mGy), ≥ 0; default 0 (add separately, §5). */
  crossDoseMGy?: number;
  /** Electron energy per decay (MeV), default 177Lu 0.1479. */
  meanEnergyPerDecayMeV?: number;
}

/** Result of {@link redMarrowSelfDoseFromBlood}. */
export interface MarrowFromBloodResult {
  /** Ã_RM = [Ã]_blood·RMBLR·m_RM (MBq·h; blood density ≈ 1 g/mL). */
  tiaRedMarrowMBqH: number;
  /** Self-dose K·Ã_RM/m_RM (mGy). */
  selfDoseMGy: number;
  /** Self + cross (mGy). */
  totalDoseMGy: number;
  totalDoseGy: number;
}

/**
 * Red-marrow dose from blood samples (Sgouros blood-based method):
 * `Ã_RM = [Ã]_blood·RMBLR·m_RM`, `D_RM,self = K·Ã_RM/m_RM` (local deposition), plus an
 * optional externally computed cross-dose.
 *
 * Source: reference/dosimetry.md §5 and Example D8 (Sgouros G, J Nucl Med 1993;34:689–694;
 * RMBLR = 1 for 177Lu-DOTATATE, Forrer F et al., EJNMMI 2009).
 *
 * @throws RangeError / TypeError naming the field (e.g. `redMarrowMassG must be > 0, got 0`).
 */
export function redMarrowSelfDoseFromBlood(input: MarrowFromBloodInput): MarrowFromBloodResult {
  const c = requireNonNegative(
    "bloodTiaConcentrationMBqHPerMl",
    input.bloodTiaConcentrationMBqHPerMl,
  );
  const rmblr = requireNonNegative("rmblr", input.rmblr ?? 1);
  const m = requirePositive("redMarrowMassG", input.redMarrowMassG);
  const cross = requireNonNegative("crossDoseMGy", input.crossDoseMGy ?? 0);
  const k = localDepositionConstant(input.meanEnergyPerDecayMeV ?? LU177_MEAN_ELECTRON_ENERGY_MEV);
  const tia = c * rmblr * m;
  const self = (k * tia) / (m / 1000);
  requireFinite("selfDoseMGy", self);
  return {
    tiaRedMarrowMBqH: tia,
    selfDoseMGy: self,
    totalDoseMGy: self + cross,
    totalDoseGy: (self + cross) / 1000,
  };
}
