"use client";

import { useMutation, useQuery } from "@apollo/client/react";
import { SelectField, TextField, enumOptions } from "@/components/Field";
import { ErrorSummary, FormActions, FormPanel } from "@/components/FormParts";
import { RadiopharmaceuticalsDocument, TherapyCourseCreateDocument, type CourseIntent } from "@/graphql/generated";
import { FormReader, useForm } from "@/lib/forms";
import { addDaysIso, todayIso } from "@/lib/format";
import type { OnSaved } from "./types";

const INTENTS: CourseIntent[] = ["STANDARD", "DOSIMETRY_GUIDED", "RETREATMENT", "CLINICAL_TRIAL"];

/** New course; agents from `radiopharmaceuticals(use: THERAPY)`. Defaults: 4 × 7400 MBq q56d (prrt-protocols.md §1). */
export function CourseForm({ patientId, onSaved, onClose }: { patientId: string; onSaved: OnSaved; onClose: () => void }) {
  const form = useForm();
  const agents = useQuery(RadiopharmaceuticalsDocument, { variables: { use: "THERAPY" } });
  const [create] = useMutation(TherapyCourseCreateDocument);
  const options = (agents.data?.radiopharmaceuticals ?? [])
    .filter((a) => a.active)
    .map((a) => ({ value: a.id, label: `${a.name} (${a.nuclide})${a.emerging ? " — emerging, trials only" : ""}` }));

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const input = {
      patientId,
      radiopharmaceuticalId: r.requiredText("radiopharmaceuticalId", "Agent"),
      intent: r.requiredText("intent", "Intent") as CourseIntent,
      plannedCycles: r.integer("plannedCycles", "Planned cycles"),
      plannedActivityMBq: r.requiredNumber("plannedActivityMBq", "Planned activity per cycle"),
      intervalDays: r.integer("intervalDays", "Interval"),
      firstCycleDate: r.requiredText("firstCycleDate", "First cycle date"),
    };
    const ok = await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      const res = await create({ variables: { input } });
      return res.data?.therapyCourseCreate.userErrors ?? [];
    });
    if (ok) {
      await onSaved();
      onClose();
    }
  }
  const err = form.errors.fields;
  return (
    <FormPanel title="Plan a therapy course">
      <form onSubmit={onSubmit} noValidate>
        <ErrorSummary errors={form.errors} />
        <div className="form-grid">
          <SelectField
            name="radiopharmaceuticalId"
            label="Agent"
            required
            placeholder={agents.loading ? "Loading…" : "Choose…"}
            options={options}
            defaultValue={options.length === 1 ? options[0]!.value : ""}
            key={options.length}
            error={err.radiopharmaceuticalId}
          />
          <SelectField name="intent" label="Intent" required options={enumOptions(INTENTS)} defaultValue="STANDARD" error={err.intent} />
          <TextField name="plannedCycles" label="Planned cycles" inputMode="numeric" required defaultValue="4" error={err.plannedCycles} />
          <TextField name="plannedActivityMBq" label="Activity per cycle (MBq)" inputMode="decimal" required defaultValue="7400" error={err.plannedActivityMBq} />
          <TextField name="intervalDays" label="Interval (days)" inputMode="numeric" required defaultValue="56" error={err.intervalDays} />
          <TextField name="firstCycleDate" label="First cycle date" type="date" required defaultValue={addDaysIso(todayIso(), 14)} error={err.firstCycleDate} />
        </div>
        <FormActions submitting={form.submitting} submitLabel="Plan course" onCancel={onClose} />
      </form>
    </FormPanel>
  );
}
