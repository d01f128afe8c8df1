"use client";

import { useQuery } from "@apollo/client/react";
import Link from "next/link";
import { useState } from "react";
import { ErrorState, Loading } from "@/components/States";
import { PathwayCalendarDocument } from "@/graphql/generated";
import { todayIso } from "@/lib/format";
import { addDays, gridDays, shift } from "./calendar-grid";
import { siteDateTime, siteDay, siteLocalToInstant } from "./zone";

type View = "week" | "month";
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** Week / month grid of the site's planned and booked care events (site time zone). */
export function CalendarView() {
  const [view, setView] = useState<View>("week");
  const [anchor, setAnchor] = useState(todayIso());
  const days = gridDays(anchor, view);
  const tzQ = useQuery(PathwayCalendarDocument, {
    variables: { first: 1, filter: { status: ["BOOKED"] } },
  });
  const tz = tzQ.data?.pathwaySettings.timeZone ?? "UTC";
  const from = siteLocalToInstant(`${days[0]}T00:00`, tz) ?? `${days[0]}T00:00:00Z`;
  const to =
    siteLocalToInstant(`${addDays(days.at(-1)!, 1)}T00:00`, tz) ?? `${days.at(-1)}T23:59:59Z`;
  const q = useQuery(PathwayCalendarDocument, {
    variables: { first: 100, filter: { status: ["PLANNED", "BOOKED"], from, to } },
    skip: !tzQ.data,
    fetchPolicy: "cache-and-network",
  });
  const events = (q.data?.careEvents.edges ?? []).map((e) => e.node);
  const byDay = new Map<string, typeof events>();
  for (const e of events) {
    const d = siteDay(e.effectiveAt, tz);
    byDay.set(d, [...(byDay.get(d) ?? []), e]);
  }
  const title = view === "week" ? `Week of ${days[0]}` : anchor.slice(0, 7);
  return (
    <section className="card" aria-label="Site calendar">
      <div className="row">
        <h2 aria-live="polite">{title}</h2>
        <span className="spacer" />
        <button
          type="button"
          className="btn btn-small"
          onClick={() => setAnchor(shift(anchor, view, -1))}
        >
          Previous
        </button>
        <button type="button" className="btn btn-small" onClick={() => setAnchor(todayIso())}>
          Today
        </button>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => setAnchor(shift(anchor, view, 1))}
        >
          Next
        </button>
        <div role="group" aria-label="View">
          <button
            type="button"
            className="btn btn-small"
            aria-pressed={view === "week"}
            onClick={() => setView("week")}
          >
            Week
          </button>
          <button
            type="button"
            className="btn btn-small"
            aria-pressed={view === "month"}
            onClick={() => setView("month")}
          >
            Month
          </button>
        </div>
      </div>
      <p className="muted">
        Planned and booked events, site time zone ({tz}).
        {q.data && q.data.careEvents.totalCount > events.length
          ? ` Showing ${events.length} of ${q.data.careEvents.totalCount}.`
          : ""}
      </p>
      {q.error || tzQ.error ? (
        <ErrorState error={q.error ?? tzQ.error} onRetry={() => void q.refetch()} />
      ) : !q.data ? (
        <Loading label="Loading calendar…" />
      ) : (
        <table aria-label={`Calendar ${title}`} style={{ tableLayout: "fixed", width: "100%" }}>
          <thead>
            <tr>
              {WEEKDAYS.map((d) => (
                <th key={d} scope="col">
                  {d}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: days.length / 7 }, (_, w) => (
              <tr key={w}>
                {days.slice(w * 7, w * 7 + 7).map((d) => {
                  const list = byDay.get(d) ?? [];
                  const outside = view === "month" && d.slice(0, 7) !== anchor.slice(0, 7);
                  return (
                    <td
                      key={d}
                      style={{
                        verticalAlign: "top",
                        height: view === "week" ? "10rem" : "6rem",
                        opacity: outside ? 0.55 : 1,
                      }}
                      data-day={d}
                    >
                      <div className={d === todayIso() ? "badge badge-info" : "muted"}>
                        {d.slice(8)}
                      </div>
                      <ul
                        style={{ listStyle: "none", padding: 0, margin: 0, fontSize: "0.85em" }}
                        aria-label={`Events on ${d}`}
                      >
                        {list.map((e) => (
                          <li
                            key={e.id}
                            title={`${e.label} · ${e.status} · ${e.resource ?? "no resource"}`}
                          >
                            <span
                              className={`badge badge-${e.status === "BOOKED" ? "ok" : "info"}`}
                            >
                              {siteDateTime(e.effectiveAt, tz).slice(11)}
                            </span>{" "}
                            <Link
                              href={`/patients/${encodeURIComponent(e.patient.id)}?tab=courses`}
                            >
                              {e.patient.mrn}
                            </Link>{" "}
                            {e.label}
                            {e.cycleNumber ? ` c${e.cycleNumber}` : ""}
                          </li>
                        ))}
                      </ul>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
