"use client";

import { useMutation, useQuery } from "@apollo/client/react";
import { SelectField, TextField } from "@/components/Field";
import { ErrorSummary, FormActions, FormPanel } from "@/components/FormParts";
import { BoardMeetingCreateDocument, BoardMeetingUpdateDocument, BoardPeopleDocument } from "@/graphql/generated";
import { toDateTimeLocal } from "@/lib/format";
import { FormReader, useForm } from "@/lib/forms";

export interface EditableMeeting {
  id: string;
  version: number;
  title: string;
  scheduledAt: string;
  location?: string | null;
  chair: { id: string };
  attendees: { id: string }[];
}

/**
 * Schedules a meeting (or edits one before it ends): title, date-time, room, chair (board member
 * or physician of the site), attendees. Once started, the chair and the time are fixed (server rule).
 */
export function MeetingForm({ meeting, onSaved, onClose }: { meeting?: EditableMeeting; onSaved: (id: string) => void; onClose: () => void }) {
  const form = useForm();
  const people = useQuery(BoardPeopleDocument);
  const [create] = useMutation(BoardMeetingCreateDocument);
  const [update] = useMutation(BoardMeetingUpdateDocument);
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
      if (meeting) {
        // Only what changed: once the meeting has started the server refuses a new chair or time.
        const changedTime = fd.get("scheduledAt") !== toDateTimeLocal(meeting.scheduledAt);
        const changedChair = input.chairId !== meeting.chair.id;
        const res = await update({
          variables: {
            input: {
              id: meeting.id, version: meeting.version, title: input.title, location: input.location ?? "", attendeeIds: input.attendeeIds,
              ...(changedTime ? { scheduledAt: input.scheduledAt } : {}),
              ...(changedChair ? { chairId: input.chairId } : {}),
            },
          },
        });
        id = res.data?.boardMeetingUpdate.meeting?.id ?? null;
        return res.data?.boardMeetingUpdate.userErrors ?? [];
      }
      const res = await create({ variables: { input } });
      id = res.data?.boardMeetingCreate.meeting?.id ?? null;
      return res.data?.boardMeetingCreate.userErrors ?? [];
    });
    if (ok && id) onSaved(id);
  }
  const err = form.errors.fields;
  return (
    <FormPanel title={meeting ? "Edit meeting" : "Schedule a meeting"}>
      <form onSubmit={onSubmit} noValidate aria-label={meeting ? "Edit meeting" : "Schedule a meeting"}>
        <ErrorSummary errors={form.errors} />
        <div className="form-grid">
          <TextField name="title" label="Title" required defaultValue={meeting?.title ?? "NET tumour board"} error={err.title} />
          <TextField name="scheduledAt" label="Date and time" type="datetime-local" required defaultValue={meeting ? toDateTimeLocal(meeting.scheduledAt) : undefined} error={err.scheduledAt} />
          <TextField name="location" label="Room / link" defaultValue={meeting?.location ?? undefined} error={err.location} />
          <SelectField
            name="chairId"
            label="Chair"
            required
            placeholder={people.loading ? "Loading…" : "Choose…"}
            options={chairs.map((u) => ({ value: u.id, label: u.displayName }))}
            key={chairs.length}
            defaultValue={meeting?.chair.id}
            error={err.chairId}
            hint="Board member or physician; only the chair signs decisions."
          />
        </div>
        <fieldset className="field">
          <legend>Attendees</legend>
          {members.map((u) => (
            <label key={u.id} className="field-check">
              <input type="checkbox" name="attendeeIds" value={u.id} defaultChecked={meeting?.attendees.some((a) => a.id === u.id)} /> {u.displayName}
            </label>
          ))}
          {err.attendeeIds ? <div className="field-error">{err.attendeeIds}</div> : null}
        </fieldset>
        <FormActions submitting={form.submitting} submitLabel={meeting ? "Save meeting" : "Schedule meeting"} onCancel={onClose} />
      </form>
    </FormPanel>
  );
}
