"use client";

import { useMutation, useQuery } from "@apollo/client/react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { StatusBadge } from "@/components/Badge";
import { SelectField, TextField, enumOptions } from "@/components/Field";
import { ErrorSummary, FormActions, FormPanel } from "@/components/FormParts";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import {
  BoardAgendaReorderDocument,
  BoardCaseAddDocument,
  BoardCaseRemoveDocument,
  BoardMeetingCancelDocument,
  BoardMeetingCloseDocument,
  BoardMeetingDocument,
  BoardMeetingStartDocument,
  BoardPatientSearchDocument,
  type BoardQuestion,
} from "@/graphql/generated";
import { FormReader, useForm } from "@/lib/forms";
import { formatDateTime, humanize, patientName } from "@/lib/format";
import { useCan } from "@/lib/viewer";
import { CasePanel } from "./CasePanel";
import { MeetingForm } from "./MeetingForm";

const QUESTIONS: BoardQuestion[] = ["ELIGIBILITY", "CONTINUE_OR_MODIFY", "RESPONSE", "RETREATMENT", "OTHER"];

function AddCaseForm({ meetingId, onSaved, onClose }: { meetingId: string; onSaved: () => Promise<unknown>; onClose: () => void }) {
  const form = useForm();
  const [search, setSearch] = useState("");
  const found = useQuery(BoardPatientSearchDocument, { variables: { search }, skip: search.trim().length < 2 });
  const [add] = useMutation(BoardCaseAddDocument);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const input = { meetingId, patientId: r.requiredText("patientId", "Patient"), question: r.requiredText("question", "Question") as BoardQuestion, questionText: r.text("questionText") ?? null };
    const ok = await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      return (await add({ variables: { input } })).data?.boardCaseAdd.userErrors ?? [];
    });
    if (ok) await onSaved();
  }
  const patients = found.data?.patients.edges.map((e) => e.node) ?? [];
  return (
    <FormPanel title="Add a case to the agenda">
      <form onSubmit={onSubmit} noValidate aria-label="Add a case">
        <ErrorSummary errors={form.errors} />
        <div className="form-grid">
          <TextField name="patientSearch" label="Find patient (name or MRN)" value={search} onChange={(e) => setSearch(e.target.value)} autoComplete="off" />
          <SelectField
            name="patientId"
            label="Patient"
            required
            placeholder={search.trim().length < 2 ? "Type 2+ characters to search" : found.loading ? "Searching…" : `${patients.length} found`}
            options={patients.map((p) => ({ value: p.id, label: `${patientName(p)} · ${p.mrn}` }))}
            error={form.errors.fields.patientId}
          />
          <SelectField name="question" label="Question" required placeholder="Choose…" options={enumOptions(QUESTIONS)} error={form.errors.fields.question} />
          <TextField name="questionText" label="Question details" error={form.errors.fields.questionText} hint="Required for Other." />
        </div>
        <FormActions submitting={form.submitting} submitLabel="Add case" onCancel={onClose} />
      </form>
    </FormPanel>
  );
}

/** Meeting page: details, lifecycle actions, the agenda (ordering before the meeting) and the selected case. */
export function MeetingPage({ id }: { id: string }) {
  const can = useCan();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const { data, loading, error, refetch } = useQuery(BoardMeetingDocument, { variables: { id }, fetchPolicy: "cache-and-network" });
  const [start] = useMutation(BoardMeetingStartDocument);
  const [close] = useMutation(BoardMeetingCloseDocument);
  const [cancel] = useMutation(BoardMeetingCancelDocument);
  const [remove] = useMutation(BoardCaseRemoveDocument);
  const [reorder] = useMutation(BoardAgendaReorderDocument);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  if (error) return <ErrorState error={error} onRetry={() => void refetch()} />;
  const m = data?.node?.__typename === "BoardMeeting" ? data.node : null;
  if (!m) return loading ? <Loading /> : <EmptyState title="Meeting not found" />;
  const selected = params.get("case") ?? m.cases[0]?.id ?? null;
  const manage = can("board:manage");
  const scheduled = m.status === "SCHEDULED";
  const report = (errors: readonly { message: string }[] | undefined) => setProblem(errors?.length ? errors.map((e) => e.message).join("; ") : null);
  const select = (caseId: string) => router.replace(`${pathname}?case=${encodeURIComponent(caseId)}`);
  const move = async (index: number, delta: number) => {
    const ids = m.cases.map((c) => c.id);
    const [item] = ids.splice(index, 1);
    ids.splice(index + delta, 0, item!);
    const r = await reorder({ variables: { input: { meetingId: m.id, caseIds: ids } } });
    report(r.data?.boardAgendaReorder.userErrors);
    await refetch();
  };
  return (
    <div className="stack">
      <p>
        <Link href="/boards">← All meetings</Link>
      </p>
      <div className="row">
        <h1>{m.title}</h1>
        <StatusBadge value={m.status} />
        <span className="spacer" />
        {m.cases.length ? (
          <Link className="btn" href={`/boards/${encodeURIComponent(m.id)}/present${selected ? `?case=${encodeURIComponent(selected)}` : ""}`}>
            Presentation mode
          </Link>
        ) : null}
        {manage && (scheduled || m.status === "IN_PROGRESS") && !editing ? (
          <button type="button" className="btn" onClick={() => setEditing(true)}>
            Edit meeting
          </button>
        ) : null}
        {manage && scheduled ? (
          <button type="button" className="btn btn-primary" onClick={async () => { report((await start({ variables: { input: { id: m.id, version: m.version } } })).data?.boardMeetingStart.userErrors); await refetch(); }}>
            Start meeting
          </button>
        ) : null}
        {manage && m.status === "IN_PROGRESS" ? (
          <button type="button" className="btn" onClick={async () => { report((await close({ variables: { input: { id: m.id, version: m.version } } })).data?.boardMeetingClose.userErrors); await refetch(); }}>
            Close meeting
          </button>
        ) : null}
        {manage && scheduled ? (
          <button
            type="button"
            className="btn"
            onClick={async () => {
              const reason = window.prompt("Reason for cancelling the meeting");
              if (!reason) return;
              report((await cancel({ variables: { input: { id: m.id, version: m.version, reason } } })).data?.boardMeetingCancel.userErrors);
              await refetch();
            }}
          >
            Cancel meeting
          </button>
        ) : null}
      </div>
      {editing ? (
        <MeetingForm
          key={m.version}
          meeting={m}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            void refetch();
          }}
        />
      ) : null}
      <dl className="kv">
        <dt>When</dt>
        <dd>{formatDateTime(m.scheduledAt)}</dd>
        <dt>Where</dt>
        <dd>{m.location ?? "—"}</dd>
        <dt>Chair</dt>
        <dd>
          {m.chair.displayName}
          {m.viewerIsChair ? " (you)" : ""}
        </dd>
        <dt>Attendees</dt>
        <dd>{m.attendees.length ? m.attendees.map((a) => a.displayName).join(", ") : "—"}</dd>
        {m.cancelReason ? (
          <>
            <dt>Cancelled</dt>
            <dd>{m.cancelReason}</dd>
          </>
        ) : null}
      </dl>
      {problem ? (
        <p className="alert alert-error" role="alert">
          {problem}
        </p>
      ) : null}
      <section className="card" aria-label="Agenda">
        <div className="row">
          <h2>Agenda</h2>
          <span className="spacer" />
          {manage && scheduled && !adding ? (
            <button type="button" className="btn btn-small" onClick={() => setAdding(true)}>
              Add case
            </button>
          ) : null}
        </div>
        {adding ? (
          <AddCaseForm
            meetingId={m.id}
            onClose={() => setAdding(false)}
            onSaved={async () => {
              setAdding(false);
              await refetch();
            }}
          />
        ) : null}
        {m.cases.length === 0 ? <EmptyState title="No cases on the agenda yet" /> : null}
        {m.cases.length ? (
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Patient</th>
                <th scope="col">Question</th>
                <th scope="col">One-pager</th>
                <th scope="col">Decision</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {m.cases.map((c, i) => (
                <tr key={c.id} aria-current={c.id === selected ? "true" : undefined}>
                  <td>{c.position}</td>
                  <td>
                    <button type="button" className="link-button" onClick={() => select(c.id)}>
                      {patientName(c.patient)}
                    </button>{" "}
                    <span className="muted nowrap">{c.patient.mrn}</span>
                  </td>
                  <td>
                    {humanize(c.question)}
                    {c.questionText ? <span className="muted"> — {c.questionText}</span> : null}
                  </td>
                  <td>{c.snapshot ? <span className="badge badge-ok">Frozen</span> : <span className="badge badge-neutral">Live</span>}</td>
                  <td>{c.currentDecision ? <span className={`badge badge-${c.currentDecision.status === "SIGNED" ? "ok" : "warn"}`}>{humanize(c.currentDecision.outcome)} · {humanize(c.currentDecision.status)}</span> : "—"}</td>
                  <td className="nowrap">
                    {manage && scheduled ? (
                      <>
                        <button type="button" className="btn btn-small" disabled={i === 0} onClick={() => void move(i, -1)} aria-label={`Move case ${c.position} up`}>
                          ↑
                        </button>
                        <button type="button" className="btn btn-small" disabled={i === m.cases.length - 1} onClick={() => void move(i, 1)} aria-label={`Move case ${c.position} down`}>
                          ↓
                        </button>
                        <button
                          type="button"
                          className="btn btn-small"
                          onClick={async () => {
                            report((await remove({ variables: { input: { id: c.id, version: c.version } } })).data?.boardCaseRemove.userErrors);
                            await refetch();
                          }}
                        >
                          Remove<span className="sr-only"> case {c.position}</span>
                        </button>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      {selected ? <CasePanel key={selected} caseId={selected} onChanged={() => void refetch()} /> : null}
    </div>
  );
}
