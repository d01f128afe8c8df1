"use client";

import { useMutation } from "@apollo/client/react";
import { useRouter, useSearchParams } from "next/navigation";
import { Suspense, useEffect, useRef } from "react";
import { TextField } from "@/components/Field";
import { ErrorSummary, FormActions } from "@/components/FormParts";
import { LoginDocument } from "@/graphql/generated";
import { FormReader, useForm } from "@/lib/forms";
import { safeNextPath } from "@/lib/next-path";

function LoginForm() {
  const router = useRouter();
  const params = useSearchParams();
  const next = safeNextPath(params.get("next"));
  const expired = params.get("next") !== null;
  const form = useForm();
  const emailRef = useRef<HTMLInputElement>(null);
  const [login, { client }] = useMutation(LoginDocument);

  useEffect(() => {
    emailRef.current?.focus();
  }, []);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const email = r.requiredText("email", "E-mail");
    const password = r.requiredText("password", "Password");
    let ok = false;
    await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      const res = await login({ variables: { input: { email, password } } });
      const payload = res.data?.authLogin;
      if (!payload) return [{ field: [], message: "No answer from the server", code: "INVALID" }];
      ok = payload.userErrors.length === 0 && payload.viewer !== null;
      return payload.userErrors;
    });
    if (ok) {
      await client.clearStore();
      router.replace(next);
    }
  }

  return (
    <main>
      <div className="login">
        <h1>Sign in to Lutetia</h1>
        {expired ? (
          <p className="alert alert-info" role="status">
            Your session has ended. Sign in again to continue where you were.
          </p>
        ) : null}
        <form onSubmit={onSubmit} noValidate aria-label="Sign in">
          <ErrorSummary errors={form.errors} />
          <TextField
            ref={emailRef}
            name="email"
            label="E-mail"
            type="email"
            autoComplete="username"
            required
            error={form.errors.fields.email}
          />
          <TextField
            name="password"
            label="Password"
            type="password"
            autoComplete="current-password"
            required
            error={form.errors.fields.password}
          />
          <FormActions submitting={form.submitting} submitLabel="Sign in" />
        </form>
      </div>
    </main>
  );
}

export default function LoginPage() {
  return (
    <Suspense>
      <LoginForm />
    </Suspense>
  );
}
