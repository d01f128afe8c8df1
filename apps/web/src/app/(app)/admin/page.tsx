"use client";

import { AuditLog } from "@/features/admin/AuditLog";
import { UserCreateForm } from "@/features/admin/UserCreateForm";
import { EmptyState } from "@/components/States";
import { useCan } from "@/lib/viewer";

export default function AdminPage() {
  const can = useCan();
  if (!can("audit:read") && !can("user:admin")) {
    return <EmptyState title="Administration is available to site administrators only." />;
  }
  return (
    <div className="stack">
      <h1>Administration</h1>
      {can("user:admin") ? (
        <section aria-labelledby="h-users">
          <h2 id="h-users">Users</h2>
          <p className="muted">
            Listing existing users needs a <code>users</code> query in the API (requested); new users can be created here.
          </p>
          <UserCreateForm />
        </section>
      ) : null}
      {can("audit:read") ? <AuditLog /> : null}
    </div>
  );
}
