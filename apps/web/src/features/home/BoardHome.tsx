"use client";

import { useQuery } from "@apollo/client/react";
import Link from "next/link";
import { StatusBadge } from "@/components/Badge";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import { BoardNextMeetingDocument } from "@/graphql/generated";
import { formatDateTime, humanize, patientName } from "@/lib/format";

/** Board member's home: the meeting in progress or the next one, with its cases. */
export function BoardHome() {
  const { data, loading, error, refetch } = useQuery(BoardNextMeetingDocument, { fetchPolicy: "cache-and-network" });
  const m = data?.boardNextMeeting ?? null;
  return (
    <div className="grid">
      <section className="card" aria-label="Next tumour-board meeting">
        <h2>Next tumour-board meeting</h2>
        {error ? <ErrorState error={error} onRetry={() => void refetch()} /> : null}
        {loading && !data ? <Loading /> : null}
        {data && !m ? <EmptyState title="No meeting scheduled">See all meetings under <Link href="/boards">Boards</Link>.</EmptyState> : null}
        {m ? (
          <>
            <p>
              <Link href={`/boards/${encodeURIComponent(m.id)}`}>{m.title}</Link> · {formatDateTime(m.scheduledAt)}
              {m.location ? ` · ${m.location}` : ""} · <StatusBadge value={m.status} /> · chair {m.chair.displayName}
              {m.viewerIsChair ? " (you)" : ""}
            </p>
            {m.cases.length === 0 ? (
              <EmptyState title="No cases on the agenda yet" />
            ) : (
              <table>
                <caption className="sr-only">Cases of the next meeting</caption>
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">Patient</th>
                    <th scope="col">Question</th>
                    <th scope="col">Decision</th>
                  </tr>
                </thead>
                <tbody>
                  {m.cases.map((c) => (
                    <tr key={c.id}>
                      <td>{c.position}</td>
                      <td>
                        <Link href={`/boards/${encodeURIComponent(m.id)}?case=${encodeURIComponent(c.id)}`}>{patientName(c.patient)}</Link> <span className="muted nowrap">{c.patient.mrn}</span>
                      </td>
                      <td>
                        {humanize(c.question)}
                        {c.questionText ? <span className="muted"> — {c.questionText}</span> : null}
                      </td>
                      <td>{c.currentDecision ? `${humanize(c.currentDecision.outcome)} (${humanize(c.currentDecision.status)})` : "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <p>
              <Link className="btn btn-small" href={`/boards/${encodeURIComponent(m.id)}/present`}>
                Presentation mode
              </Link>{" "}
              <Link href="/boards">All meetings</Link>
            </p>
          </>
        ) : null}
      </section>
    </div>
  );
}
