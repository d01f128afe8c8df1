"use client";

import { useQuery } from "@apollo/client/react";
import Link from "next/link";
import { useMemo, useState } from "react";
import { StatusBadge } from "@/components/Badge";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import {
  PathwayWorklistDocument,
  type CareEventKind,
  type PathwayEventFieldsFragment,
} from "@/graphql/generated";
import { humanize } from "@/lib/format";
import { useViewer } from "@/lib/viewer";
import { EventActionForm, type EventAction } from "./EventActions";
import { FlagList } from "./FlagList";
import { dueLocalText, siteDateTime } from "./zone";

type Ev = PathwayEventFieldsFragment;
type Bucket = "dueToday" | "dueThisWeek" | "overdue" | "conflicts";
type SortKey = "effectiveAt" | "patient" | "kind" | "status" | "resource";

const BUCKETS: { id: Bucket; label: string }[] = [
  { id: "dueToday", label: "Due today" },
  { id: "dueThisWeek", label: "This week" },
  { id: "overdue", label: "Overdue" },
  { id: "conflicts", label: "Conflicts" },
];

export const EVENT_KINDS: CareEventKind[] = [
  "CYCLE",
  "LABS",
  "SSA_WASHOUT",
  "AMINO_ACIDS",
  "SSA_INJECTION",
  "POST_THERAPY_SCAN",
  "NADIR_LABS",
  "INTERIM_IMAGING",
  "RESTAGING",
  "FOLLOW_UP",
];

const sortValue = (e: Ev, k: SortKey): string =>
  k === "effectiveAt"
    ? e.effectiveAt
    : k === "patient"
      ? e.patient.mrn
      : k === "kind"
        ? e.kind
        : k === "status"
          ? e.status
          : (e.resource ?? "");

/** Coordinator worklist from `careWorklist`: buckets, filters, sortable table, bulk and per-row actions. */
export function WorklistView() {
  const viewer = useViewer();
  const canWrite = viewer.permissions.includes("schedule:write");
  const [bucket, setBucket] = useState<Bucket>("dueToday");
  const [patient, setPatient] = useState("");
  const [kind, setKind] = useState<CareEventKind | "">("");
  const [resource, setResource] = useState("");
  const [sort, setSort] = useState<{ key: SortKey; asc: boolean }>({
    key: "effectiveAt",
    asc: true,
  });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [open, setOpen] = useState<{ action: EventAction; ids: string[] } | null>(null);
  const filter = {
    ...(kind ? { kind: [kind] } : {}),
    ...(resource.trim() ? { resource: resource.trim() } : {}),
  };
  const q = useQuery(PathwayWorklistDocument, {
    variables: { filter },
    fetchPolicy: "cache-and-network",
  });
  const wl = q.data?.careWorklist;

  const rows = useMemo(() => {
    if (!wl || bucket === "conflicts") return [];
    const needle = patient.trim().toLowerCase();
    const list = wl[bucket].filter((e) => !needle || e.patient.mrn.toLowerCase().includes(needle));
    const dir = sort.asc ? 1 : -1;
    return [...list].sort(
      (a, b) => sortValue(a, sort.key).localeCompare(sortValue(b, sort.key)) * dir,
    );
  }, [wl, bucket, patient, sort]);

  if (q.error) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  if (!wl) return <Loading label="Loading worklist…" />;
  const tz = wl.timeZone;
  const byId = new Map([...wl.dueToday, ...wl.dueThisWeek, ...wl.overdue].map((e) => [e.id, e]));
  const selectedEvents = [...selected]
    .map((id) => byId.get(id))
    .filter((e): e is Ev => e !== undefined);
  const openEvents = open
    ? open.ids.map((id) => byId.get(id)).filter((e): e is Ev => e !== undefined)
    : [];
  const onDone = async () => {
    setSelected(new Set());
    await q.refetch();
  };
  const header = (key: SortKey, label: string) => (
    <th scope="col" aria-sort={sort.key === key ? (sort.asc ? "ascending" : "descending") : "none"}>
      <button
        type="button"
        style={{
          background: "none",
          border: 0,
          font: "inherit",
          fontWeight: 600,
          cursor: "pointer",
          padding: 0,
        }}
        onClick={() => setSort({ key, asc: sort.key === key ? !sort.asc : true })}
      >
        {label}
        {sort.key === key ? (sort.asc ? " ▲" : " ▼") : ""}
      </button>
    </th>
  );
  const count = (b: Bucket) => (b === "conflicts" ? wl.conflicts.length : wl[b].length);

  return (
    <div className="stack">
      <p className="muted">
        Times in the site time zone ({tz}). As of {siteDateTime(wl.asOf, tz)}.
      </p>
      <div className="row" role="search" aria-label="Worklist filters">
        <div className="field">
          <label htmlFor="wl-patient">Patient (MRN)</label>
          <input
            id="wl-patient"
            value={patient}
            onChange={(e) => setPatient(e.target.value)}
            autoComplete="off"
          />
        </div>
        <div className="field">
          <label htmlFor="wl-kind">Type</label>
          <select
            id="wl-kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as CareEventKind | "")}
          >
            <option value="">All types</option>
            {EVENT_KINDS.map((k) => (
              <option key={k} value={k}>
                {humanize(k)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="wl-resource">Resource</label>
          <input
            id="wl-resource"
            value={resource}
            onChange={(e) => setResource(e.target.value)}
            autoComplete="off"
          />
        </div>
      </div>
      <div className="tabs" role="tablist" aria-label="Worklist buckets">
        {BUCKETS.map((b) => (
          <button
            key={b.id}
            type="button"
            role="tab"
            id={`wl-tab-${b.id}`}
            aria-controls="wl-panel"
            aria-selected={bucket === b.id}
            onClick={() => {
              setBucket(b.id);
              setSelected(new Set());
            }}
          >
            {b.label} ({count(b.id)})
          </button>
        ))}
      </div>
      <div role="tabpanel" id="wl-panel" aria-labelledby={`wl-tab-${bucket}`} className="stack">
        {open && openEvents.length > 0 ? (
          <EventActionForm
            key={`${open.action}:${open.ids.join()}`}
            action={open.action}
            events={openEvents}
            timeZone={tz}
            onDone={onDone}
            onClose={() => setOpen(null)}
          />
        ) : null}
        {bucket === "conflicts" ? (
          wl.conflicts.length === 0 ? (
            <EmptyState title="No schedule conflicts." />
          ) : (
            wl.conflicts.map((c) => (
              <section key={c.course.id} className="card" aria-label={`Conflicts ${c.patient.mrn}`}>
                <h2>
                  <Link href={`/patients/${encodeURIComponent(c.patient.id)}?tab=courses`}>
                    {c.patient.mrn}
                  </Link>
                </h2>
                <FlagList flags={c.flags} />
              </section>
            ))
          )
        ) : rows.length === 0 ? (
          <EmptyState title="Nothing here." />
        ) : (
          <>
            {canWrite ? (
              <div className="row">
                <button
                  type="button"
                  className="btn"
                  disabled={selectedEvents.length === 0}
                  onClick={() => setOpen({ action: "book", ids: selectedEvents.map((e) => e.id) })}
                >
                  Book selected ({selectedEvents.length})
                </button>
              </div>
            ) : null}
            <table aria-label="Worklist">
              <thead>
                <tr>
                  {canWrite ? (
                    <th scope="col">
                      <input
                        type="checkbox"
                        aria-label="Select all"
                        checked={rows.length > 0 && rows.every((r) => selected.has(r.id))}
                        onChange={(e) =>
                          setSelected(new Set(e.target.checked ? rows.map((r) => r.id) : []))
                        }
                      />
                    </th>
                  ) : null}
                  {header("effectiveAt", "When (site time)")}
                  {header("patient", "Patient")}
                  {header("kind", "Type")}
                  <th scope="col">Event</th>
                  {header("status", "Status")}
                  {header("resource", "Resource")}
                  {canWrite ? (
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {rows.map((e) => (
                  <tr key={e.id} data-testid={`wl-${e.key}`}>
                    {canWrite ? (
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`Select ${e.label} ${e.patient.mrn}`}
                          checked={selected.has(e.id)}
                          onChange={(ev) => {
                            const next = new Set(selected);
                            if (ev.target.checked) next.add(e.id);
                            else next.delete(e.id);
                            setSelected(next);
                          }}
                        />
                      </td>
                    ) : null}
                    <td>
                      {e.bookedAt ? siteDateTime(e.bookedAt, tz) : dueLocalText(e.dueLocal)}
                      {e.overdue ? <span className="badge badge-bad"> overdue</span> : null}
                    </td>
                    <td>
                      <Link href={`/patients/${encodeURIComponent(e.patient.id)}?tab=courses`}>
                        {e.patient.mrn}
                      </Link>
                    </td>
                    <td>{humanize(e.kind)}</td>
                    <td>
                      {e.label}
                      {e.cycleNumber ? ` · cycle ${e.cycleNumber}` : ""}
                    </td>
                    <td>
                      <StatusBadge value={e.status} />
                    </td>
                    <td>{e.resource ?? "—"}</td>
                    {canWrite ? (
                      <td>
                        <RowActions e={e} onOpen={(action) => setOpen({ action, ids: [e.id] })} />
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </div>
    </div>
  );
}

export function RowActions({ e, onOpen }: { e: Ev; onOpen: (a: EventAction) => void }) {
  if (e.status !== "PLANNED" && e.status !== "BOOKED") return null;
  const sr = (
    <span className="sr-only">
      {" "}
      {e.label}
      {e.cycleNumber ? ` cycle ${e.cycleNumber}` : ""}
    </span>
  );
  return (
    <span className="row" style={{ gap: "0.25rem" }}>
      <button type="button" className="btn btn-small" onClick={() => onOpen("book")}>
        Book{sr}
      </button>
      <button type="button" className="btn btn-small" onClick={() => onOpen("complete")}>
        Complete{sr}
      </button>
      <button type="button" className="btn btn-small" onClick={() => onOpen("MISSED")}>
        Missed{sr}
      </button>
      <button type="button" className="btn btn-small" onClick={() => onOpen("CANCELLED")}>
        Cancel{sr}
      </button>
    </span>
  );
}
