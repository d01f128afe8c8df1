"use client";

import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { SelectField, TextField } from "@/components/Field";
import { ErrorSummary, FormActions, FormPanel } from "@/components/FormParts";
import { TherapyCourseUpdateDocument, type CourseStatus } from "@/graphql/generated";
import { FormReader, useForm } from "@/lib/forms";
import { humanize } from "@/lib/format";
import type { ChartCourse, OnSaved } from "./types";

const STATUSES: CourseStatus[] = ["PLANNED", "ACTIVE", "COMPLETED", "STOPPED"];

/** Course status, planned activity per cycle, and the reason when stopping. */
export function CourseUpdateForm({ course, onSaved, onClose }: { course: ChartCourse; onSaved: OnSaved; onClose: () => void }) {
  const form = useForm();
  const [editedVersion] = useState(course.version);
  const [update] = useMutation(TherapyCourseUpdateDocument);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const input = {
      id: course.id,
      version: editedVersion,
      status: r.requiredText("status", "Status") as CourseStatus,
      plannedActivityMBq: r.requiredNumber("plannedActivityMBq", "Activity per cycle"),
      stopReason: r.text("stopReason") ?? null,
    };
    if (input.status === "STOPPED" && !input.stopReason) r.fail("stopReason", "Give the reason for stopping the course");
    const ok = await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      const res = await update({ variables: { input } });
      return res.data?.therapyCourseUpdate.userErrors ?? [];
    });
    if (ok) {
      await onSaved();
      onClose();
    }
  }
  const err = form.errors.fields;
  return (
    <FormPanel title="Update course">
      <form onSubmit={onSubmit} noValidate aria-label="Update course">
        <ErrorSummary errors={form.errors} onReload={() => void onSaved()} />
        <div className="form-grid">
          <SelectField name="status" label="Status" required options={STATUSES.map((s) => ({ value: s, label: humanize(s) }))} defaultValue={course.status} error={err.status} />
          <TextField name="plannedActivityMBq" label="Activity per cycle (MBq)" inputMode="decimal" required defaultValue={course.plannedActivityMBq} error={err.plannedActivityMBq} />
          <TextField name="stopReason" label="Stop reason (no names)" defaultValue={course.stopReason ?? undefined} error={err.stopReason} />
        </div>
        <FormActions submitting={form.submitting} submitLabel="Save course" onCancel={onClose} />
      </form>
    </FormPanel>
  );
}
