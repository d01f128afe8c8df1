"use client";

import { useQuery } from "@apollo/client/react";
import Link from "next/link";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import { ResponseAwaitingSignatureDocument } from "@/graphql/generated";
import { formatDate, patientName } from "@/lib/format";
import { CategoryBadge } from "./AssessmentDetail";

/** Physician home: response assessments (drafts) awaiting signature. */
export function AwaitingSignatureCard() {
  const q = useQuery(ResponseAwaitingSignatureDocument, { fetchPolicy: "cache-and-network" });
  const rows = q.data?.responseAssessmentsAwaitingSignature ?? [];
  return (
    <section className="card" aria-labelledby="h-resp-sign">
      <h2 id="h-resp-sign">
        Response assessments awaiting signature {q.data ? <span className="muted">({rows.length})</span> : null}
      </h2>
      <p className="muted">
        Drafts of the site, oldest first. <Link href="/response">Waterfall of best response</Link>
      </p>
      {q.error ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : !q.data ? (
        <Loading />
      ) : rows.length === 0 ? (
        <EmptyState title="No response assessment awaiting signature." />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Patient</th>
              <th scope="col">Follow-up</th>
              <th scope="col">Conclusion</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.id}>
                <td>
                  <Link href={`/patients/${encodeURIComponent(a.patient.id)}?tab=response&assessment=${encodeURIComponent(a.id)}`}>{patientName(a.patient)}</Link> <span className="muted">{a.patient.mrn}</span>
                </td>
                <td>
                  {formatDate(a.followUpStudy.performedAt)} {a.followUpStudy.modality}
                  {a.followUpStudy.tracer ? ` ${a.followUpStudy.tracer.name}` : ""}
                </td>
                <td>{a.conclusion ? <CategoryBadge value={a.conclusion.category} /> : <span className="muted">to confirm</span>}</td>
                <td>{formatDate(a.createdAt)}{a.revision > 1 ? ` (revision ${a.revision})` : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
