"use client";

import { useQuery } from "@apollo/client/react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef } from "react";
import { ErrorState, Loading } from "@/components/States";
import { BoardCaseDocument, BoardMeetingDocument } from "@/graphql/generated";
import { formatDateTime, humanize, patientName } from "@/lib/format";
import { decisionSummary } from "./summary";
import { OnePagerView } from "./OnePagerView";
import { asOnePager } from "./types";

/**
 * Presentation mode for the meeting room: one case at a time in large type, the snapshot when
 * frozen (else live, clearly marked). ← / → and PageUp / PageDown move between cases, Home / End
 * jump to the first / last, Esc returns to the meeting page.
 */
export function Presentation({ meetingId }: { meetingId: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const meeting = useQuery(BoardMeetingDocument, { variables: { id: meetingId }, fetchPolicy: "cache-and-network" });
  const m = meeting.data?.node?.__typename === "BoardMeeting" ? meeting.data.node : null;
  const cases = useMemo(() => m?.cases ?? [], [m]);
  const requested = params.get("case");
  const index = Math.max(0, cases.findIndex((c) => c.id === requested));
  const current = cases[index] ?? null;
  const kase = useQuery(BoardCaseDocument, { variables: { id: current?.id ?? "" }, skip: !current, fetchPolicy: "cache-and-network" });
  const root = useRef<HTMLDivElement>(null);

  const go = useCallback(
    (i: number) => {
      const c = cases[Math.max(0, Math.min(cases.length - 1, i))];
      if (c) router.replace(`${pathname}?case=${encodeURIComponent(c.id)}`);
    },
    [cases, pathname, router],
  );
  useEffect(() => {
    root.current?.focus();
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === "ArrowRight" || e.key === "PageDown") go(index + 1);
      else if (e.key === "ArrowLeft" || e.key === "PageUp") go(index - 1);
      else if (e.key === "Home") go(0);
      else if (e.key === "End") go(cases.length - 1);
      else if (e.key === "Escape") router.push(`/boards/${encodeURIComponent(meetingId)}${current ? `?case=${encodeURIComponent(current.id)}` : ""}`);
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [go, index, cases.length, router, meetingId, current]);

  if (meeting.error) return <ErrorState error={meeting.error} onRetry={() => void meeting.refetch()} />;
  if (!m) return <Loading />;
  const c = kase.data?.node?.__typename === "BoardCase" ? kase.data.node : null;
  const decision = c?.decisions.find((d) => d.id === c.currentDecision?.id) ?? null;
  return (
    <div className="presentation" ref={root} tabIndex={-1} aria-label="Presentation mode" data-testid="presentation">
      <header className="row">
        <strong>{m.title}</strong>
        <span className="muted">{formatDateTime(m.scheduledAt)}</span>
        <span className="spacer" />
        <span aria-live="polite" data-testid="case-counter">
          Case {cases.length ? index + 1 : 0} of {cases.length}
        </span>
        <span className="muted">← → to move · Esc to leave</span>
      </header>
      {current ? (
        <>
          <h1>
            {patientName(current.patient)} <span className="muted">{current.patient.mrn}</span>
          </h1>
          <p className="presentation-question">
            {humanize(current.question)}
            {current.questionText ? ` — ${current.questionText}` : ""}
          </p>
          {c ? (
            <>
              <p>
                {c.snapshot ? (
                  <span className="badge badge-ok">What the board saw · frozen {formatDateTime(c.snapshot.frozenAt)}</span>
                ) : (
                  <span className="badge badge-warn">Live data — not frozen</span>
                )}{" "}
                {c.liveChangedSinceSnapshot ? <span className="badge badge-warn">Live data changed since</span> : null}
              </p>
              {decision ? (
                <p className="presentation-decision">
                  Decision: <strong>{decisionSummary(decision)}</strong> ({humanize(decision.status)})
                </p>
              ) : null}
              <OnePagerView pager={asOnePager(c.snapshot ? c.snapshot.content : c.livePager.content)} large />
            </>
          ) : (
            <Loading />
          )}
        </>
      ) : (
        <p>No cases on the agenda.</p>
      )}
    </div>
  );
}
