"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { isUnauthenticated } from "./apollo";
import { fromDateTimeLocal } from "./format";

/** A mutation's user error as the API returns it (`field` is the path in the input). */
export interface ApiUserError {
  readonly field: readonly string[];
  readonly message: string;
  readonly code: string;
}

export interface FormErrors {
  /** Field name (path inside `input`, dot-joined) → message. */
  readonly fields: Readonly<Record<string, string>>;
  /** Every message, in order, for the summary at the top of the form. */
  readonly summary: readonly { key: string | null; message: string }[];
  /** Set when the server refused a stale version. */
  readonly conflict: string | null;
}

export const NO_ERRORS: FormErrors = { fields: {}, summary: [], conflict: null };

/** Maps `userErrors` onto form fields: ["input", "weightKg"] → field "weightKg". */
export function fromUserErrors(errors: readonly ApiUserError[]): FormErrors {
  const fields: Record<string, string> = {};
  const summary: { key: string | null; message: string }[] = [];
  let conflict: string | null = null;
  for (const e of errors) {
    if (e.code === "CONFLICT") {
      conflict = e.message;
      continue;
    }
    const path = e.field[0] === "input" ? e.field.slice(1) : [...e.field];
    const key = path.length > 0 ? path.join(".") : null;
    if (key !== null && fields[key] === undefined) fields[key] = e.message;
    summary.push({ key, message: e.message });
  }
  return { fields, summary, conflict };
}

/** Collects client-side problems (required, number format) before anything is sent. */
export class FormReader {
  private readonly errors: ApiUserError[] = [];
  constructor(private readonly fd: FormData) {}

  /** Trimmed text, or undefined when empty. */
  text(name: string): string | undefined {
    const v = this.fd.get(name);
    if (typeof v !== "string") return undefined;
    const t = v.trim();
    return t === "" ? undefined : t;
  }
  requiredText(name: string, label: string): string {
    const v = this.text(name);
    if (v === undefined) this.fail(name, `${label} is required`);
    return v ?? "";
  }
  /** Number, or undefined when empty; records an error when not a number. */
  number(name: string, label: string): number | undefined {
    const v = this.text(name);
    if (v === undefined) return undefined;
    const n = Number(v.replace(",", "."));
    if (!Number.isFinite(n)) {
      this.fail(name, `${label} must be a number, got "${v}"`);
      return undefined;
    }
    return n;
  }
  requiredNumber(name: string, label: string): number {
    if (this.text(name) === undefined) {
      this.fail(name, `${label} is required`);
      return 0;
    }
    return this.number(name, label) ?? 0;
  }
  integer(name: string, label: string): number {
    const n = this.requiredNumber(name, label);
    if (!Number.isInteger(n)) this.fail(name, `${label} must be a whole number, got ${n}`);
    return n;
  }
  /** ISO instant from a datetime-local input. */
  dateTime(name: string, label: string, required: boolean): string | undefined {
    const v = this.text(name);
    if (v === undefined) {
      if (required) this.fail(name, `${label} is required`);
      return undefined;
    }
    const iso = fromDateTimeLocal(v);
    if (!iso) this.fail(name, `${label} is not a valid date and time`);
    return iso;
  }
  checked(name: string): boolean {
    return this.fd.get(name) !== null;
  }
  fail(name: string, message: string): void {
    this.errors.push({ field: ["input", name], message, code: "INVALID" });
  }
  get problems(): readonly ApiUserError[] {
    return this.errors;
  }
}

/** Moves focus to the first invalid field (or the summary) after errors are shown. */
export function focusFirstError(form: HTMLFormElement | null): void {
  if (!form) return;
  const target =
    form.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form.querySelector<HTMLElement>("[data-error-summary]");
  target?.focus();
}

export interface FormController {
  readonly errors: FormErrors;
  readonly submitting: boolean;
  /**
   * Runs a submission: `fn` returns the payload's userErrors (empty = success).
   * Shows client-side problems, user errors or a transport error inline and focuses the first
   * invalid field of `formEl` (pass the submit event's `currentTarget`).
   */
  submit(formEl: HTMLFormElement, fn: () => Promise<readonly ApiUserError[]>): Promise<boolean>;
  showErrors(errors: readonly ApiUserError[]): void;
  reset(): void;
}

export function useForm(): FormController {
  const formEl = useRef<HTMLFormElement | null>(null);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [submitting, setSubmitting] = useState(false);
  const [focusTick, setFocusTick] = useState(0);

  useEffect(() => {
    if (focusTick > 0) focusFirstError(formEl.current);
  }, [focusTick]);

  /** Shows errors without a submission (focus goes to the last submitted form). */
  const showErrors = useCallback((list: readonly ApiUserError[]) => {
    setErrors(fromUserErrors(list));
    setFocusTick((t) => t + 1);
  }, []);

  const submit = useCallback(
    async (el: HTMLFormElement, fn: () => Promise<readonly ApiUserError[]>) => {
      formEl.current = el;
      setSubmitting(true);
      try {
        const list = await fn();
        if (list.length > 0) {
          showErrors(list);
          return false;
        }
        setErrors(NO_ERRORS);
        return true;
      } catch (e) {
        if (isUnauthenticated(e)) return false; // the error link is taking the user to /login
        const message = e instanceof Error ? e.message : "Unknown error";
        showErrors([{ field: [], message: `Could not save: ${message}`, code: "INVALID" }]);
        return false;
      } finally {
        setSubmitting(false);
      }
    },
    [showErrors],
  );

  const reset = useCallback(() => setErrors(NO_ERRORS), []);
  return { errors, submitting, submit, showErrors, reset };
}
