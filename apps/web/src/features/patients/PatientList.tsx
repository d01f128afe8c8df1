"use client";

import { useQuery } from "@apollo/client/react";
import Link from "next/link";
import { useState } from "react";
import { StatusBadge } from "@/components/Badge";
import { CheckboxField, SelectField, TextField } from "@/components/Field";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import {
  PatientListDocument,
  type PatientFilter,
  type PatientSortField,
  type PatientStatus,
  type SortDirection,
} from "@/graphql/generated";
import { ageYears, formatDate, humanize, patientName } from "@/lib/format";
import { useCan } from "@/lib/viewer";

/** Page size kept under the API's query-cost limit. */
const PAGE = 15;
const STATUSES: PatientStatus[] = ["REFERRED", "IN_WORKUP", "ON_TREATMENT", "FOLLOW_UP", "CLOSED"];

interface Sort {
  field: PatientSortField;
  direction: SortDirection;
}

function SortHeader({ label, field, sort, onSort }: { label: string; field: PatientSortField; sort: Sort; onSort: (s: Sort) => void }) {
  const active = sort.field === field;
  const ariaSort = active ? (sort.direction === "ASC" ? "ascending" : "descending") : "none";
  return (
    <th scope="col" aria-sort={ariaSort}>
      <button
        type="button"
        className="sort"
        onClick={() => onSort({ field, direction: active && sort.direction === "ASC" ? "DESC" : "ASC" })}
      >
        {label} {active ? (sort.direction === "ASC" ? "▲" : "▼") : ""}
      </button>
    </th>
  );
}

function readFilter(form: HTMLFormElement): PatientFilter {
  const fd = new FormData(form);
  const filter: PatientFilter = {};
  const search = fd.get("search");
  if (typeof search === "string" && search.trim()) filter.search = search.trim();
  const status = fd.get("status");
  if (typeof status === "string" && status) filter.status = [status as PatientStatus];
  if (fd.get("onActiveCourse") !== null) filter.onActiveCourse = true;
  const due = fd.get("nextDueBefore");
  if (typeof due === "string" && due) filter.nextDueBefore = due;
  return filter;
}

/**
 * Patient list: search, filters and sort live in component state — never in the URL, so no
 * names or MRNs end up in history, logs or referrers.
 */
export function PatientList() {
  const can = useCan();
  const [filter, setFilter] = useState<PatientFilter>({});
  const [sort, setSort] = useState<Sort>({ field: "NAME", direction: "ASC" });
  const q = useQuery(PatientListDocument, { variables: { first: PAGE, filter, orderBy: sort } });
  const conn = q.data?.patients;

  function loadMore() {
    if (!conn?.pageInfo.endCursor) return;
    void q.fetchMore({
      variables: { after: conn.pageInfo.endCursor },
      updateQuery: (prev, { fetchMoreResult }) => ({
        patients: { ...fetchMoreResult.patients, edges: [...prev.patients.edges, ...fetchMoreResult.patients.edges] },
      }),
    });
  }

  return (
    <div className="stack">
      <div className="row">
        <h1>Patients</h1>
        <span className="spacer" />
        {can("patient:write") ? (
          <Link className="btn btn-primary" href="/patients/new">
            New patient
          </Link>
        ) : null}
      </div>
      <form
        className="filters"
        role="search"
        aria-label="Find patients"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(readFilter(e.currentTarget));
        }}
      >
        <div className="row">
          <TextField name="search" label="Name or MRN" type="search" autoComplete="off" />
          <SelectField name="status" label="Status" placeholder="Any" options={STATUSES.map((s) => ({ value: s, label: humanize(s) }))} />
          <TextField name="nextDueBefore" label="Next cycle due on or before" type="date" />
          <CheckboxField name="onActiveCourse" label="On an active course" />
          <button type="submit" className="btn btn-primary">
            Search
          </button>
          <button type="reset" className="btn" onClick={() => setFilter({})}>
            Clear
          </button>
        </div>
      </form>
      {q.error ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : !conn ? (
        <Loading />
      ) : conn.edges.length === 0 ? (
        <EmptyState title="No patients match.">Try a shorter search or clear the filters.</EmptyState>
      ) : (
        <>
          <table aria-label="Patients">
            <thead>
              <tr>
                <SortHeader label="Name" field="NAME" sort={sort} onSort={setSort} />
                <SortHeader label="MRN" field="MRN" sort={sort} onSort={setSort} />
                <th scope="col">Age / sex</th>
                <th scope="col">Status</th>
                <th scope="col">Diagnosis</th>
                <SortHeader label="Next cycle due" field="NEXT_DUE" sort={sort} onSort={setSort} />
                <SortHeader label="Created" field="CREATED_AT" sort={sort} onSort={setSort} />
              </tr>
            </thead>
            <tbody>
              {conn.edges.map(({ node: p }) => (
                <tr key={p.id}>
                  <td>
                    <Link href={`/patients/${encodeURIComponent(p.id)}`}>{patientName(p)}</Link>
                  </td>
                  <td>{p.mrn}</td>
                  <td>
                    {ageYears(p.birthDate)} · {p.sex.charAt(0)}
                  </td>
                  <td>
                    <StatusBadge value={p.status} />
                  </td>
                  <td>
                    {p.currentDiagnosis ? `${p.currentDiagnosis.primarySite} · ${p.currentDiagnosis.whoGrade}` : <span className="muted">—</span>}
                  </td>
                  <td>
                    {p.nextCycle ? (
                      <>
                        {formatDate(p.nextCycle.plannedDate)} <span className="muted">(cycle {p.nextCycle.number})</span>
                      </>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td>{formatDate(p.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="pager" aria-live="polite">
            <span className="muted">
              {conn.edges.length} of {conn.totalCount} shown
            </span>
            {conn.pageInfo.hasNextPage ? (
              <button type="button" className="btn" onClick={loadMore}>
                Show more
              </button>
            ) : null}
          </div>
        </>
      )}
    </div>
  );
}
