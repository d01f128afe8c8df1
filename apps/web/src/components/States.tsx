"use client";

import type { ReactNode } from "react";
import { CombinedGraphQLErrors } from "@apollo/client/errors";

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p className="muted" role="status" aria-live="polite">
      {label}
    </p>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children ? <div className="muted">{children}</div> : null}
    </div>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  let message = "Something went wrong.";
  if (CombinedGraphQLErrors.is(error)) message = error.errors.map((e) => e.message).join("; ");
  else if (error instanceof Error) message = error.message;
  return (
    <div className="alert alert-error" role="alert">
      <strong>Could not load this.</strong> <span>{message}</span>
      {onRetry ? (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}

/** A card for work that another issue will deliver. */
export function ComingSoon({ title, issue, children }: { title: string; issue: string; children?: ReactNode }) {
  return (
    <section className="card card-coming" aria-label={title}>
      <h2>{title}</h2>
      <p className="muted">
        Coming with issue “{issue}”. {children}
      </p>
    </section>
  );
}
