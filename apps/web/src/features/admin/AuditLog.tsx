"use client";

import { useQuery } from "@apollo/client/react";
import { useState } from "react";
import { StatusBadge } from "@/components/Badge";
import { SelectField, TextField } from "@/components/Field";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import { AuditEventsDocument, type AuditEventFilter, type AuditOutcome } from "@/graphql/generated";
import { formatDateTime, fromDateTimeLocal } from "@/lib/format";

const PAGE = 35;
const OUTCOMES: AuditOutcome[] = ["SUCCESS", "DENIED", "FAILURE"];

function readFilter(form: HTMLFormElement): AuditEventFilter {
  const fd = new FormData(form);
  const text = (n: string) => {
    const v = fd.get(n);
    return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
  };
  const filter: AuditEventFilter = {};
  const action = text("action");
  if (action) filter.action = action;
  const outcome = text("outcome");
  if (outcome) filter.outcome = outcome as AuditOutcome;
  const actor = text("actorUserId");
  if (actor) filter.actorUserId = actor;
  const patient = text("patientId");
  if (patient) filter.patientId = patient;
  const from = fromDateTimeLocal(text("from") ?? "");
  if (from) filter.from = from;
  const to = fromDateTimeLocal(text("to") ?? "");
  if (to) filter.to = to;
  return filter;
}

/** ADMIN: the site's audit log (newest first) with filters; IDs only, no names (by design). */
export function AuditLog() {
  const [filter, setFilter] = useState<AuditEventFilter>({});
  const q = useQuery(AuditEventsDocument, { variables: { first: PAGE, filter } });
  const events = q.data?.auditEvents.edges.map((e) => e.node) ?? [];
  const pageInfo = q.data?.auditEvents.pageInfo;

  function loadMore() {
    if (!pageInfo?.endCursor) return;
    void q.fetchMore({
      variables: { after: pageInfo.endCursor },
      updateQuery: (prev, { fetchMoreResult }) => ({
        auditEvents: {
          ...fetchMoreResult.auditEvents,
          edges: [...prev.auditEvents.edges, ...fetchMoreResult.auditEvents.edges],
        },
      }),
    });
  }

  return (
    <section aria-labelledby="h-audit" className="stack">
      <h2 id="h-audit">Audit log</h2>
      <form
        className="filters"
        aria-label="Audit filters"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(readFilter(e.currentTarget));
        }}
      >
        <div className="form-grid">
          <TextField name="action" label="Action" placeholder="e.g. patient.read" />
          <SelectField name="outcome" label="Outcome" placeholder="Any" options={OUTCOMES.map((o) => ({ value: o, label: o }))} />
          <TextField name="actorUserId" label="Actor user ID" />
          <TextField name="patientId" label="Patient ID" />
          <TextField name="from" label="From" type="datetime-local" />
          <TextField name="to" label="To" type="datetime-local" />
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary">
            Apply filters
          </button>
          <button
            type="reset"
            className="btn"
            onClick={() => {
              setFilter({});
            }}
          >
            Clear
          </button>
        </div>
      </form>
      {q.error ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : !q.data ? (
        <Loading />
      ) : events.length === 0 ? (
        <EmptyState title="No audit events match these filters." />
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Action</th>
                <th scope="col">Outcome</th>
                <th scope="col">Entity</th>
                <th scope="col">Actor user ID</th>
                <th scope="col">Patient ID</th>
                <th scope="col">Request</th>
              </tr>
            </thead>
            <tbody>
              {events.map((ev) => (
                <tr key={ev.id}>
                  <td>{formatDateTime(ev.at)}</td>
                  <td>
                    <code>{ev.action}</code>
                  </td>
                  <td>
                    <StatusBadge value={ev.outcome} />
                  </td>
                  <td>{ev.entityType ?? "—"}</td>
                  <td>
                    <code>{ev.actorUserId ?? "—"}</code>
                  </td>
                  <td>
                    <code>{ev.patientId ?? "—"}</code>
                  </td>
                  <td>
                    <code>{ev.requestId?.slice(0, 8) ?? "—"}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="pager">
            <span className="muted">{events.length} shown</span>
            {pageInfo?.hasNextPage ? (
              <button type="button" className="btn" onClick={loadMore}>
                Load older events
              </button>
            ) : null}
          </div>
        </>
      )}
    </section>
  );
}
