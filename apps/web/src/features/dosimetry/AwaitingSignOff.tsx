"use client";

import { useQuery } from "@apollo/client/react";
import Link from "next/link";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import { DosimetryAwaitingSignOffDocument } from "@/graphql/generated";
import { formatDateTime, patientName } from "@/lib/format";

/** Home card: cycles whose dosimetry is an unsigned draft (new or amendment), oldest first. */
export function AwaitingSignOff({ physicist }: { physicist: boolean }) {
  const q = useQuery(DosimetryAwaitingSignOffDocument, { fetchPolicy: "cache-and-network" });
  const rows = q.data?.dosimetryAwaitingSignOff ?? [];
  return (
    <section className="card" aria-labelledby="h-signoff">
      <h2 id="h-signoff">
        {physicist ? "Dosimetry awaiting your sign-off" : "Doses awaiting physicist sign-off"} {q.data ? <span className="muted">({rows.length})</span> : null}
      </h2>
      {q.error ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : !q.data ? (
        <Loading />
      ) : rows.length === 0 ? (
        <EmptyState title="No dosimetry drafts awaiting sign-off." />
      ) : (
        <table>
          <caption className="sr-only">Dosimetry drafts awaiting sign-off</caption>
          <thead>
            <tr>
              <th scope="col">Patient</th>
              <th scope="col">Cycle</th>
              <th scope="col">Administered</th>
              <th scope="col">Revision</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link href={`/patients/${encodeURIComponent(r.patient.id)}?tab=dosimetry&cycle=${encodeURIComponent(r.cycle.id)}`}>{patientName(r.patient)}</Link>{" "}
                  <span className="muted">{r.patient.mrn}</span>
                </td>
                <td>{r.cycle.number}</td>
                <td>{formatDateTime(r.administeredAt)}</td>
                <td>{r.revision > 1 ? `r${r.revision} (amendment: ${r.amendReason ?? ""})` : "r1"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
