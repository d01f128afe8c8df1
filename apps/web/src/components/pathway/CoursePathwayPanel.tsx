"use client";

import { useQuery } from "@apollo/client/react";
import { useEffect, useRef, useState } from "react";
import { StatusBadge } from "@/components/Badge";
import { ErrorState, Loading } from "@/components/States";
import { PathwayCourseDocument } from "@/graphql/generated";
import { humanize } from "@/lib/format";
import { useViewer } from "@/lib/viewer";
import { CycleRescheduleForm } from "./CycleRescheduleForm";
import { EventActionForm, type EventAction } from "./EventActions";
import { FlagList } from "./FlagList";
import { GoNoGoPanel } from "./GoNoGoPanel";
import { RowActions } from "./WorklistView";
import { dueLocalText, siteDateTime } from "./zone";

/** A course's care pathway: schedule flags, care events with status, cycle reschedule and the next cycle's go/no-go. */
export function CoursePathwayPanel({
  courseId,
  cycles: courseCycles,
  onSaved,
}: {
  courseId: string;
  cycles: readonly { id: string; number: number; status: string; version: number }[];
  onSaved: () => Promise<unknown> | void;
}) {
  const viewer = useViewer();
  const canSchedule = viewer.permissions.includes("schedule:write");
  const q = useQuery(PathwayCourseDocument, { variables: { id: courseId } });
  const [open, setOpen] = useState<
    { action: EventAction; id: string } | { action: "reschedule"; cycleId: string } | null
  >(null);
  // The chart's cycles changed (administration, status): the care events did too.
  const signature = courseCycles.map((c) => `${c.id}:${c.version}:${c.status}`).join(",");
  const seen = useRef(signature);
  const { refetch } = q;
  useEffect(() => {
    if (seen.current === signature) return;
    seen.current = signature;
    void refetch();
  }, [signature, refetch]);
  const node = q.data?.node;
  if (q.error) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <Loading label="Loading care pathway…" />;
  if (!node || node.__typename !== "TherapyCourse") return null;
  const tz = q.data.pathwaySettings.timeZone;
  if (!node.protocolTemplate && node.careEvents.length === 0) {
    return <p className="muted">Planned without a protocol template: no care events.</p>;
  }
  const refresh = async () => {
    await q.refetch();
    await onSaved();
  };
  const cycleAt = new Map(
    node.careEvents
      .filter((e) => e.kind === "CYCLE" && e.cycleNumber)
      .map((e) => [e.cycleNumber, e.effectiveAt]),
  );
  const cycles = [...courseCycles]
    .sort((a, b) => a.number - b.number)
    .map((c) => ({ ...c, scheduledAt: cycleAt.get(c.number) ?? null }));
  const nextCycle = cycles.find((c) => c.status !== "ADMINISTERED" && c.status !== "CANCELLED");
  const events = [...node.careEvents].sort((a, b) => a.effectiveAt.localeCompare(b.effectiveAt));
  const openEvent =
    open && open.action !== "reschedule" ? events.find((e) => e.id === open.id) : undefined;
  const openCycle =
    open && open.action === "reschedule" ? cycles.find((c) => c.id === open.cycleId) : undefined;
  return (
    <div className="stack" data-testid="course-pathway">
      <p className="muted">
        {node.protocolTemplate
          ? `Protocol: ${node.protocolTemplate.name} v${node.protocolTemplate.templateVersion}. `
          : ""}
        Times in the site time zone ({tz}).
        {node.scheduleCheckedAt
          ? ` Schedule checked ${siteDateTime(node.scheduleCheckedAt, tz)}.`
          : ""}
      </p>
      <section aria-label="Schedule flags">
        <h3>Schedule flags</h3>
        <FlagList flags={node.scheduleFlags} />
      </section>
      {nextCycle ? (
        <GoNoGoPanel key={nextCycle.id} cycle={nextCycle} timeZone={tz} onSaved={refresh} />
      ) : null}
      {canSchedule ? (
        <div className="row">
          {cycles
            .filter((c) => c.status !== "ADMINISTERED" && c.status !== "CANCELLED")
            .map((c) => (
              <button
                key={c.id}
                type="button"
                className="btn btn-small"
                onClick={() => setOpen({ action: "reschedule", cycleId: c.id })}
              >
                Reschedule administration of cycle {c.number}
              </button>
            ))}
        </div>
      ) : null}
      {openCycle ? (
        <CycleRescheduleForm
          key={openCycle.id}
          cycle={openCycle}
          timeZone={tz}
          onSaved={refresh}
          onClose={() => setOpen(null)}
        />
      ) : null}
      {openEvent && open && open.action !== "reschedule" ? (
        <EventActionForm
          key={`${open.action}:${openEvent.id}`}
          action={open.action}
          events={[openEvent]}
          timeZone={tz}
          onDone={refresh}
          onClose={() => setOpen(null)}
        />
      ) : null}
      <table aria-label="Care events">
        <thead>
          <tr>
            <th scope="col">Due (site time)</th>
            <th scope="col">Event</th>
            <th scope="col">Type</th>
            <th scope="col">Status</th>
            <th scope="col">Booked</th>
            <th scope="col">Resource</th>
            {canSchedule ? (
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id} data-testid={`event-${e.key}`} title={e.source}>
              <td>
                {dueLocalText(e.dueLocal)}
                {e.overdue ? <span className="badge badge-bad"> overdue</span> : null}
              </td>
              <td>
                {e.label}
                {e.cycleNumber ? ` · cycle ${e.cycleNumber}` : ""}
                {e.statusReason ? <div className="muted">{e.statusReason}</div> : null}
              </td>
              <td>{humanize(e.kind)}</td>
              <td>
                <StatusBadge value={e.status} />
              </td>
              <td>{siteDateTime(e.bookedAt, tz)}</td>
              <td>{e.resource ?? "—"}</td>
              {canSchedule ? (
                <td>
                  <RowActions e={e} onOpen={(action) => setOpen({ action, id: e.id })} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
