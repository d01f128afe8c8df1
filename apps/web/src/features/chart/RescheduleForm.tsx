"use client";

import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { SelectField, TextField } from "@/components/Field";
import { ErrorSummary, FormActions, FormPanel } from "@/components/FormParts";
import { TherapyCycleUpdateDocument, type CycleStatus } from "@/graphql/generated";
import { FormReader, useForm } from "@/lib/forms";
import { humanize } from "@/lib/format";
import type { ChartCycle, OnSaved } from "./types";

const STATUSES: CycleStatus[] = ["PLANNED", "READY", "DELAYED", "CANCELLED"];

/** Reschedule a cycle or set its go / delay / cancel status. */
export function RescheduleForm({ cycle, onSaved, onClose }: { cycle: ChartCycle; onSaved: OnSaved; onClose: () => void }) {
  const form = useForm();
  const [editedVersion] = useState(cycle.version);
  const [update] = useMutation(TherapyCycleUpdateDocument);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const input = {
      id: cycle.id,
      version: editedVersion,
      plannedDate: r.requiredText("plannedDate", "Planned date"),
      status: r.requiredText("status", "Status") as CycleStatus,
      notes: r.text("notes") ?? null,
    };
    const ok = await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      const res = await update({ variables: { input } });
      return res.data?.therapyCycleUpdate.userErrors ?? [];
    });
    if (ok) {
      await onSaved();
      onClose();
    }
  }
  const err = form.errors.fields;
  return (
    <FormPanel title={`Reschedule or set status — cycle ${cycle.number}`}>
      <form onSubmit={onSubmit} noValidate>
        <ErrorSummary errors={form.errors} onReload={() => void onSaved()} />
        <div className="form-grid">
          <TextField name="plannedDate" label="Planned date" type="date" required defaultValue={cycle.plannedDate} error={err.plannedDate} />
          <SelectField
            name="status"
            label="Status"
            required
            options={STATUSES.map((s) => ({ value: s, label: humanize(s) }))}
            defaultValue={cycle.status === "ADMINISTERED" ? "PLANNED" : cycle.status}
            error={err.status}
          />
          <TextField name="notes" label="Notes (no names)" defaultValue={cycle.notes ?? undefined} error={err.notes} />
        </div>
        <FormActions submitting={form.submitting} submitLabel="Save cycle" onCancel={onClose} />
      </form>
    </FormPanel>
  );
}
