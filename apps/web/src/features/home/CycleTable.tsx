"use client";

import Link from "next/link";
import { StatusBadge } from "@/components/Badge";
import { EmptyState } from "@/components/States";
import type { DueCycleFieldsFragment } from "@/graphql/generated";
import { formatDate, formatMBq, patientName } from "@/lib/format";

/** Cycles with a one-click action: open the cycle in the patient's chart. */
export function CycleTable({
  caption,
  cycles,
  empty,
  actionLabel,
}: {
  caption: string;
  cycles: readonly DueCycleFieldsFragment[];
  empty: string;
  actionLabel: string;
}) {
  if (cycles.length === 0) return <EmptyState title={empty} />;
  return (
    <table>
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Planned</th>
          <th scope="col">Patient</th>
          <th scope="col">Cycle</th>
          <th scope="col">Agent</th>
          <th scope="col">Status</th>
          <th scope="col">
            <span className="sr-only">Action</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {cycles.map((c) => (
          <tr key={c.id}>
            <td className="nowrap">{formatDate(c.plannedDate)}</td>
            <td>
              {patientName(c.patient)} <span className="muted nowrap">{c.patient.mrn}</span>
            </td>
            <td className="nowrap">
              {c.number} / {c.course.plannedCycles}
            </td>
            <td>
              {c.course.radiopharmaceutical.name} <span className="muted nowrap">{formatMBq(c.course.plannedActivityMBq)}</span>
            </td>
            <td>
              <StatusBadge value={c.status} />
            </td>
            <td>
              <Link
                className="btn btn-small"
                href={`/patients/${encodeURIComponent(c.patient.id)}?tab=courses&cycle=${encodeURIComponent(c.id)}`}
              >
                {actionLabel}
                <span className="sr-only"> cycle {c.number} for {c.patient.mrn}</span>
              </Link>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
