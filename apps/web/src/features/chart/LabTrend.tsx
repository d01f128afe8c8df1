"use client";

import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { formatDate } from "@/lib/format";
import type { ChartLab } from "./types";

/** Trend of one analyte over time (canonical unit). */
export function LabTrend({ label, unit, results }: { label: string; unit: string; results: readonly ChartLab[] }) {
  const data = [...results]
    .sort((a, b) => a.sampledAt.localeCompare(b.sampledAt))
    .map((r) => ({ t: new Date(r.sampledAt).getTime(), value: r.value }));
  return (
    <figure className="chart-card" aria-label={`${label} trend`}>
      <figcaption>
        <strong>{label}</strong> <span className="muted">({unit})</span>
      </figcaption>
      <LineChart width={320} height={150} data={data} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
        <CartesianGrid stroke="#e5e8ec" />
        <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={(t: number) => formatDate(new Date(t).toISOString()).slice(2)} fontSize={11} />
        <YAxis width={44} fontSize={11} domain={["auto", "auto"]} />
        <Tooltip labelFormatter={(t) => formatDate(new Date(Number(t)).toISOString())} formatter={(v) => [`${String(v)} ${unit}`, label]} />
        <Line type="monotone" dataKey="value" stroke="#1f5fa8" strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} />
      </LineChart>
    </figure>
  );
}
