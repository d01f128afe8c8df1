"use client";

import type { PathwayFlagFieldsFragment } from "@/graphql/generated";

const TONE: Record<string, string> = { ERROR: "bad", WARNING: "warn", INFO: "info" };

/** Schedule constraint flags: always shown, coloured by severity, the source on hover and expand. */
export function FlagList({
  flags,
  label = "Schedule flags",
}: {
  flags: readonly PathwayFlagFieldsFragment[];
  label?: string;
}) {
  if (flags.length === 0) return <p className="muted">No schedule flags.</p>;
  return (
    <ul aria-label={label} className="stack" style={{ listStyle: "none", padding: 0 }}>
      {flags.map((f, i) => (
        <li key={`${f.code}-${i}`} data-severity={f.severity} title={f.source}>
          <details>
            <summary>
              <span className={`badge badge-${TONE[f.severity] ?? "neutral"}`}>{f.severity}</span>{" "}
              <strong>{f.code}</strong> — {f.message}
            </summary>
            <p className="muted">
              Source: {f.source}
              {f.eventKeys.length ? ` · events: ${f.eventKeys.join(", ")}` : ""}
            </p>
          </details>
        </li>
      ))}
    </ul>
  );
}
