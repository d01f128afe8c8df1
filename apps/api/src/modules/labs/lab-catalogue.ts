/**
 * The fixed lab analyte catalogue: canonical unit, accepted entry units with their conversion
 * to canonical, and a plausibility range (canonical units) that refuses typos.
 * Conversions: SCr mg/dL × 88.4 = µmol/L, albumin g/dL × 10 = g/L, 75 000/mm³ = 75 × 10⁹/L
 * (reference/prrt-protocols.md §Eligibility, "unit notes"); Hb mmol/L × 1.611 = g/dL (Hb
 * monomer 16 114 g/mol; reference pairs 8.0 g/dL with 5.0 mmol/L); bilirubin mg/dL × 17.1 =
 * µmol/L (bilirubin 584.7 g/mol); µkat/L × 60 = U/L (1 U = 1/60 µkat).
 */
export type Analyte =
  | "CREATININE"
  | "EGFR"
  | "CREATININE_CLEARANCE"
  | "HAEMOGLOBIN"
  | "WBC"
  | "NEUTROPHILS"
  | "LYMPHOCYTES"
  | "PLATELETS"
  | "BILIRUBIN"
  | "ALBUMIN"
  | "ALT"
  | "AST"
  | "CHROMOGRANIN_A";

export interface AnalyteInfo {
  analyte: Analyte;
  label: string;
  canonicalUnit: string;
  /** unit → factor to multiply by to get the canonical unit. */
  units: Readonly<Record<string, number>>;
  /** Plausible canonical range; outside is refused as a likely entry error. */
  plausible: readonly [number, number];
}

const COUNT = { "10^9/L": 1, "10^3/µL": 1, "/µL": 1e-3, "/mm³": 1e-3 } as const;

export const LAB_CATALOGUE: Readonly<Record<Analyte, AnalyteInfo>> = {
  CREATININE: { analyte: "CREATININE", label: "Creatinine", canonicalUnit: "µmol/L", units: { "µmol/L": 1, "umol/L": 1, "mg/dL": 88.4 }, plausible: [5, 3000] },
  EGFR: { analyte: "EGFR", label: "eGFR", canonicalUnit: "mL/min/1.73m²", units: { "mL/min/1.73m²": 1, "mL/min/1.73m2": 1 }, plausible: [1, 200] },
  CREATININE_CLEARANCE: { analyte: "CREATININE_CLEARANCE", label: "Creatinine clearance", canonicalUnit: "mL/min", units: { "mL/min": 1, "mL/s": 60 }, plausible: [1, 250] },
  HAEMOGLOBIN: { analyte: "HAEMOGLOBIN", label: "Haemoglobin", canonicalUnit: "g/dL", units: { "g/dL": 1, "g/L": 0.1, "mmol/L": 1.611 }, plausible: [2, 25] },
  WBC: { analyte: "WBC", label: "White blood cells", canonicalUnit: "10^9/L", units: COUNT, plausible: [0, 500] },
  NEUTROPHILS: { analyte: "NEUTROPHILS", label: "Neutrophils", canonicalUnit: "10^9/L", units: COUNT, plausible: [0, 300] },
  LYMPHOCYTES: { analyte: "LYMPHOCYTES", label: "Lymphocytes", canonicalUnit: "10^9/L", units: COUNT, plausible: [0, 300] },
  PLATELETS: { analyte: "PLATELETS", label: "Platelets", canonicalUnit: "10^9/L", units: COUNT, plausible: [0, 3000] },
  BILIRUBIN: { analyte: "BILIRUBIN", label: "Total bilirubin", canonicalUnit: "µmol/L", units: { "µmol/L": 1, "umol/L": 1, "mg/dL": 17.1 }, plausible: [0, 1000] },
  ALBUMIN: { analyte: "ALBUMIN", label: "Albumin", canonicalUnit: "g/L", units: { "g/L": 1, "g/dL": 10 }, plausible: [5, 70] },
  ALT: { analyte: "ALT", label: "ALT", canonicalUnit: "U/L", units: { "U/L": 1, "µkat/L": 60, "ukat/L": 60 }, plausible: [0, 20000] },
  AST: { analyte: "AST", label: "AST", canonicalUnit: "U/L", units: { "U/L": 1, "µkat/L": 60, "ukat/L": 60 }, plausible: [0, 20000] },
  CHROMOGRANIN_A: { analyte: "CHROMOGRANIN_A", label: "Chromogranin A", canonicalUnit: "µg/L", units: { "µg/L": 1, "ng/mL": 1 }, plausible: [0, 1_000_000] },
};

/**
 * Converts a reported value to the analyte's canonical unit.
 * @throws RangeError naming the unit when it is not accepted for the analyte, or naming the
 *   value when the converted value is outside the plausible range.
 */
export function toCanonical(analyte: Analyte, value: number, unit: string): { value: number; unit: string } {
  const info = LAB_CATALOGUE[analyte];
  const factor = info.units[unit];
  if (factor === undefined) {
    throw new RangeError(`unit ${JSON.stringify(unit)} is not accepted for ${analyte}; use one of ${Object.keys(info.units).join(", ")}`);
  }
  if (!Number.isFinite(value)) throw new RangeError(`value must be a finite number, got ${value}`);
  const canonical = value * factor;
  const [lo, hi] = info.plausible;
  if (canonical < lo || canonical > hi) {
    throw new RangeError(`value ${value} ${unit} (= ${+canonical.toPrecision(6)} ${info.canonicalUnit}) is outside the plausible range ${lo}–${hi} ${info.canonicalUnit} for ${analyte}`);
  }
  return { value: canonical, unit: info.canonicalUnit };
}
