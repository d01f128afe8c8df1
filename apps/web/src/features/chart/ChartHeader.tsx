import { StatusBadge } from "@/components/Badge";
import { ageYears, formatDate, formatNumber, humanize, patientName } from "@/lib/format";
import type { ChartPatient } from "./types";

export function ChartHeader({ patient: p }: { patient: ChartPatient }) {
  const dx = p.currentDiagnosis;
  const course = p.currentCourse;
  const fullCourse = p.courses.find((c) => c.id === course?.id);
  const administered = fullCourse?.cycles.filter((c) => c.status === "ADMINISTERED").length ?? 0;
  return (
    <section className="patient-header" aria-label="Patient summary">
      <div>
        <h1 data-testid="patient-name">{patientName(p)}</h1>
        <div>
          <StatusBadge value={p.status} />
        </div>
      </div>
      <dl>
        <dt>MRN</dt>
        <dd data-testid="patient-mrn">{p.mrn}</dd>
        <dt>Age / sex</dt>
        <dd>
          {ageYears(p.birthDate)} y · {humanize(p.sex)} <span className="muted">(born {formatDate(p.birthDate)})</span>
        </dd>
        <dt>Height / weight</dt>
        <dd>
          {p.heightCm ? `${formatNumber(p.heightCm)} cm` : "—"} / {p.latestWeight ? `${formatNumber(p.latestWeight.weightKg)} kg (${formatDate(p.latestWeight.measuredAt)})` : "—"}
        </dd>
      </dl>
      <dl>
        <dt>Diagnosis</dt>
        <dd>{dx ? `${dx.primarySite} — ${dx.histology}` : <span className="muted">none recorded</span>}</dd>
        <dt>Grade / Ki-67</dt>
        <dd>
          {dx ? `${dx.whoGrade} · Ki-67 ${dx.ki67Percent === null ? "—" : `${formatNumber(dx.ki67Percent)} %`} · ${humanize(dx.differentiation)} differentiated` : "—"}
        </dd>
      </dl>
      <dl>
        <dt>Course</dt>
        <dd>{course ? `${course.radiopharmaceutical.name} · ${humanize(course.status)} · ${administered} of ${course.plannedCycles} given` : <span className="muted">none</span>}</dd>
        <dt>Next cycle</dt>
        <dd data-testid="next-cycle">{p.nextCycle ? `Cycle ${p.nextCycle.number} · ${formatDate(p.nextCycle.plannedDate)} · ${humanize(p.nextCycle.status)}` : "—"}</dd>
      </dl>
    </section>
  );
}
