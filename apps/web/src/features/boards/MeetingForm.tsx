"use client";

import { useMutation, useQuery } from "@apollo/client/react";
import { SelectField, TextField } from "@/components/Field";
import { ErrorSummary, FormActions, FormPanel } from "@/components/FormParts";
import { BoardMeetingCreateDocument, BoardPeopleDocument } from "@/graphql/generated";
import { FormReader, useForm } from "@/lib/forms";

/** Schedules a meeting: title, date-time, room, chair (board member or physician), attendees. */
export function MeetingForm({ onSaved, onClose }: { onSaved: (id: string) => void; onClose: () => void }) {
  const form = useForm();
  const people = useQuery(BoardPeopleDocument);
  const [create] = useMutation(BoardMeetingCreateDocument);
  const chairs = people.data?.boardPeople.chairs ?? [];
  const members = people.data?.boardPeople.members ?? [];

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const fd = new FormData(e.currentTarget);
    const r = new FormReader(fd);
    const input = {
      title: r.requiredText("title", "Title"),
      scheduledAt: r.dateTime("scheduledAt", "Date and time", true) ?? "",
      location: r.text("location") ?? null,
      chairId: r.requiredText("chairId", "Chair"),
      attendeeIds: fd.getAll("attendeeIds").map(String),
    };
    let id: string | null = null;
    const ok = await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      const res = await create({ variables: { input } });
      id = res.data?.boardMeetingCreate.meeting?.id ?? null;
      return res.data?.boardMeetingCreate.userErrors ?? [];
    });
    if (ok && id) onSaved(id);
  }
  const err = form.errors.fields;
  return (
    <FormPanel title="Schedule a meeting">
      <form onSubmit={onSubmit} noValidate aria-label="Schedule a meeting">
        <ErrorSummary errors={form.errors} />
        <div className="form-grid">
          <TextField name="title" label="Title" required defaultValue="NET tumour board" error={err.title} />
          <TextField name="scheduledAt" label="Date and time" type="datetime-local" required error={err.scheduledAt} />
          <TextField name="location" label="Room / link" error={err.location} />
          <SelectField
            name="chairId"
            label="Chair"
            required
            placeholder={people.loading ? "Loading…" : "Choose…"}
            options={chairs.map((u) => ({ value: u.id, label: u.displayName }))}
            error={err.chairId}
            hint="Board member or physician; only the chair signs decisions."
          />
        </div>
        <fieldset className="field">
          <legend>Attendees</legend>
          {members.map((u) => (
            <label key={u.id} className="field-check">
              <input type="checkbox" name="attendeeIds" value={u.id} /> {u.displayName}
            </label>
          ))}
          {err.attendeeIds ? <div className="field-error">{err.attendeeIds}</div> : null}
        </fieldset>
        <FormActions submitting={form.submitting} submitLabel="Schedule meeting" onCancel={onClose} />
      </form>
    </FormPanel>
  );
}
