"use client";

import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { TextField } from "@/components/Field";
import { ErrorSummary, FormActions, FormPanel } from "@/components/FormParts";
import { PatientCloseDocument } from "@/graphql/generated";
import { FormReader, useForm } from "@/lib/forms";
import type { ChartPatient, OnSaved } from "./types";

/** Closes the case (the record is kept); a reason is required. */
export function PatientCloseForm({ patient, onSaved, onClose }: { patient: ChartPatient; onSaved: OnSaved; onClose: () => void }) {
  const form = useForm();
  const [editedVersion] = useState(patient.version);
  const [close] = useMutation(PatientCloseDocument);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const input = { id: patient.id, version: editedVersion, reason: r.requiredText("reason", "Reason") };
    const ok = await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      const res = await close({ variables: { input } });
      return res.data?.patientClose.userErrors ?? [];
    });
    if (ok) {
      await onSaved();
      onClose();
    }
  }
  return (
    <FormPanel title="Close this case">
      <form onSubmit={onSubmit} noValidate aria-label="Close case">
        <ErrorSummary errors={form.errors} onReload={() => void onSaved()} />
        <TextField name="reason" label="Reason (no names)" required error={form.errors.fields.reason} />
        <FormActions submitting={form.submitting} submitLabel="Close case" onCancel={onClose} />
      </form>
    </FormPanel>
  );
}
