import { EmptyState } from "@/components/States";
import { ctcaeGrade } from "@/lib/ctcae";
import { formatDate, formatMBq, formatNumber, humanize, localDay, todayIso } from "@/lib/format";
import type { ChartPatient } from "./types";

type Kind = "Study" | "Cycle" | "Labs" | "Diagnosis" | "Decision" | "Weight";

interface Entry {
  readonly day: string;
  readonly kind: Kind;
  readonly text: string;
  /** Sort key inside a day. */
  readonly at: string;
}

/** Studies, cycles, labs (grouped by day), diagnoses, course decisions and signed tumour-board decisions, newest first. */
export function buildTimeline(p: ChartPatient): Map<string, Entry[]> {
  const entries: Entry[] = [];
  for (const s of p.studies) {
    entries.push({
      day: localDay(s.performedAt),
      at: s.performedAt,
      kind: "Study",
      text: `${s.modality}${s.tracer ? ` ${s.tracer.name}` : ""} — ${humanize(s.purpose)}${s.cycle ? ` (cycle ${s.cycle.number})` : ""}`,
    });
  }
  for (const c of p.courses) {
    entries.push({
      day: localDay(c.createdAt),
      at: c.createdAt,
      kind: "Decision",
      text: `Course planned: ${c.radiopharmaceutical.name}, ${c.plannedCycles} × ${formatMBq(c.plannedActivityMBq)} every ${c.intervalDays} days (${humanize(c.intent)})`,
    });
    if (c.endedOn) {
      entries.push({
        day: c.endedOn,
        at: c.endedOn,
        kind: "Decision",
        text: `Course ${humanize(c.status).toLowerCase()}${c.stopReason ? `: ${c.stopReason}` : ""}`,
      });
    }
    for (const y of c.cycles) {
      if (y.status === "ADMINISTERED" && y.infusionStart) {
        entries.push({
          day: localDay(y.infusionStart),
          at: y.infusionStart,
          kind: "Cycle",
          text: `Cycle ${y.number} administered — net ${formatMBq(y.netActivityMBq)} ${c.radiopharmaceutical.name}${y.lot ? `, lot ${y.lot}` : ""}`,
        });
      } else {
        entries.push({
          day: y.plannedDate,
          at: y.plannedDate,
          kind: y.status === "DELAYED" || y.status === "CANCELLED" ? "Decision" : "Cycle",
          text: `Cycle ${y.number} ${humanize(y.status).toLowerCase()} for ${formatDate(y.plannedDate)}`,
        });
      }
    }
  }
  for (const d of p.boardDecisions) {
    if (d.status !== "SIGNED" || !d.signedAt) continue;
    const detail = d.regimen
      ? `, ${d.regimen.plannedCycles ?? "?"} × ${d.regimen.activityPerCycleGBq ?? "?"} GBq`
      : d.newActivityGBq !== null && d.newActivityGBq !== undefined
        ? ` to ${d.newActivityGBq} GBq`
        : d.delayUntil
          ? ` until ${formatDate(d.delayUntil)}`
          : d.delayWeeks
            ? ` by ${d.delayWeeks} weeks`
            : "";
    entries.push({ day: localDay(d.signedAt), at: d.signedAt, kind: "Decision", text: `Tumour board${d.amends ? " (amendment)" : ""}: ${humanize(d.outcome)}${detail}` });
  }
  for (const d of p.diagnoses) {
    entries.push({ day: d.diagnosedOn, at: d.diagnosedOn, kind: "Diagnosis", text: `${d.primarySite} — ${d.histology}, ${d.whoGrade}` });
  }
  for (const w of p.weights) {
    entries.push({ day: localDay(w.measuredAt), at: w.measuredAt, kind: "Weight", text: `${formatNumber(w.weightKg)} kg` });
  }
  const labsByDay = new Map<string, typeof p.labResults>();
  for (const l of p.labResults) {
    const day = localDay(l.sampledAt);
    labsByDay.set(day, [...(labsByDay.get(day) ?? []), l]);
  }
  for (const [day, labs] of labsByDay) {
    const parts = labs.map((l) => {
      const g = ctcaeGrade(l.analyte, l.value);
      return `${humanize(l.analyte)} ${formatNumber(l.value, 2)} ${l.unit}${g ? ` (G${g})` : ""}`;
    });
    entries.push({ day, at: labs[0]!.sampledAt, kind: "Labs", text: parts.join(" · ") });
  }
  entries.sort((a, b) => (a.day === b.day ? b.at.localeCompare(a.at) : b.day.localeCompare(a.day)));
  const byDay = new Map<string, Entry[]>();
  for (const e of entries) byDay.set(e.day, [...(byDay.get(e.day) ?? []), e]);
  return byDay;
}

function Days({ label, days }: { label: string; days: [string, Entry[]][] }) {
  return (
    <section aria-label={label}>
      <h2>{label}</h2>
      <ol className="timeline" aria-label={label}>
        {days.map(([day, items]) => (
          <li key={day}>
            <time dateTime={day}>{day}</time>
            <ul>
              {items.map((e, i) => (
                <li key={i}>
                  <span className="kind">{e.kind}</span> {e.text}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Upcoming (planned cycles after today, soonest first), then history (newest first). */
export function Timeline({ patient, today = todayIso() }: { patient: ChartPatient; today?: string }) {
  const byDay = buildTimeline(patient);
  if (byDay.size === 0) return <EmptyState title="Nothing recorded yet." />;
  const all = [...byDay.entries()];
  const upcoming = all.filter(([day]) => day > today).reverse();
  const history = all.filter(([day]) => day <= today);
  return (
    <div className="stack">
      {upcoming.length > 0 ? <Days label="Upcoming" days={upcoming} /> : null}
      <Days label="History" days={history} />
    </div>
  );
}
