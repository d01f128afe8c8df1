"use client";

import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { CheckboxField, TextField } from "@/components/Field";
import { ErrorSummary, FormActions, FormPanel } from "@/components/FormParts";
import { CycleRecordAdministrationDocument } from "@/graphql/generated";
import { FormReader, useForm } from "@/lib/forms";
import { computePreview, previewHalfLifeS, type Preview } from "@/lib/administration";
import { formatNumber } from "@/lib/format";
import type { ChartCourse, ChartCycle, OnSaved } from "./types";

export function AdministrationForm({
  course,
  cycle,
  onSaved,
  onClose,
}: {
  course: ChartCourse;
  cycle: ChartCycle;
  onSaved: OnSaved;
  onClose: () => void;
}) {
  const form = useForm();
  const [editedVersion] = useState(cycle.version);
  const [preview, setPreview] = useState<Preview>(null);
  const [record] = useMutation(CycleRecordAdministrationDocument);
  const t12 = previewHalfLifeS(course);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const input = {
      id: cycle.id,
      version: editedVersion,
      calibratedActivityMBq: r.requiredNumber("calibratedActivityMBq", "Calibrated activity"),
      calibrationTime: r.dateTime("calibrationTime", "Calibration time", true) ?? "",
      residualActivityMBq: r.requiredNumber("residualActivityMBq", "Residual activity"),
      residualTime: r.dateTime("residualTime", "Residue measured at", true) ?? "",
      infusionStart: r.dateTime("infusionStart", "Infusion start", true) ?? "",
      infusionEnd: r.dateTime("infusionEnd", "Infusion end", true) ?? "",
      aminoAcidInfusion: r.checked("aminoAcidInfusion"),
      lastLongActingSsaDate: r.text("lastLongActingSsaDate") ?? null,
      lot: r.requiredText("lot", "Lot number"),
      notes: r.text("notes") ?? null,
    };
    const ok = await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      const res = await record({ variables: { input } });
      return res.data?.cycleRecordAdministration.userErrors ?? [];
    });
    if (ok) {
      await onSaved();
      onClose();
    }
  }

  const err = form.errors.fields;
  return (
    <FormPanel title={`Record administration — cycle ${cycle.number}`}>
      <form
       
        onSubmit={onSubmit}
        onInput={(e) => setPreview(computePreview(new FormData(e.currentTarget), t12))}
        noValidate
        aria-label={`Record administration of cycle ${cycle.number}`}
      >
        <ErrorSummary errors={form.errors} onReload={() => void onSaved()} />
        <p className="muted">
          {course.radiopharmaceutical.name} ({course.radiopharmaceutical.nuclide}, T½ {formatNumber(t12 / 86400, 3)} d) · planned{" "}
          {formatNumber(course.plannedActivityMBq, 0)} MBq
        </p>
        <div className="form-grid">
          <TextField name="calibratedActivityMBq" label="Calibrated activity (MBq)" inputMode="decimal" required error={err.calibratedActivityMBq} />
          <TextField name="calibrationTime" label="Calibration time" type="datetime-local" required error={err.calibrationTime} />
          <TextField name="infusionStart" label="Infusion start" type="datetime-local" required error={err.infusionStart} />
          <TextField name="infusionEnd" label="Infusion end" type="datetime-local" required error={err.infusionEnd} />
          <TextField name="residualActivityMBq" label="Residual activity (MBq)" inputMode="decimal" required error={err.residualActivityMBq} />
          <TextField name="residualTime" label="Residue measured at" type="datetime-local" required error={err.residualTime} />
          <TextField name="lot" label="Lot number" required error={err.lot} autoComplete="off" />
          <TextField name="lastLongActingSsaDate" label="Last long-acting SSA" type="date" error={err.lastLongActingSsaDate} />
          <TextField name="notes" label="Notes (no names)" error={err.notes} />
        </div>
        <CheckboxField name="aminoAcidInfusion" label="Amino-acid infusion given" defaultChecked error={err.aminoAcidInfusion} />
        <div className="live-result" aria-live="polite" data-testid="net-activity">
          {preview === null ? (
            <span className="muted">Net administered activity appears here as you type the activities and times.</span>
          ) : preview.ok ? (
            <>
              Net administered activity at infusion start: <strong>{formatNumber(preview.result.netMBq, 1)} MBq</strong>{" "}
              <span className="muted">
                (gross {formatNumber(preview.result.grossAtAdministrationMBq, 1)} MBq − residue{" "}
                {formatNumber(preview.result.residualAtAdministrationMBq, 1)} MBq, decay-corrected)
              </span>
            </>
          ) : (
            <span className="field-error">Cannot compute: {preview.message}</span>
          )}
        </div>
        <FormActions submitting={form.submitting} submitLabel="Record administration" onCancel={onClose} />
      </form>
    </FormPanel>
  );
}
