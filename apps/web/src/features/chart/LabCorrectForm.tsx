"use client";

import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { SelectField, TextField } from "@/components/Field";
import { ErrorSummary, FormActions, FormPanel } from "@/components/FormParts";
import { LabAnalytesDocument, LabResultCorrectDocument } from "@/graphql/generated";
import { FormReader, useForm } from "@/lib/forms";
import { humanize, toDateTimeLocal } from "@/lib/format";
import type { ChartLab, OnSaved } from "./types";

/** Corrects a lab result (history is kept by the API); a reason is required. */
export function LabCorrectForm({ lab, onSaved, onClose }: { lab: ChartLab; onSaved: OnSaved; onClose: () => void }) {
  const form = useForm();
  const [editedVersion] = useState(lab.version);
  const catalogue = useQuery(LabAnalytesDocument);
  const [correct] = useMutation(LabResultCorrectDocument);
  const units = catalogue.data?.labAnalytes.find((a) => a.analyte === lab.analyte)?.acceptedUnits ?? [lab.reportedUnit];
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const input = {
      id: lab.id,
      version: editedVersion,
      value: r.requiredNumber("value", "Value"),
      unit: r.requiredText("unit", "Unit"),
      sampledAt: r.dateTime("sampledAt", "Sampled at", false) ?? null,
      reason: r.requiredText("reason", "Reason"),
    };
    const ok = await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      const res = await correct({ variables: { input } });
      return res.data?.labResultCorrect.userErrors ?? [];
    });
    if (ok) {
      await onSaved();
      onClose();
    }
  }
  const err = form.errors.fields;
  return (
    <FormPanel title={`Correct ${humanize(lab.analyte)} result`}>
      <form onSubmit={onSubmit} noValidate aria-label="Correct lab result">
        <ErrorSummary errors={form.errors} onReload={() => void onSaved()} />
        <div className="form-grid">
          <TextField name="value" label="Value" inputMode="decimal" required defaultValue={lab.reportedValue} error={err.value} />
          <SelectField name="unit" label="Unit" required key={units.length} options={units.map((u) => ({ value: u, label: u }))} defaultValue={lab.reportedUnit} error={err.unit} />
          <TextField name="sampledAt" label="Sampled at" type="datetime-local" defaultValue={toDateTimeLocal(lab.sampledAt)} error={err.sampledAt} />
          <TextField name="reason" label="Reason for correction (no names)" required error={err.reason} />
        </div>
        <FormActions submitting={form.submitting} submitLabel="Save correction" onCancel={onClose} />
      </form>
    </FormPanel>
  );
}
