"use client";

import { useMutation, useQuery } from "@apollo/client/react";
import Link from "next/link";
import { useState } from "react";
import { TextField } from "@/components/Field";
import { ErrorSummary, FormActions, FormPanel } from "@/components/FormParts";
import { ErrorState, Loading } from "@/components/States";
import {
  BoardCaseDocument,
  BoardCaseFreezeDocument,
  BoardDecisionApplyToCourseDocument,
  BoardDecisionSignDocument,
  BoardDecisionStartCourseDocument,
  type BoardDecisionFieldsFragment,
} from "@/graphql/generated";
import { FormReader, useForm } from "@/lib/forms";
import { formatDateTime, humanize } from "@/lib/format";
import { useCan } from "@/lib/viewer";
import { DecisionForm, type DecisionMode } from "./DecisionForm";
import { OnePagerView } from "./OnePagerView";
import { decisionSummary } from "./summary";
import { asOnePager } from "./types";

function StartCourseForm({ decision, onDone, onClose }: { decision: BoardDecisionFieldsFragment; onDone: () => Promise<unknown>; onClose: () => void }) {
  const form = useForm();
  const [start] = useMutation(BoardDecisionStartCourseDocument);
  const withTemplate = !!decision.regimen?.protocolTemplate;
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const input = withTemplate ? { decisionId: decision.id, firstAdministrationAt: r.requiredText("firstAdministrationAt", "First administration") } : { decisionId: decision.id, firstCycleDate: r.requiredText("firstCycleDate", "First cycle date") };
    const ok = await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      return (await start({ variables: { input } })).data?.boardDecisionStartCourse.userErrors ?? [];
    });
    if (ok) await onDone();
  }
  return (
    <FormPanel title="Start the course from this decision">
      <form onSubmit={onSubmit} noValidate aria-label="Start the course">
        <ErrorSummary errors={form.errors} />
        <p className="muted">Pre-filled from the decision: {decisionSummary(decision)}.</p>
        {withTemplate ? (
          <TextField name="firstAdministrationAt" label="First administration (site time)" type="datetime-local" required error={form.errors.fields.firstAdministrationAt} />
        ) : (
          <TextField name="firstCycleDate" label="First cycle date" type="date" required error={form.errors.fields.firstCycleDate} />
        )}
        <FormActions submitting={form.submitting} submitLabel="Start course" onCancel={onClose} />
      </form>
    </FormPanel>
  );
}

type CurrentCourse = { id: string; version: number; status: string; plannedActivityMBq: number };
const isRunningCourse = (c: CurrentCourse | null | undefined): c is CurrentCourse => !!c && (c.status === "PLANNED" || c.status === "ACTIVE");
/** A MODIFY_ACTIVITY decision whose activity the running course already has. */
const activityApplied = (d: BoardDecisionFieldsFragment, c: CurrentCourse | null | undefined) =>
  d.outcome === "MODIFY_ACTIVITY" && !!c && d.newActivityGBq !== null && d.newActivityGBq !== undefined && Math.round(d.newActivityGBq * 1000) === Math.round(c.plannedActivityMBq);

/** Confirms applying a signed STOP / MODIFY_ACTIVITY decision to the patient's running course. */
function ApplyToCourseForm({ decision, course, onDone, onClose }: { decision: BoardDecisionFieldsFragment; course: CurrentCourse; onDone: () => Promise<unknown>; onClose: () => void }) {
  const form = useForm();
  const [apply] = useMutation(BoardDecisionApplyToCourseDocument);
  const what =
    decision.outcome === "STOP"
      ? "Stop the course: its open cycles and care events are cancelled, the stop reason cites this decision."
      : `Set the planned activity per cycle from ${(course.plannedActivityMBq / 1000).toFixed(2)} to ${decision.newActivityGBq?.toFixed(2) ?? "?"} GBq.`;
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const ok = await form.submit(e.currentTarget, async () =>
      (await apply({ variables: { input: { decisionId: decision.id, courseId: course.id, courseVersion: course.version } } })).data?.boardDecisionApplyToCourse.userErrors ?? [],
    );
    if (ok) await onDone();
  }
  return (
    <FormPanel title="Apply the decision to the course">
      <form onSubmit={onSubmit} noValidate aria-label="Apply the decision to the course">
        <ErrorSummary errors={form.errors} />
        <p>{what}</p>
        <FormActions submitting={form.submitting} submitLabel={decision.outcome === "STOP" ? "Stop the course" : "Update the course"} onCancel={onClose} />
      </form>
    </FormPanel>
  );
}

/** One agenda case: the one-pager (frozen vs live), freeze, PDF, the decision chain with sign / amend / start course. */
export function CasePanel({ caseId, onChanged }: { caseId: string; onChanged: () => void }) {
  const can = useCan();
  const { data, loading, error, refetch } = useQuery(BoardCaseDocument, { variables: { id: caseId }, fetchPolicy: "cache-and-network" });
  const [freeze, freezeState] = useMutation(BoardCaseFreezeDocument);
  const [sign, signState] = useMutation(BoardDecisionSignDocument);
  const [view, setView] = useState<"snapshot" | "live">("snapshot");
  const [editing, setEditing] = useState<DecisionMode | null>(null);
  const [starting, setStarting] = useState<string | null>(null);
  const [applying, setApplying] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  if (error) return <ErrorState error={error} onRetry={() => void refetch()} />;
  const c = data?.node?.__typename === "BoardCase" ? data.node : null;
  if (!c) return loading ? <Loading /> : <ErrorState error={new Error("Case not found")} />;
  const running = c.meeting.status === "IN_PROGRESS";
  const shown = c.snapshot && view === "snapshot" ? c.snapshot.content : c.livePager.content;
  const refresh = async () => {
    setEditing(null);
    setStarting(null);
    await refetch();
    onChanged();
  };
  const onFreeze = async () => {
    const r = await freeze({ variables: { input: { caseId: c.id } } });
    const ue = r.data?.boardCaseFreeze.userErrors ?? [];
    setMessage(ue.length ? ue.map((x) => x.message).join("; ") : "One-pager frozen: this is what the board saw.");
    await refresh();
  };
  const onSign = async (d: BoardDecisionFieldsFragment) => {
    const r = await sign({ variables: { input: { id: d.id, version: d.version } } });
    const ue = r.data?.boardDecisionSign.userErrors ?? [];
    setMessage(ue.length ? ue.map((x) => x.message).join("; ") : "Decision signed.");
    await refresh();
  };
  const latestId = c.currentDecision?.id ?? null;
  return (
    <section className="stack" aria-label={`Case ${c.position}`} data-testid="case-panel">
      <div className="row">
        <h2>
          {c.position}. {humanize(c.question)}
          {c.questionText ? <span className="muted"> — {c.questionText}</span> : null}
        </h2>
        <span className="spacer" />
        <Link className="btn btn-small" href={`/patients/${encodeURIComponent(c.patient.id)}`}>
          Open chart
        </Link>
        <a className="btn btn-small" href={c.pdfPath} download data-testid="pdf-link">
          Download PDF{c.snapshot ? " (snapshot)" : " (live)"}
        </a>
      </div>
      {message ? (
        <p className="alert alert-info" role="status">
          {message}
        </p>
      ) : null}
      <div className="row">
        {c.snapshot ? (
          <>
            <span className="badge badge-ok" data-testid="snapshot-badge">
              Frozen {formatDateTime(c.snapshot.frozenAt)} by {c.snapshot.frozenBy.displayName}
            </span>
            {c.liveChangedSinceSnapshot ? (
              <span className="badge badge-warn" role="status" data-testid="live-changed">
                Live data changed since the snapshot
              </span>
            ) : (
              <span className="badge badge-neutral">Live data unchanged</span>
            )}
            <div role="group" aria-label="Which one-pager">
              <button type="button" className="btn btn-small" aria-pressed={view === "snapshot"} onClick={() => setView("snapshot")}>
                What the board saw
              </button>
              <button type="button" className="btn btn-small" aria-pressed={view === "live"} onClick={() => setView("live")}>
                Live now
              </button>
            </div>
          </>
        ) : (
          <>
            <span className="badge badge-warn">Live — not frozen</span>
            {running && can("board:decide") ? (
              <button type="button" className="btn btn-primary btn-small" onClick={() => void onFreeze()} disabled={freezeState.loading}>
                Freeze one-pager
              </button>
            ) : null}
          </>
        )}
      </div>

      <section aria-label="Decision" className="card">
        <h3>Decision</h3>
        {c.decisions.length === 0 ? <p className="muted">No decision recorded yet.</p> : null}
        <ol className="stack">
          {c.decisions.map((d) => (
            <li key={d.id} data-testid="decision">
              <p>
                {d.amends ? <span className="badge badge-info">Amendment</span> : null} <strong>{decisionSummary(d)}</strong>{" "}
                <span className={`badge badge-${d.status === "SIGNED" ? "ok" : "warn"}`}>{humanize(d.status)}</span>
                {d.amendedBy ? <span className="badge badge-neutral">Amended</span> : null}
              </p>
              <p>{d.rationale}</p>
              <p className="muted">
                Recorded by {d.recordedBy.displayName} {formatDateTime(d.recordedAt)}
                {d.signedAt ? ` · signed by ${d.signedBy?.displayName ?? ""} ${formatDateTime(d.signedAt)} · sha256 ${d.contentHash?.slice(0, 16)}…` : ""}
                {d.course ? (
                  <>
                    {" · "}
                    <Link href={`/patients/${encodeURIComponent(c.patient.id)}?tab=courses`}>course started</Link>
                  </>
                ) : null}
              </p>
              <div className="row">
                {d.status === "DRAFT" && can("board:decide") ? (
                  <button type="button" className="btn btn-small" onClick={() => setEditing({ kind: "update", decision: d })}>
                    Edit draft
                  </button>
                ) : null}
                {d.status === "DRAFT" && c.meeting.viewerIsChair ? (
                  <button type="button" className="btn btn-primary btn-small" onClick={() => void onSign(d)} disabled={signState.loading}>
                    Sign as chair
                  </button>
                ) : null}
                {d.status === "DRAFT" && !c.meeting.viewerIsChair ? <span className="muted">Awaiting the chair&apos;s signature ({c.meeting.chair.displayName}).</span> : null}
                {d.status === "SIGNED" && d.id === latestId && can("board:decide") ? (
                  <button type="button" className="btn btn-small" onClick={() => setEditing({ kind: "amend", decision: d })}>
                    Amend
                  </button>
                ) : null}
                {d.status === "SIGNED" && d.id === latestId && !d.course && (d.outcome === "START_PRRT" || d.outcome === "RETREATMENT") && can("course:write") ? (
                  <button type="button" className="btn btn-small" onClick={() => setStarting(d.id)}>
                    Start course from decision
                  </button>
                ) : null}
              </div>
              {d.status === "SIGNED" && d.id === latestId && (d.outcome === "STOP" || d.outcome === "MODIFY_ACTIVITY") && can("course:write") && isRunningCourse(c.patient.currentCourse) && !activityApplied(d, c.patient.currentCourse) && applying !== d.id ? (
                <button type="button" className="btn btn-small" onClick={() => setApplying(d.id)}>
                  Apply to course
                </button>
              ) : null}
              {d.status === "SIGNED" && activityApplied(d, c.patient.currentCourse) ? (
                <p className="muted" data-testid="decision-applied">
                  Applied: the running course plans {d.newActivityGBq?.toFixed(2)} GBq per cycle.
                </p>
              ) : null}
              {starting === d.id ? <StartCourseForm decision={d} onDone={refresh} onClose={() => setStarting(null)} /> : null}
              {applying === d.id && c.patient.currentCourse ? (
                <ApplyToCourseForm
                  decision={d}
                  course={c.patient.currentCourse}
                  onDone={async () => {
                    setApplying(null);
                    await refresh();
                  }}
                  onClose={() => setApplying(null)}
                />
              ) : null}
            </li>
          ))}
        </ol>
        {c.decisions.length === 0 && c.snapshot && running && can("board:decide") && !editing ? (
          <button type="button" className="btn btn-primary" onClick={() => setEditing({ kind: "record", caseId: c.id })}>
            Record decision
          </button>
        ) : null}
        {c.decisions.length === 0 && !c.snapshot && running ? <p className="muted">Freeze the one-pager before recording the decision.</p> : null}
        {editing ? <DecisionForm mode={editing} onSaved={refresh} onClose={() => setEditing(null)} /> : null}
      </section>

      <OnePagerView pager={asOnePager(shown)} />
      <p className="muted">
        {c.snapshot && view === "snapshot" ? `Snapshot sha256 ${c.snapshot.contentHash}` : `Live, generated ${formatDateTime(c.livePager.generatedAt)} · sha256 ${c.livePager.contentHash}`}
      </p>
    </section>
  );
}
