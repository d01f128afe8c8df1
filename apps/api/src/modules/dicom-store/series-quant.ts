import { runPetQa, type PetInstanceMetadata, type PetQaOverrides } from "@lutetia/dicom";
import { computeSuvFactors, spectSuvbwFactor } from "@lutetia/quantification";

/**
 * Derivation of a series' QA findings and SUV factor from its stored header values and the QA
 * overrides in force. Pure (no I/O): the ingest and the override service store its result,
 * and every derived number records the inputs it used.
 */
export interface SeriesDerivation {
  qa: {
    findings: { code: string; severity: string; message: string; attribute: string; value: unknown }[];
    blocking: boolean;
    overridesApplied: { key: string; value: number | string; headerValue: unknown }[];
    nuclide: string | null;
    halfLifeS: number | null;
    referenceDateTime: string | null;
    referenceTimeSource: string | null;
    injectionDateTime: string | null;
    decayTimeS: number | null;
    instanceCount: number;
  };
  suv: {
    ok: boolean;
    /** SUVbw per rescaled pixel unit: SUVbw = (stored × slope + intercept) × factor (SPECT: includes the counts → Bq/mL conversion). */
    factor: number | null;
    /** For per-instance factors (Philips CNTS), keyed by SOP Instance UID. */
    perInstance: Record<string, number> | null;
    method: string | null;
    /** Bq/mL per rescaled pixel unit (SPECT counts conversion; 1 for BQML). */
    activityConcentrationPerUnit: number | null;
    sulJames: number | null;
    sulJanma: number | null;
    decayS: number | null;
    inputs: Record<string, unknown> | null;
    reasons: { code: string; message: string; attribute: string; value: unknown }[];
    warnings: { code: string; message: string; attribute: string; value: unknown }[];
    /** Overrides in force when this factor was derived (the stored QA override row and version). */
    overrides: PetQaOverrides | null;
    overrideVersion: number | null;
    derivedAt: string;
  };
}

function dtToIso(dt: string | undefined): string | null {
  if (!dt) return null;
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(\.\d+)?/.exec(dt);
  if (!m) return null;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? "00"}${m[7] ?? ""}Z`;
}

/**
 * Runs the QA gate with overrides on the series' instances, then the SUV factor on the effective
 * (overridden, normalised) metadata: PET via computeSuvFactors (QIBA decision tree, cross-checked
 * against calculate-suv), quantitative SPECT (NM, Units CNTS) via spectSuvbwFactor with the
 * calibration-factor override. The factor is not produced when the QA gate blocks.
 */
export function deriveSeries(
  instances: PetInstanceMetadata[],
  overrides: PetQaOverrides | null,
  overrideVersion: number | null,
  spect?: { voxelVolumeMl: number | null },
): SeriesDerivation {
  const qa = runPetQa(instances, { overrides: overrides ?? {} });
  const derivedAt = new Date().toISOString();
  const qaOut: SeriesDerivation["qa"] = {
    findings: qa.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message, attribute: f.attribute, value: f.value })),
    blocking: qa.blocking,
    overridesApplied: qa.overridesApplied.map((o) => ({ key: o.key, value: o.value, headerValue: o.headerValue })),
    nuclide: qa.nuclide?.nuclide ?? null,
    halfLifeS: qa.halfLifeS ?? null,
    referenceDateTime: qa.referenceDateTime ?? null,
    referenceTimeSource: qa.referenceTimeSource ?? null,
    injectionDateTime: qa.injectionDateTime ?? null,
    decayTimeS: qa.decayTimeS ?? null,
    instanceCount: instances.length,
  };
  const base = { overrides, overrideVersion, derivedAt };
  const refused = (code: string, message: string): SeriesDerivation["suv"] => ({
    ok: false, factor: null, perInstance: null, method: null, activityConcentrationPerUnit: null, sulJames: null, sulJanma: null, decayS: null, inputs: null,
    reasons: [{ code, message, attribute: "QA gate", value: null }], warnings: [], ...base,
  });
  if (qa.blocking) {
    const blocking = qa.findings.filter((f) => f.severity === "BLOCKING").map((f) => f.code);
    return { qa: qaOut, suv: refused("QA_BLOCKING", `QA gate blocks quantitative use: ${blocking.join(", ")}`) };
  }
  const first = qa.effective[0];
  const modality = first?.Modality;
  const units = first?.Units?.toUpperCase();
  if (modality === "NM" && units === "CNTS") {
    const cf = overrides?.calibrationFactorCpsPerMBq;
    const durationS = (first?.ActualFrameDuration ?? 0) / 1000;
    const inj = dtToIso(qa.injectionDateTime);
    const acq = dtToIso(qa.referenceDateTime);
    if (!cf || !inj || !acq || !first?.PatientWeight || !first.RadionuclideTotalDose || !qa.halfLifeS || !spect?.voxelVolumeMl || durationS <= 0) {
      return { qa: qaOut, suv: refused("SPECT_INPUTS_MISSING", "quantitative SPECT needs calibration factor, frame duration, weight, dose, injection and acquisition times and voxel geometry") };
    }
    try {
      const f = spectSuvbwFactor({
        administeredMBq: first.RadionuclideTotalDose / 1e6,
        administrationTime: inj,
        acquisitionStartTime: acq,
        acquisitionDurationS: durationS,
        halfLifeS: qa.halfLifeS,
        weightKg: first.PatientWeight,
      });
      const perUnit = 1e6 / (durationS * cf * spect.voxelVolumeMl);
      return {
        qa: qaOut,
        suv: {
          ok: true, factor: f.suvbw * perUnit, perInstance: null, method: "SPECT_CALIBRATED", activityConcentrationPerUnit: perUnit, sulJames: null, sulJanma: null, decayS: f.decayS,
          inputs: { units: "CNTS", suvbwPerBqPerMl: f.suvbw, calibrationFactorCpsPerMBq: cf, acquisitionDurationS: durationS, voxelVolumeMl: spect.voxelVolumeMl, weightKg: first.PatientWeight, injectedDoseBq: first.RadionuclideTotalDose, halfLifeS: qa.halfLifeS, injectionTime: inj, acquisitionTime: acq },
          reasons: [], warnings: [], ...base,
        },
      };
    } catch (e) {
      return { qa: qaOut, suv: refused("SPECT_INPUT_INVALID", e instanceof Error ? e.message : String(e)) };
    }
  }
  const r = computeSuvFactors(qa.effective);
  const reasonsOf = (xs: readonly { code: string; message: string; attribute: string; value: unknown }[]) => xs.map((x) => ({ code: x.code, message: x.message, attribute: x.attribute, value: x.value }));
  if (!r.ok) {
    return {
      qa: qaOut,
      suv: { ok: false, factor: null, perInstance: null, method: null, activityConcentrationPerUnit: r.activityConcentrationPerUnit, sulJames: null, sulJanma: null, decayS: null, inputs: null, reasons: reasonsOf(r.reasons), warnings: reasonsOf(r.warnings), ...base },
    };
  }
  const uniform = r.suvbwPerInstance.every((f) => Math.abs(f - r.suvbw) <= 1e-12 * Math.abs(r.suvbw));
  const perInstance = uniform
    ? null
    : Object.fromEntries(qa.effective.map((m, i) => [m.SOPInstanceUID ?? String(i), r.suvbwPerInstance[i] ?? r.suvbw]));
  return {
    qa: qaOut,
    suv: {
      ok: true, factor: r.suvbw, perInstance, method: r.method, activityConcentrationPerUnit: r.activityConcentrationPerUnit, sulJames: r.sulJames ?? null, sulJanma: r.sulJanma ?? null, decayS: r.decayS,
      inputs: { ...r.inputs }, reasons: [], warnings: reasonsOf(r.warnings), ...base,
    },
  };
}
