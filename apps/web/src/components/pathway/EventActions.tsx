"use client";

import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { TextField } from "@/components/Field";
import { ErrorSummary, FormActions, FormPanel } from "@/components/FormParts";
import {
  PathwayEventCompleteDocument,
  PathwayEventSetStatusDocument,
  PathwayEventsBookDocument,
  type PathwayEventFieldsFragment,
  type PathwayFlagFieldsFragment,
} from "@/graphql/generated";
import { FormReader, useForm } from "@/lib/forms";
import { FlagList } from "./FlagList";
import { siteInput, siteLocalToInstant } from "./zone";

type Ev = PathwayEventFieldsFragment;
export type EventAction = "book" | "complete" | "MISSED" | "CANCELLED";

const TITLES: Record<EventAction, string> = {
  book: "Book",
  complete: "Complete",
  MISSED: "Mark missed",
  CANCELLED: "Cancel event",
};

/** Book (one or many, all or nothing), complete, mark missed or cancel care events. Times are site-zone wall-clock. */
export function EventActionForm({
  action,
  events,
  timeZone,
  onDone,
  onClose,
}: {
  action: EventAction;
  events: readonly Ev[];
  timeZone: string;
  onDone: () => Promise<unknown> | void;
  onClose: () => void;
}) {
  const form = useForm();
  const [flags, setFlags] = useState<readonly PathwayFlagFieldsFragment[] | null>(null);
  const [book] = useMutation(PathwayEventsBookDocument);
  const [complete] = useMutation(PathwayEventCompleteDocument);
  const [setStatus] = useMutation(PathwayEventSetStatusDocument);
  const first = events[0];
  const title = `${TITLES[action]} ${events.length === 1 && first ? `— ${first.label}${first.cycleNumber ? ` (cycle ${first.cycleNumber})` : ""}` : `${events.length} events`}`;

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const when = (name: string, label: string) => {
      const v = r.requiredText(name, label);
      const iso = v ? siteLocalToInstant(v, timeZone) : undefined;
      if (v && !iso) r.fail(name, `${label} is not a valid date and time`);
      return iso ?? "";
    };
    let newFlags: readonly PathwayFlagFieldsFragment[] | null = null;
    const ok = await form.submit(e.currentTarget, async () => {
      if (action === "book") {
        const bookedAt = when("bookedAt", "Booked time");
        const resource = r.text("resource") ?? null;
        if (r.problems.length) return r.problems;
        const res = await book({
          variables: {
            input: {
              items: events.map((ev) => ({ id: ev.id, version: ev.version, bookedAt, resource })),
            },
          },
        });
        const p = res.data?.careEventsBook;
        newFlags = p?.flags ?? null;
        return (p?.userErrors ?? []).map((u) => ({
          ...u,
          field: u.field.filter((f) => f !== "items" && !/^\d+$/.test(f)),
        }));
      }
      if (action === "complete") {
        const performedAt = when("performedAt", "Performed at");
        if (r.problems.length) return r.problems;
        const errs = [];
        for (const ev of events) {
          const res = await complete({
            variables: {
              input: {
                id: ev.id,
                version: ev.version,
                performedAt,
                notes: r.text("notes") ?? null,
              },
            },
          });
          errs.push(...(res.data?.careEventComplete.userErrors ?? []));
        }
        return errs;
      }
      const reason = r.requiredText("reason", "Reason");
      if (r.problems.length) return r.problems;
      const errs = [];
      for (const ev of events) {
        const res = await setStatus({
          variables: { input: { id: ev.id, version: ev.version, status: action, reason } },
        });
        errs.push(...(res.data?.careEventSetStatus.userErrors ?? []));
      }
      return errs;
    });
    if (ok) {
      const shown = newFlags as readonly PathwayFlagFieldsFragment[] | null;
      if (shown && shown.length > 0) setFlags(shown);
      else onClose();
      await onDone();
    }
  }
  const err = form.errors.fields;
  const defaultAt = first ? siteInput(first.bookedAt ?? first.dueAt, timeZone) : "";
  return (
    <FormPanel title={title}>
      {flags ? (
        <div className="stack">
          <p role="status">Booked. The schedule check returned these flags:</p>
          <FlagList flags={flags} />
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
        </div>
      ) : (
        <form onSubmit={onSubmit} noValidate aria-label={title}>
          <ErrorSummary errors={form.errors} onReload={() => void onDone()} />
          <div className="form-grid">
            {action === "book" ? (
              <>
                <TextField
                  name="bookedAt"
                  label={`Booked time (${timeZone})`}
                  type="datetime-local"
                  required
                  defaultValue={defaultAt}
                  error={err.bookedAt}
                />
                <TextField
                  name="resource"
                  label="Resource"
                  defaultValue={first?.resource ?? ""}
                  error={err.resource}
                  autoComplete="off"
                />
              </>
            ) : action === "complete" ? (
              <>
                <TextField
                  name="performedAt"
                  label={`Performed at (${timeZone})`}
                  type="datetime-local"
                  required
                  defaultValue={defaultAt}
                  error={err.performedAt}
                />
                <TextField name="notes" label="Notes (no names)" error={err.notes} />
              </>
            ) : (
              <TextField name="reason" label="Reason (no names)" required error={err.reason} />
            )}
          </div>
          <FormActions
            submitting={form.submitting}
            submitLabel={TITLES[action]}
            onCancel={onClose}
          />
        </form>
      )}
    </FormPanel>
  );
}
