"use client";

import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { CheckboxField, TextField } from "@/components/Field";
import { ErrorSummary, FormActions, FormPanel } from "@/components/FormParts";
import { UserCreateDocument, type Role } from "@/graphql/generated";
import { FormReader, useForm } from "@/lib/forms";
import { humanize } from "@/lib/format";

const ROLES: Role[] = ["ADMIN", "COORDINATOR", "PHYSICIAN", "PHYSICIST", "BOARD_MEMBER", "VIEWER"];

export function UserCreateForm() {
  const form = useForm();
  const [create] = useMutation(UserCreateDocument);
  const [created, setCreated] = useState<string | null>(null);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const el = e.currentTarget;
    const r = new FormReader(new FormData(el));
    const input = {
      email: r.requiredText("email", "E-mail"),
      displayName: r.requiredText("displayName", "Display name"),
      password: r.requiredText("password", "Initial password"),
      roles: ROLES.filter((role) => r.checked(`role-${role}`)),
    };
    if (input.roles.length === 0) r.fail("roles", "Choose at least one role");
    let email: string | null = null;
    const ok = await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      const res = await create({ variables: { input } });
      email = res.data?.userCreate.user?.email ?? null;
      return res.data?.userCreate.userErrors ?? [];
    });
    if (ok) {
      setCreated(email);
      el.reset();
    }
  }

  return (
    <FormPanel title="Create a user at this site">
      {created ? (
        <p className="alert alert-info" role="status">
          Created {created}.
        </p>
      ) : null}
      <form onSubmit={onSubmit} noValidate>
        <ErrorSummary errors={form.errors} />
        <div className="form-grid">
          <TextField name="email" label="E-mail" type="email" required error={form.errors.fields.email} />
          <TextField name="displayName" label="Display name" required error={form.errors.fields.displayName} />
          <TextField name="password" label="Initial password" type="password" autoComplete="new-password" required error={form.errors.fields.password} />
        </div>
        <fieldset className="row" aria-invalid={form.errors.fields.roles ? true : undefined}>
          <legend>Roles</legend>
          {ROLES.map((role) => (
            <CheckboxField key={role} name={`role-${role}`} label={humanize(role)} />
          ))}
          {form.errors.fields.roles ? <div className="field-error">{form.errors.fields.roles}</div> : null}
        </fieldset>
        <FormActions submitting={form.submitting} submitLabel="Create user" />
      </form>
    </FormPanel>
  );
}
