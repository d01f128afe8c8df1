"use client";

import { useQuery } from "@apollo/client/react";
import Link from "next/link";
import { useState } from "react";
import { ComingSoon, EmptyState, ErrorState, Loading } from "@/components/States";
import { RecentStudiesDocument } from "@/graphql/generated";
import { addDaysIso, formatDateTime, humanize, patientName, todayIso } from "@/lib/format";
import { AwaitingSignOff } from "@/features/dosimetry/AwaitingSignOff";
import { AwaitingSignatureCard } from "../response/AwaitingSignature";
import { CycleTable } from "./CycleTable";
import { useCyclesDue } from "./useCyclesDue";

function GoNoGoCard() {
  const today = todayIso();
  const q = useCyclesDue(addDaysIso(today, -7), addDaysIso(today, 7), ["READY", "PLANNED"]);
  return (
    <section className="card" aria-labelledby="h-gonogo">
      <h2 id="h-gonogo">
        Cycles awaiting go / no-go {q.data ? <span className="muted">({q.totalCount})</span> : null}
      </h2>
      <p className="muted">Ready or planned, from a week ago to a week ahead.</p>
      {q.error ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : !q.data ? (
        <Loading />
      ) : (
        <CycleTable caption="Cycles awaiting go / no-go" cycles={q.cycles} empty="No cycles awaiting a decision this week." actionLabel="Review" />
      )}
    </section>
  );
}

function RecentStudiesCard() {
  const [from] = useState(() => new Date(Date.now() - 30 * 86_400_000).toISOString());
  const q = useQuery(RecentStudiesDocument, { variables: { first: 15, filter: { from } } });
  const studies = [...(q.data?.studies.edges ?? [])]
    .map((e) => e.node)
    .sort((a, b) => b.performedAt.localeCompare(a.performedAt));
  return (
    <section className="card" aria-labelledby="h-studies">
      <h2 id="h-studies">Recent studies (30 days)</h2>
      {q.error ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : !q.data ? (
        <Loading />
      ) : studies.length === 0 ? (
        <EmptyState title="No studies in the last 30 days." />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Performed</th>
              <th scope="col">Patient</th>
              <th scope="col">Modality</th>
              <th scope="col">Tracer</th>
              <th scope="col">Purpose</th>
            </tr>
          </thead>
          <tbody>
            {studies.map((s) => (
              <tr key={s.id}>
                <td>{formatDateTime(s.performedAt)}</td>
                <td>
                  <Link href={`/patients/${encodeURIComponent(s.patient.id)}?tab=imaging`}>{patientName(s.patient)}</Link>{" "}
                  <span className="muted">{s.patient.mrn}</span>
                </td>
                <td>{s.modality}</td>
                <td>{s.tracer?.name ?? "—"}</td>
                <td>{humanize(s.purpose)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function PhysicianHome({ physicist }: { physicist: boolean }) {
  return (
    <div className="stack">
      <p>
        <Link href="/calendar">Care pathway calendar</Link> · <Link href="/worklist">Worklist</Link>
      </p>
      <div className="grid grid-wide">
        <GoNoGoCard />
        <RecentStudiesCard />
      </div>
      <AwaitingSignatureCard />
      <div className="grid">
        <ComingSoon title="Quantification worklist" issue="Imaging service and PET/SPECT viewer">
          Studies awaiting SUV / VOI quantification will be listed here.
        </ComingSoon>
        <AwaitingSignOff physicist={physicist} />
      </div>
    </div>
  );
}
