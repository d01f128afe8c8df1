"use client";

import type { ReactNode } from "react";
import type { FormErrors } from "@/lib/forms";

/** Summary of every problem at the top of a form; focusable so keyboard users land on it. */
export function ErrorSummary({ errors, onReload }: { errors: FormErrors; onReload?: () => void }) {
  if (errors.conflict) {
    return (
      <div className="alert alert-conflict" role="alert" tabIndex={-1} data-error-summary>
        <strong>Someone else changed this record; reload.</strong>
        <p>{errors.conflict}</p>
        {onReload ? (
          <button type="button" className="btn" onClick={onReload}>
            Reload the latest version
          </button>
        ) : null}
      </div>
    );
  }
  if (errors.summary.length === 0) return null;
  return (
    <div className="alert alert-error" role="alert" tabIndex={-1} data-error-summary>
      <strong>{errors.summary.length === 1 ? "There is a problem" : `There are ${errors.summary.length} problems`}</strong>
      <ul>
        {errors.summary.map((e, i) => (
          <li key={i}>{e.message}</li>
        ))}
      </ul>
    </div>
  );
}

export function FormActions({
  submitting,
  submitLabel,
  onCancel,
}: {
  submitting: boolean;
  submitLabel: string;
  onCancel?: () => void;
}) {
  return (
    <div className="form-actions">
      <button type="submit" className="btn btn-primary" disabled={submitting}>
        {submitting ? "Saving…" : submitLabel}
      </button>
      {onCancel ? (
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      ) : null}
    </div>
  );
}

export function FormPanel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="form-panel" aria-label={title}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}
