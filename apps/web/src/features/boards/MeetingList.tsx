"use client";

import { useQuery } from "@apollo/client/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { StatusBadge } from "@/components/Badge";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import { BoardMeetingsDocument, type BoardMeetingOrderField, type BoardMeetingStatus, type SortDirection } from "@/graphql/generated";
import { formatDateTime } from "@/lib/format";
import { useCan } from "@/lib/viewer";
import { MeetingForm } from "./MeetingForm";

const STATUSES: BoardMeetingStatus[] = ["SCHEDULED", "IN_PROGRESS", "CLOSED", "CANCELLED"];

/** Meetings of the site: filter by status and title, sort by date, title or status. */
export function MeetingList() {
  const can = useCan();
  const router = useRouter();
  const [status, setStatus] = useState<BoardMeetingStatus | "">("");
  const [search, setSearch] = useState("");
  const [order, setOrder] = useState<{ field: BoardMeetingOrderField; direction: SortDirection }>({ field: "SCHEDULED_AT", direction: "DESC" });
  const [creating, setCreating] = useState(false);
  const { data, loading, error, refetch } = useQuery(BoardMeetingsDocument, {
    variables: { first: 100, filter: { status: status ? [status] : null, search: search || null }, orderBy: order },
    fetchPolicy: "cache-and-network",
  });
  const sortBy = (field: BoardMeetingOrderField) =>
    setOrder((o) => ({ field, direction: o.field === field && o.direction === "DESC" ? "ASC" : "DESC" }));
  const aria = (field: BoardMeetingOrderField) => (order.field === field ? (order.direction === "ASC" ? "ascending" : "descending") : "none");
  const rows = data?.boardMeetings.edges.map((e) => e.node) ?? [];
  return (
    <div className="stack">
      <div className="row">
        <h1>Tumour boards</h1>
        <span className="spacer" />
        {can("board:manage") && !creating ? (
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
            Schedule a meeting
          </button>
        ) : null}
      </div>
      {creating ? <MeetingForm onClose={() => setCreating(false)} onSaved={(id) => router.push(`/boards/${encodeURIComponent(id)}`)} /> : null}
      <div className="filters" role="search">
        <label>
          Status{" "}
          <select value={status} onChange={(e) => setStatus(e.target.value as BoardMeetingStatus | "")}>
            <option value="">All</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.replace("_", " ").toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <label>
          Title <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Filter by title" />
        </label>
      </div>
      {error ? <ErrorState error={error} onRetry={() => void refetch()} /> : null}
      {loading && !data ? <Loading /> : null}
      {data && rows.length === 0 ? <EmptyState title="No meetings match" /> : null}
      {rows.length ? (
        <table>
          <caption className="sr-only">Tumour-board meetings</caption>
          <thead>
            <tr>
              <th scope="col" aria-sort={aria("SCHEDULED_AT")}>
                <button type="button" className="link-button" onClick={() => sortBy("SCHEDULED_AT")}>
                  Date
                </button>
              </th>
              <th scope="col" aria-sort={aria("TITLE")}>
                <button type="button" className="link-button" onClick={() => sortBy("TITLE")}>
                  Title
                </button>
              </th>
              <th scope="col">Chair</th>
              <th scope="col">Cases</th>
              <th scope="col" aria-sort={aria("STATUS")}>
                <button type="button" className="link-button" onClick={() => sortBy("STATUS")}>
                  Status
                </button>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <tr key={m.id}>
                <td className="nowrap">{formatDateTime(m.scheduledAt)}</td>
                <td>
                  <Link href={`/boards/${encodeURIComponent(m.id)}`}>{m.title}</Link>
                  {m.location ? <span className="muted"> · {m.location}</span> : null}
                </td>
                <td>{m.chair.displayName}</td>
                <td>{m.caseCount}</td>
                <td>
                  <StatusBadge value={m.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
