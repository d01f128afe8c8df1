"use client";

import { useApolloClient } from "@apollo/client/react";
import Link from "next/link";
import { useEffect, useState } from "react";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import { DataCompletenessDocument, type DataCompletenessQuery } from "@/graphql/generated";
import { missingData, type MissingItem } from "@/lib/completeness";
import { addDaysIso, patientName, todayIso } from "@/lib/format";
import { CycleTable } from "./CycleTable";
import { useCyclesDue } from "./useCyclesDue";

const PENDING = ["PLANNED", "READY", "DELAYED"] as const;

function CyclesCard({ title, from, to, empty }: { title: string; from: string; to: string; empty: string }) {
  const q = useCyclesDue(from, to, [...PENDING]);
  const headingId = `h-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {title} {q.data ? <span className="muted">({q.totalCount})</span> : null}
      </h2>
      {q.error ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : !q.data ? (
        <Loading />
      ) : (
        <CycleTable caption={title} cycles={q.cycles} empty={empty} actionLabel="Open" />
      )}
      {q.totalCount > q.cycles.length ? (
        <p className="muted">
          Showing the first {q.cycles.length} of {q.totalCount}.
        </p>
      ) : null}
    </section>
  );
}

type Row = DataCompletenessQuery["patients"]["edges"][number]["node"];
const PAGE = 12;
const MAX_PAGES = 10;

/** Loads every active patient page by page (the API's cost limit caps one page at ~20). */
function useActivePatients() {
  const client = useApolloClient();
  const [state, setState] = useState<{ rows: Row[] | null; error: unknown }>({ rows: null, error: null });
  useEffect(() => {
    let cancelled = false;
    (async () => {
      const rows: Row[] = [];
      let after: string | null = null;
      for (let page = 0; page < MAX_PAGES; page++) {
        const r: { data?: DataCompletenessQuery } = await client.query({
          query: DataCompletenessDocument,
          variables: { first: PAGE, after },
          fetchPolicy: "network-only",
        });
        if (!r.data) break;
        rows.push(...r.data.patients.edges.map((e) => e.node));
        if (!r.data.patients.pageInfo.hasNextPage) break;
        after = r.data.patients.pageInfo.endCursor ?? null;
      }
      if (!cancelled) setState({ rows, error: null });
    })().catch((error: unknown) => {
      if (!cancelled) setState({ rows: null, error });
    });
    return () => {
      cancelled = true;
    };
  }, [client]);
  return state;
}

function MissingDataCard() {
  const { rows, error } = useActivePatients();
  const flagged = (rows ?? [])
    .map((p) => ({ p, missing: missingData(p) }))
    .filter((r) => r.missing.length > 0);
  return (
    <section className="card" aria-labelledby="h-missing">
      <h2 id="h-missing">
        Patients missing data {rows ? <span className="muted">({flagged.length})</span> : null}
      </h2>
      <p className="muted">Referred, in work-up or on treatment: diagnosis with Ki-67, height, weight ≤ 90 days, labs ≤ 30 days.</p>
      {error ? (
        <ErrorState error={error} />
      ) : !rows ? (
        <Loading />
      ) : flagged.length === 0 ? (
        <EmptyState title="Every active patient's record is complete." />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Patient</th>
              <th scope="col">MRN</th>
              <th scope="col">Missing — select to fix</th>
            </tr>
          </thead>
          <tbody>
            {flagged.map(({ p, missing }) => (
              <tr key={p.id}>
                <td>
                  <Link href={`/patients/${encodeURIComponent(p.id)}`}>{patientName(p)}</Link>
                </td>
                <td>{p.mrn}</td>
                <td>
                  <div className="issues">
                    {missing.map((m: MissingItem) => (
                      <Link
                        key={m.code}
                        className="badge badge-warn"
                        href={`/patients/${encodeURIComponent(p.id)}?tab=${m.tab}&action=${m.action}`}
                      >
                        {m.label}
                      </Link>
                    ))}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function CoordinatorHome() {
  const today = todayIso();
  return (
    <div className="stack">
      <p>
        <Link href="/worklist">Care pathway worklist</Link> (due today, this week, overdue, conflicts) · <Link href="/calendar">Calendar</Link>
      </p>
      <div className="grid grid-wide">
        <CyclesCard title="Overdue cycles" from={addDaysIso(today, -365)} to={addDaysIso(today, -1)} empty="No overdue cycles." />
        <CyclesCard title="Cycles due today" from={today} to={today} empty="No cycles planned for today." />
        <CyclesCard title="Cycles due this week" from={addDaysIso(today, 1)} to={addDaysIso(today, 7)} empty="No cycles in the next 7 days." />
      </div>
      <MissingDataCard />
    </div>
  );
}
