"use client";

import { useMutation } from "@apollo/client/react";
import { CheckboxField, SelectField, TextField } from "@/components/Field";
import { ErrorSummary, FormActions, FormPanel } from "@/components/FormParts";
import { SeriesQaOverrideSetDocument, type DicomSeriesFieldsFragment } from "@/graphql/generated";
import { FormReader, useForm } from "@/lib/forms";
import { fromDicomDateTime, toDicomDateTime } from "./format";

type Current = {
  PatientWeight?: number;
  PatientSize?: number;
  RadionuclideTotalDose?: number;
  RadionuclideHalfLife?: number;
  RadiopharmaceuticalStartDateTime?: string;
  Units?: string;
  ReferenceDateTime?: string;
  calibrationFactorCpsPerMBq?: number;
};

const str = (v: number | undefined) => (v === undefined ? undefined : String(v));

/** seriesQaOverrideSet: values replace the header's for QA and the SUV factor (DICOM is never rewritten). */
export function OverrideForm({ series, onClose, onSaved }: { series: DicomSeriesFieldsFragment; onClose: () => void; onSaved: (notice: string) => Promise<void> }) {
  const form = useForm();
  const [save] = useMutation(SeriesQaOverrideSetDocument);
  const cur = (series.qaOverride?.overrides ?? {}) as Current;
  const err = form.errors.fields;

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const clear = r.checked("clear");
    const dt = (name: string, label: string) => {
      const v = r.text(name);
      if (v === undefined) return null;
      const d = toDicomDateTime(v);
      if (!d) r.fail(name, `${label} is not a valid date and time`);
      return d;
    };
    const input = {
      seriesId: series.id,
      version: series.qaOverride?.version ?? null,
      reason: r.requiredText("reason", "Reason"),
      ...(clear
        ? { clear: true }
        : {
            weightKg: r.number("weightKg", "Weight") ?? null,
            heightM: r.number("heightM", "Height") ?? null,
            injectedActivityMBq: r.number("injectedActivityMBq", "Injected activity") ?? null,
            injectionDateTime: dt("injectionDateTime", "Injection time"),
            referenceDateTime: dt("referenceDateTime", "Reference time"),
            halfLifeS: r.number("halfLifeS", "Half-life") ?? null,
            units: r.text("units") ?? null,
            calibrationFactorCpsPerMBq: r.number("calibrationFactorCpsPerMBq", "SPECT calibration factor") ?? null,
          }),
    };
    let reruns = 0;
    const ok = await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      const res = await save({ variables: { input } });
      reruns = res.data?.seriesQaOverrideSet.rerunJobs.length ?? 0;
      return res.data?.seriesQaOverrideSet.userErrors ?? [];
    });
    if (ok) {
      await onSaved(
        reruns > 0 ? `QA override saved; ${reruns} quantification job${reruns === 1 ? "" : "s"} re-queued.` : "QA override saved.",
      );
    }
  }

  return (
    <FormPanel title="QA override">
      <form onSubmit={onSubmit} noValidate aria-label="QA override">
        <ErrorSummary errors={form.errors} onReload={onClose} />
        <p className="muted">
          Leave a field empty to use the DICOM header value. Saving re-derives QA and the SUV factor, rescales accepted measurements
          and re-runs quantification.
        </p>
        <div className="form-grid">
          <TextField name="weightKg" label="Weight (kg)" inputMode="decimal" defaultValue={str(cur.PatientWeight)} error={err.weightKg} />
          <TextField name="heightM" label="Height (m)" inputMode="decimal" defaultValue={str(cur.PatientSize)} error={err.heightM} />
          <TextField
            name="injectedActivityMBq"
            label="Injected activity (MBq)"
            inputMode="decimal"
            defaultValue={cur.RadionuclideTotalDose !== undefined ? String(cur.RadionuclideTotalDose / 1e6) : undefined}
            error={err.injectedActivityMBq}
          />
          <TextField
            name="injectionDateTime"
            label="Injection time (scanner local time)"
            type="datetime-local"
            step={1}
            defaultValue={fromDicomDateTime(cur.RadiopharmaceuticalStartDateTime)}
            error={err.injectionDateTime}
          />
          <TextField
            name="referenceDateTime"
            label="Decay reference time (scanner local time)"
            type="datetime-local"
            step={1}
            defaultValue={fromDicomDateTime(cur.ReferenceDateTime)}
            error={err.referenceDateTime}
          />
          <TextField name="halfLifeS" label="Half-life (s)" inputMode="decimal" defaultValue={str(cur.RadionuclideHalfLife)} error={err.halfLifeS} />
          <SelectField
            name="units"
            label="Units"
            placeholder="As in the header"
            options={[
              { value: "BQML", label: "BQML (Bq/mL)" },
              { value: "CNTS", label: "CNTS (counts)" },
              { value: "GML", label: "GML (SUV)" },
            ]}
            defaultValue={cur.Units ?? ""}
            error={err.units}
          />
          <TextField
            name="calibrationFactorCpsPerMBq"
            label="SPECT calibration factor (cps/MBq)"
            inputMode="decimal"
            defaultValue={str(cur.calibrationFactorCpsPerMBq)}
            error={err.calibrationFactorCpsPerMBq}
          />
          {series.qaOverride ? <CheckboxField name="clear" label="Withdraw every override (back to the header values)" error={err.clear} /> : null}
          <TextField name="reason" label="Reason (no names)" required autoComplete="off" error={err.reason} />
        </div>
        <FormActions submitting={form.submitting} submitLabel="Save override" onCancel={onClose} />
      </form>
    </FormPanel>
  );
}
