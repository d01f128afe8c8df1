"use client";

import { AuditLog } from "@/features/admin/AuditLog";
import { BoardHome } from "@/features/home/BoardHome";
import { CoordinatorHome } from "@/features/home/CoordinatorHome";
import { PhysicianHome } from "@/features/home/PhysicianHome";
import { ComingSoon } from "@/components/States";
import Link from "next/link";
import { hasRole, useViewer } from "@/lib/viewer";

/** Role-aware home: one section per role the user holds at this site. */
export default function HomePage() {
  const viewer = useViewer();
  const sections = [];
  if (hasRole(viewer, "COORDINATOR")) sections.push(<CoordinatorHome key="coordinator" />);
  if (hasRole(viewer, "PHYSICIAN") || hasRole(viewer, "PHYSICIST")) {
    sections.push(<PhysicianHome key="physician" physicist={hasRole(viewer, "PHYSICIST") && !hasRole(viewer, "PHYSICIAN")} />);
  }
  if (hasRole(viewer, "BOARD_MEMBER")) sections.push(<BoardHome key="board" />);
  if (hasRole(viewer, "ADMIN")) {
    sections.push(
      <div key="admin" className="stack">
        <p>
          <Link href="/admin">Users and site administration</Link>
        </p>
        <AuditLog />
      </div>,
    );
  }
  if (sections.length === 0) {
    sections.push(
      <div key="viewer" className="grid">
        <section className="card">
          <h2>Read-only access</h2>
          <p>
            You can browse the <Link href="/patients">patient list</Link> and charts. Editing is not available to your role.
          </p>
        </section>
        <ComingSoon title="Notifications" issue="Care pathway">
          Reminders for your cases will appear here.
        </ComingSoon>
      </div>,
    );
  }
  return (
    <div className="stack">
      <h1>
        Good day, {viewer.user.displayName} <span className="muted">· {viewer.site.name}</span>
      </h1>
      {sections}
    </div>
  );
}
