"use client";

import Link from "next/link";
import { useState } from "react";
import { StatusBadge } from "@/components/Badge";
import { CoursePathwayPanel } from "@/components/pathway/CoursePathwayPanel";
import { EligibilityPanel } from "@/components/pathway/EligibilityPanel";
import { PlanFromTemplateForm } from "@/components/pathway/PlanFromTemplateForm";
import { EmptyState } from "@/components/States";
import { formatDate, formatDateTime, formatMBq, humanize } from "@/lib/format";
import { useCan } from "@/lib/viewer";
import { AdministrationForm } from "./AdministrationForm";
import { CourseForm } from "./CourseForm";
import { CourseUpdateForm } from "./CourseUpdateForm";
import { RescheduleForm } from "./RescheduleForm";
import type { ChartCourse, ChartCycle, ChartIntent, ChartPatient, OnSaved } from "./types";

type Open = { kind: "course" } | { kind: "course-template" } | { kind: "course-edit"; courseId: string } | { kind: "administer" | "reschedule"; cycleId: string } | null;

const pending = (c: ChartCycle) => c.status !== "ADMINISTERED" && c.status !== "CANCELLED";

function CourseCard({
  course,
  open,
  setOpen,
  highlight,
  onSaved,
}: {
  course: ChartCourse;
  open: Open;
  setOpen: (o: Open) => void;
  highlight: string | null;
  onSaved: OnSaved;
}) {
  const can = useCan();
  const cycles = [...course.cycles].sort((a, b) => a.number - b.number);
  const openCycle = open && (open.kind === "administer" || open.kind === "reschedule") ? cycles.find((c) => c.id === open.cycleId) : undefined;
  return (
    <section className="card" aria-label={`Course ${course.radiopharmaceutical.name}`}>
      <div className="row">
        <h2>
          {course.radiopharmaceutical.name} · {humanize(course.intent)}
        </h2>
        <StatusBadge value={course.status} />
        <span className="spacer" />
        {can("course:write") ? (
          <button type="button" className="btn btn-small" onClick={() => setOpen({ kind: "course-edit", courseId: course.id })}>
            Update course
          </button>
        ) : null}
      </div>
      {open?.kind === "course-edit" && open.courseId === course.id ? (
        <CourseUpdateForm key={course.version} course={course} onSaved={onSaved} onClose={() => setOpen(null)} />
      ) : null}
      <p className="muted">
        {course.plannedCycles} × {formatMBq(course.plannedActivityMBq)} every {course.intervalDays} days · started {formatDate(course.startedOn)}
        {course.endedOn ? ` · ended ${formatDate(course.endedOn)}` : ""} · cumulative {formatMBq(course.cumulativeActivityMBq)}
        {course.stopReason ? ` · ${course.stopReason}` : ""}
      </p>
      {course.boardDecisions.length ? (
        <ul aria-label="Tumour-board decisions on this course" className="stack">
          {course.boardDecisions.map((d) => (
            <li key={d.id} className="alert alert-info">
              <strong>
                Tumour board{d.amends ? " (amendment)" : ""}: {humanize(d.outcome)}
                {d.newActivityGBq !== null && d.newActivityGBq !== undefined ? ` to ${d.newActivityGBq} GBq per cycle` : ""}
                {d.delayUntil ? ` until ${formatDate(d.delayUntil)}` : ""}
                {d.delayWeeks ? ` by ${d.delayWeeks} weeks` : ""}
              </strong>{" "}
              <span className="muted">
                signed {formatDate(d.signedAt)} · <Link href={`/boards/${encodeURIComponent(d.meeting.id)}`}>{d.meeting.title}</Link>
              </span>
              <div>{d.rationale}</div>
            </li>
          ))}
        </ul>
      ) : null}
      {openCycle && open?.kind === "administer" ? (
        <AdministrationForm key={openCycle.id} course={course} cycle={openCycle} onSaved={onSaved} onClose={() => setOpen(null)} />
      ) : null}
      {openCycle && open?.kind === "reschedule" ? (
        <RescheduleForm key={openCycle.id} cycle={openCycle} onSaved={onSaved} onClose={() => setOpen(null)} />
      ) : null}
      <table>
        <thead>
          <tr>
            <th scope="col">Cycle</th>
            <th scope="col">Planned</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Calibrated
            </th>
            <th scope="col" className="num">
              Net administered
            </th>
            <th scope="col">Infusion start</th>
            <th scope="col">Lot</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {cycles.map((c) => (
            <tr key={c.id} className={highlight === c.id ? "highlight" : undefined} data-testid={`cycle-${c.number}`}>
              <td>{c.number}</td>
              <td>{formatDate(c.plannedDate)}</td>
              <td>
                <StatusBadge value={c.status} />
              </td>
              <td className="num">{formatMBq(c.calibratedActivityMBq)}</td>
              <td className="num">{formatMBq(c.netActivityMBq)}</td>
              <td>{formatDateTime(c.infusionStart)}</td>
              <td>{c.lot ?? "—"}</td>
              <td>
                {pending(c) && can("cycle:administer") ? (
                  <button type="button" className="btn btn-small" onClick={() => setOpen({ kind: "administer", cycleId: c.id })}>
                    Record administration<span className="sr-only"> of cycle {c.number}</span>
                  </button>
                ) : null}{" "}
                {pending(c) && can("cycle:schedule") ? (
                  <button type="button" className="btn btn-small" onClick={() => setOpen({ kind: "reschedule", cycleId: c.id })}>
                    Reschedule<span className="sr-only"> cycle {c.number}</span>
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <CoursePathwayPanel courseId={course.id} cycles={course.cycles} onSaved={onSaved} />
    </section>
  );
}

export function CoursesTab({ patient: p, intent, onSaved }: { patient: ChartPatient; intent: ChartIntent; onSaved: OnSaved }) {
  const can = useCan();
  const target = intent.cycleId ? p.courses.flatMap((c) => c.cycles).find((c) => c.id === intent.cycleId) : undefined;
  const initial: Open =
    target && pending(target)
      ? can("cycle:administer")
        ? { kind: "administer", cycleId: target.id }
        : can("cycle:schedule")
          ? { kind: "reschedule", cycleId: target.id }
          : null
      : intent.action === "course" && can("course:write")
        ? { kind: "course" }
        : null;
  const [open, setOpen] = useState<Open>(initial);
  return (
    <div className="stack">
      <div className="row">
        <span className="spacer" />
        {can("course:write") ? (
          <button type="button" className="btn" onClick={() => setOpen({ kind: "course" })}>
            Plan new course
          </button>
        ) : null}
        {can("course:write") ? (
          <button type="button" className="btn" onClick={() => setOpen({ kind: "course-template" })}>
            Plan from protocol template
          </button>
        ) : null}
      </div>
      {open?.kind === "course-template" ? <PlanFromTemplateForm patientId={p.id} onSaved={onSaved} onClose={() => setOpen(null)} /> : null}
      {open?.kind === "course" ? <CourseForm patientId={p.id} onSaved={onSaved} onClose={() => setOpen(null)} /> : null}
      <EligibilityPanel patientId={p.id} />
      {p.courses.length === 0 ? (
        <EmptyState title="No therapy course yet.">{can("course:write") ? "Plan one once the board has decided." : null}</EmptyState>
      ) : (
        p.courses.map((c) => <CourseCard key={c.id} course={c} open={open} setOpen={setOpen} highlight={intent.cycleId} onSaved={onSaved} />)
      )}
    </div>
  );
}
