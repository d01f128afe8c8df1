"use client";

import type { QaFindingFieldsFragment } from "@/graphql/generated";

/** BLOCKING findings stop quantitative use (unless overridden); WARNING ones are informative. */
export function severityTone(severity: string): "bad" | "warn" | "info" {
  if (severity === "BLOCKING") return "bad";
  if (severity === "WARNING") return "warn";
  return "info";
}

export function QaFindingList({ findings, label }: { findings: readonly QaFindingFieldsFragment[]; label: string }) {
  if (findings.length === 0) return <span className="badge badge-ok">QA passed</span>;
  return (
    <ul aria-label={label} className="qa-findings" style={{ margin: 0, paddingLeft: 0, listStyle: "none" }}>
      {findings.map((f, i) => (
        <li key={`${f.code}-${i}`} data-severity={f.severity}>
          <span className={`badge badge-${severityTone(f.severity)}`}>{f.severity === "BLOCKING" ? "Blocking" : "Warning"}</span>{" "}
          <code>{f.code}</code> {f.message}
        </li>
      ))}
    </ul>
  );
}
