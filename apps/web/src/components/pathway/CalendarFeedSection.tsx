"use client";

import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { ErrorState, Loading } from "@/components/States";
import {
  PathwayCalendarFeedsDocument,
  PathwayFeedCreateDocument,
  PathwayFeedRevokeDocument,
} from "@/graphql/generated";
import { formatDateTime } from "@/lib/format";

/** The signed-in user's iCal feeds: create (the secret URL is shown once) and revoke. */
export function CalendarFeedSection() {
  const q = useQuery(PathwayCalendarFeedsDocument, { fetchPolicy: "network-only" });
  const [create, createState] = useMutation(PathwayFeedCreateDocument);
  const [revoke] = useMutation(PathwayFeedRevokeDocument);
  const [url, setUrl] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  async function onCreate() {
    setProblem(null);
    const res = await create();
    const p = res.data?.calendarFeedCreate;
    if (p?.userErrors.length) setProblem(p.userErrors.map((u) => u.message).join("; "));
    else setUrl(p?.url ?? null);
    await q.refetch();
  }
  async function onRevoke(id: string) {
    setProblem(null);
    const res = await revoke({ variables: { input: { id } } });
    const errs = res.data?.calendarFeedRevoke.userErrors ?? [];
    if (errs.length) setProblem(errs.map((u) => u.message).join("; "));
    await q.refetch();
  }
  const feeds = q.data?.calendarFeeds ?? [];
  return (
    <section className="card" aria-label="Calendar feed">
      <h2>Calendar feed (iCal)</h2>
      <p className="muted">
        Subscribe in your calendar app. Patients appear by MRN or initials, never by name. Keep the
        URL secret; revoke it if it leaks.
      </p>
      {problem ? (
        <p className="alert alert-error" role="alert">
          {problem}
        </p>
      ) : null}
      {url ? (
        <div className="alert" role="status">
          <strong>Your feed URL (shown only once):</strong>{" "}
          <input
            readOnly
            value={url}
            aria-label="Feed URL"
            style={{ width: "100%" }}
            onFocus={(e) => e.currentTarget.select()}
          />
        </div>
      ) : null}
      <button
        type="button"
        className="btn"
        onClick={() => void onCreate()}
        disabled={createState.loading}
      >
        Create feed URL
      </button>
      {q.error ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : !q.data ? (
        <Loading />
      ) : feeds.length === 0 ? (
        <p className="muted">No feeds yet.</p>
      ) : (
        <table aria-label="Your calendar feeds">
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {feeds.map((f) => (
              <tr key={f.id}>
                <td>{formatDateTime(f.createdAt)}</td>
                <td>{f.revokedAt ? `Revoked ${formatDateTime(f.revokedAt)}` : "Active"}</td>
                <td>
                  {f.revokedAt ? null : (
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => void onRevoke(f.id)}
                    >
                      Revoke
                      <span className="sr-only"> feed created {formatDateTime(f.createdAt)}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
