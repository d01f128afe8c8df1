"use client";

import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { TextField } from "@/components/Field";
import { ErrorSummary, FormActions, FormPanel } from "@/components/FormParts";
import {
  PathwayCycleRescheduleDocument,
  type PathwayCycleRescheduleMutation,
} from "@/graphql/generated";
import { FormReader, useForm } from "@/lib/forms";
import { humanize } from "@/lib/format";
import { FlagList } from "./FlagList";
import { siteDateTime, siteInput } from "./zone";

type Result = PathwayCycleRescheduleMutation["cycleReschedule"];

/** Moves a cycle's administration (site wall-clock time); shows what moved and the constraint flags. */
export function CycleRescheduleForm({
  cycle,
  timeZone,
  onSaved,
  onClose,
}: {
  cycle: { id: string; number: number; version: number; scheduledAt?: string | null };
  timeZone: string;
  onSaved: () => Promise<unknown> | void;
  onClose: () => void;
}) {
  const form = useForm();
  const [result, setResult] = useState<Result | null>(null);
  const [reschedule] = useMutation(PathwayCycleRescheduleDocument);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const input = {
      id: cycle.id,
      version: cycle.version,
      administrationAt: r.requiredText("administrationAt", "New administration time"),
      reason: r.text("reason") ?? null,
    };
    let payload: Result | null = null;
    const ok = await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      const res = await reschedule({ variables: { input } });
      payload = res.data?.cycleReschedule ?? null;
      return payload?.userErrors ?? [];
    });
    if (ok && payload) {
      setResult(payload);
      await onSaved();
    }
  }
  const err = form.errors.fields;
  const title = `Reschedule cycle ${cycle.number}`;
  if (result) {
    return (
      <FormPanel title={`${title} — what moved`}>
        <div className="stack" data-testid="reschedule-result">
          {result.changes.length === 0 ? (
            <p>Nothing else moved.</p>
          ) : (
            <table aria-label="What moved">
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Change</th>
                  <th scope="col">From (site time)</th>
                  <th scope="col">To (site time)</th>
                  <th scope="col">Booking</th>
                </tr>
              </thead>
              <tbody>
                {result.changes.map((c) => (
                  <tr key={`${c.key}-${c.change}`}>
                    <td>
                      {humanize(c.kind)} <span className="muted">{c.key}</span>
                    </td>
                    <td>{humanize(c.change)}</td>
                    <td>{siteDateTime(c.fromDueAt, timeZone)}</td>
                    <td>{siteDateTime(c.toDueAt, timeZone)}</td>
                    <td>
                      {c.wasBooked ? (
                        <span className="badge badge-warn">booking kept at old time — rebook</span>
                      ) : (
                        "—"
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h4>Constraint flags</h4>
          <FlagList flags={result.flags} label="Constraint flags after reschedule" />
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
        </div>
      </FormPanel>
    );
  }
  return (
    <FormPanel title={title}>
      <form onSubmit={onSubmit} noValidate aria-label={title}>
        <ErrorSummary errors={form.errors} onReload={() => void onSaved()} />
        <div className="form-grid">
          <TextField
            name="administrationAt"
            label={`New administration time (${timeZone})`}
            type="datetime-local"
            required
            defaultValue={cycle.scheduledAt ? siteInput(cycle.scheduledAt, timeZone) : ""}
            error={err.administrationAt}
          />
          <TextField name="reason" label="Reason (no names)" error={err.reason} />
        </div>
        <FormActions
          submitting={form.submitting}
          submitLabel="Reschedule cycle"
          onCancel={onClose}
        />
      </form>
    </FormPanel>
  );
}
