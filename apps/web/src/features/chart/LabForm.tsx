"use client";

import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { SelectField, TextField } from "@/components/Field";
import { ErrorSummary, FormActions, FormPanel } from "@/components/FormParts";
import { LabAnalytesDocument, LabResultRecordDocument, type LabAnalyte } from "@/graphql/generated";
import { FormReader, useForm } from "@/lib/forms";
import { toDateTimeLocal } from "@/lib/format";
import type { OnSaved } from "./types";

/** One lab result; analyte and accepted units come from `labAnalytes`. Stays open for the next analyte. */
export function LabForm({ patientId, onSaved, onClose }: { patientId: string; onSaved: OnSaved; onClose: () => void }) {
  const form = useForm();
  const catalogue = useQuery(LabAnalytesDocument);
  const [record] = useMutation(LabResultRecordDocument);
  const [analyte, setAnalyte] = useState<string>("");
  const [saved, setSaved] = useState<string | null>(null);
  const analytes = catalogue.data?.labAnalytes ?? [];
  const info = analytes.find((a) => a.analyte === analyte);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const el = e.currentTarget;
    const r = new FormReader(new FormData(el));
    const input = {
      patientId,
      analyte: r.requiredText("analyte", "Analyte") as LabAnalyte,
      value: r.requiredNumber("value", "Value"),
      unit: r.requiredText("unit", "Unit"),
      sampledAt: r.dateTime("sampledAt", "Sampled at", true) ?? "",
    };
    const ok = await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      const res = await record({ variables: { input } });
      return res.data?.labResultRecord.userErrors ?? [];
    });
    if (ok) {
      setSaved(`${info?.label ?? input.analyte} ${input.value} ${input.unit} saved.`);
      const value = el.elements.namedItem("value");
      if (value instanceof HTMLInputElement) value.value = "";
      await onSaved();
      el.querySelector<HTMLSelectElement>("select[name=analyte]")?.focus();
    }
  }
  const err = form.errors.fields;
  return (
    <FormPanel title="Record lab results">
      <form onSubmit={onSubmit} noValidate aria-label="Record lab result">
        <ErrorSummary errors={form.errors} />
        {saved ? (
          <p className="alert alert-info" role="status">
            {saved} Enter the next result or close.
          </p>
        ) : null}
        <div className="form-grid">
          <SelectField
            name="analyte"
            label="Analyte"
            required
            placeholder={catalogue.loading ? "Loading…" : "Choose…"}
            options={analytes.map((a) => ({ value: a.analyte, label: a.label }))}
            value={analyte}
            onChange={(e) => setAnalyte(e.target.value)}
            error={err.analyte}
          />
          <TextField name="value" label="Value" inputMode="decimal" required error={err.value} />
          <SelectField
            name="unit"
            label="Unit"
            required
            key={analyte}
            options={(info?.acceptedUnits ?? []).map((u) => ({ value: u, label: u }))}
            defaultValue={info?.canonicalUnit}
            placeholder={info ? undefined : "Choose an analyte first"}
            error={err.unit}
          />
          <TextField name="sampledAt" label="Sampled at" type="datetime-local" required defaultValue={toDateTimeLocal(new Date())} error={err.sampledAt} />
        </div>
        <FormActions submitting={form.submitting} submitLabel="Save result" onCancel={onClose} />
      </form>
    </FormPanel>
  );
}
