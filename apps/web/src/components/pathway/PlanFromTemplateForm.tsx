"use client";

import { useMutation, useQuery } from "@apollo/client/react";
import { SelectField, TextField, enumOptions } from "@/components/Field";
import { ErrorSummary, FormActions, FormPanel } from "@/components/FormParts";
import {
  PathwayCourseCreateDocument,
  PathwayProtocolTemplatesDocument,
  RadiopharmaceuticalsDocument,
  type CourseIntent,
} from "@/graphql/generated";
import { FormReader, useForm } from "@/lib/forms";
import { addDaysIso, todayIso } from "@/lib/format";

const INTENTS: CourseIntent[] = ["STANDARD", "DOSIMETRY_GUIDED", "RETREATMENT", "CLINICAL_TRIAL"];

/** Plans a course from a protocol template version: cycles and care events come from the template. */
export function PlanFromTemplateForm({
  patientId,
  onSaved,
  onClose,
}: {
  patientId: string;
  onSaved: () => Promise<unknown> | void;
  onClose: () => void;
}) {
  const form = useForm();
  const templates = useQuery(PathwayProtocolTemplatesDocument);
  const agents = useQuery(RadiopharmaceuticalsDocument, { variables: { use: "THERAPY" } });
  const [create] = useMutation(PathwayCourseCreateDocument);
  const tOptions = (templates.data?.protocolTemplates ?? []).map((t) => ({
    value: t.id,
    label: `${t.name} v${t.templateVersion} — ${t.cycles} × ${t.activityPerCycleGBq} GBq q${t.intervalDays}d${t.shipped ? "" : " (site)"}`,
  }));
  const aOptions = (agents.data?.radiopharmaceuticals ?? [])
    .filter((a) => a.active)
    .map((a) => ({ value: a.id, label: `${a.name} (${a.nuclide})` }));
  const firstTemplate =
    templates.data?.protocolTemplates.find((t) => t.key === "lu177-dotatate-standard") ??
    templates.data?.protocolTemplates[0];
  const defaultAgent =
    aOptions.find((a) => firstTemplate && a.label.startsWith(firstTemplate.agent))?.value ??
    (aOptions.length === 1 ? aOptions[0]!.value : "");

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const first = r.requiredText("firstAdministrationAt", "First administration");
    const input = {
      patientId,
      protocolTemplateId: r.requiredText("protocolTemplateId", "Protocol template"),
      radiopharmaceuticalId: r.requiredText("radiopharmaceuticalId", "Agent"),
      intent: r.requiredText("intent", "Intent") as CourseIntent,
      firstAdministrationAt: first,
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
    <FormPanel title="Plan a course from a protocol template">
      <form onSubmit={onSubmit} noValidate aria-label="Plan a course from a protocol template">
        <ErrorSummary errors={form.errors} />
        <div className="form-grid" key={`${tOptions.length}:${aOptions.length}`}>
          <SelectField
            name="protocolTemplateId"
            label="Protocol template"
            required
            placeholder={templates.loading ? "Loading…" : "Choose…"}
            options={tOptions}
            defaultValue={firstTemplate?.id ?? ""}
            error={err.protocolTemplateId}
          />
          <SelectField
            name="radiopharmaceuticalId"
            label="Agent"
            required
            placeholder={agents.loading ? "Loading…" : "Choose…"}
            options={aOptions}
            defaultValue={defaultAgent}
            error={err.radiopharmaceuticalId}
          />
          <SelectField
            name="intent"
            label="Intent"
            required
            options={enumOptions(INTENTS)}
            defaultValue="STANDARD"
            error={err.intent}
          />
          <TextField
            name="firstAdministrationAt"
            label="First administration (site local time)"
            type="datetime-local"
            required
            defaultValue={`${addDaysIso(todayIso(), 14)}T09:00`}
            error={err.firstAdministrationAt}
          />
        </div>
        <FormActions
          submitting={form.submitting}
          submitLabel="Plan course from template"
          onCancel={onClose}
        />
      </form>
    </FormPanel>
  );
}
