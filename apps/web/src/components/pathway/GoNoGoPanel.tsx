"use client";

import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { SelectField, TextField } from "@/components/Field";
import { ErrorSummary, FormActions, FormPanel } from "@/components/FormParts";
import { ErrorState, Loading } from "@/components/States";
import {
  PathwayGoNoGoDocument,
  PathwayRecordDecisionDocument,
  type CycleDecisionAction,
} from "@/graphql/generated";
import { FormReader, useForm } from "@/lib/forms";
import { formatMBq, formatNumber, humanize } from "@/lib/format";
import { useViewer } from "@/lib/viewer";
import { siteDateTime } from "./zone";

const ACTION_TONE: Record<string, string> = {
  GO: "ok",
  DELAY: "warn",
  REDUCE: "warn",
  STOP: "bad",
};
const GRADE_TONE = (g: number) => (g >= 3 ? "bad" : g === 2 ? "warn" : g === 1 ? "info" : "ok");

/** Pre-cycle go/no-go: CTCAE grades of the latest labs, the advisory recommendation, and the physician's decision. */
export function GoNoGoPanel({
  cycle,
  timeZone,
  onSaved,
}: {
  cycle: { id: string; number: number };
  timeZone: string;
  onSaved: () => Promise<unknown> | void;
}) {
  const viewer = useViewer();
  const canDecide = viewer.permissions.includes("decision:write");
  const [run, setRun] = useState(false);
  const q = useQuery(PathwayGoNoGoDocument, {
    variables: { cycleId: cycle.id },
    fetchPolicy: "network-only",
    skip: !run,
  });
  const [deciding, setDeciding] = useState(false);
  const report = q.data?.cycleGoNoGo;
  const title = `Go/no-go — cycle ${cycle.number}`;
  return (
    <section className="card" aria-label={title}>
      <h3>{title}</h3>
      {!run ? (
        <button type="button" className="btn" onClick={() => setRun(true)}>
          Run go/no-go check<span className="sr-only"> for cycle {cycle.number}</span>
        </button>
      ) : q.error ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : !report ? (
        <Loading label="Checking labs…" />
      ) : (
        <div className="stack">
          <p data-testid="gonogo-recommendation">
            Recommendation:{" "}
            <span
              className={`badge badge-${ACTION_TONE[report.recommendation.action] ?? "neutral"}`}
            >
              {report.recommendation.action}
            </span>
            {report.recommendation.recommendedActivityGBq
              ? ` at ${formatNumber(report.recommendation.recommendedActivityGBq, 2)} GBq`
              : ""}{" "}
            <span className="muted">
              (advisory; planned {formatMBq(report.plannedActivityMBq)}; labs since{" "}
              {siteDateTime(report.labsSince, timeZone)})
            </span>
          </p>
          {report.recommendation.reasons.length ? (
            <ul aria-label="Reasons">
              {report.recommendation.reasons.map((r, i) => (
                <li key={i} title={r.source}>
                  {r.message}
                  {r.value ? ` (${r.value})` : ""} <span className="muted">— {r.source}</span>
                </li>
              ))}
            </ul>
          ) : null}
          {report.missing.length ? (
            <p className="alert alert-error">Missing: {report.missing.join(", ")}</p>
          ) : null}
          {report.grades.length ? (
            <table aria-label="CTCAE grades of the latest labs">
              <thead>
                <tr>
                  <th scope="col">Analyte</th>
                  <th scope="col">Value</th>
                  <th scope="col">CTCAE</th>
                  <th scope="col">Sampled (site time)</th>
                </tr>
              </thead>
              <tbody>
                {report.grades.map((g) => (
                  <tr key={g.analyte} title={g.source}>
                    <td>{humanize(g.analyte)}</td>
                    <td>
                      {formatNumber(g.value, 2)} {g.unit}
                    </td>
                    <td>
                      <span className={`badge badge-${GRADE_TONE(g.grade)}`} data-grade={g.grade}>
                        {g.term} grade {g.grade}
                      </span>
                    </td>
                    <td>{siteDateTime(g.sampledAt, timeZone)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">No graded labs since the previous administration.</p>
          )}
          <p data-testid="latest-decision">
            {report.latestDecision ? (
              <>
                Decision:{" "}
                <span
                  className={`badge badge-${ACTION_TONE[report.latestDecision.action] ?? "neutral"}`}
                >
                  {report.latestDecision.action}
                </span>
                {report.latestDecision.activityMBq
                  ? ` ${formatMBq(report.latestDecision.activityMBq)}`
                  : ""}{" "}
                — {report.latestDecision.reason}{" "}
                <span className="muted">
                  ({report.latestDecision.decidedBy.displayName},{" "}
                  {siteDateTime(report.latestDecision.decidedAt, timeZone)}
                  {report.latestDecision.override ? ", override at administration" : ""})
                </span>
              </>
            ) : (
              <span className="muted">No decision recorded yet.</span>
            )}
          </p>
          {canDecide && !deciding ? (
            <button type="button" className="btn" onClick={() => setDeciding(true)}>
              Record decision<span className="sr-only"> for cycle {cycle.number}</span>
            </button>
          ) : null}
          {canDecide && deciding ? (
            <DecisionForm
              cycleId={cycle.id}
              suggested={report.recommendation.action}
              onSaved={async () => {
                await q.refetch();
                await onSaved();
              }}
              onClose={() => setDeciding(false)}
            />
          ) : null}
        </div>
      )}
    </section>
  );
}

function DecisionForm({
  cycleId,
  suggested,
  onSaved,
  onClose,
}: {
  cycleId: string;
  suggested: CycleDecisionAction;
  onSaved: () => Promise<unknown>;
  onClose: () => void;
}) {
  const form = useForm();
  const [record] = useMutation(PathwayRecordDecisionDocument);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const action = r.requiredText("action", "Decision") as CycleDecisionAction;
    const gbq = r.number("activityGBq", "Reduced activity");
    if (action === "REDUCE" && gbq === undefined)
      r.fail("activityGBq", "Reduced activity is required for REDUCE");
    const input = {
      cycleId,
      action,
      activityMBq: action === "REDUCE" && gbq !== undefined ? gbq * 1000 : null,
      reason: r.requiredText("reason", "Reason"),
    };
    const ok = await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      const res = await record({ variables: { input } });
      return (res.data?.cycleRecordDecision.userErrors ?? []).map((u) =>
        u.field.at(-1) === "activityMBq" ? { ...u, field: ["input", "activityGBq"] } : u,
      );
    });
    if (ok) {
      onClose();
      await onSaved();
    }
  }
  const err = form.errors.fields;
  return (
    <FormPanel title="Physician decision">
      <form onSubmit={onSubmit} noValidate aria-label="Physician decision">
        <ErrorSummary errors={form.errors} />
        <div className="form-grid">
          <SelectField
            name="action"
            label="Decision"
            required
            options={[
              { value: "GO", label: "GO" },
              { value: "DELAY", label: "DELAY" },
              { value: "REDUCE", label: "REDUCE activity" },
              { value: "STOP", label: "STOP" },
            ]}
            defaultValue={suggested}
            error={err.action}
          />
          <TextField
            name="activityGBq"
            label="Reduced activity (GBq, REDUCE only)"
            inputMode="decimal"
            error={err.activityGBq}
          />
          <TextField name="reason" label="Reason (no names)" required error={err.reason} />
        </div>
        <FormActions
          submitting={form.submitting}
          submitLabel="Record decision"
          onCancel={onClose}
        />
      </form>
    </FormPanel>
  );
}
