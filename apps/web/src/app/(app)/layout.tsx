"use client";

import { useMutation, useQuery } from "@apollo/client/react";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { ErrorState, Loading } from "@/components/States";
import { LogoutDocument, ViewerDocument } from "@/graphql/generated";
import { humanize } from "@/lib/format";
import { loginUrl } from "@/lib/next-path";
import { ViewerContext, type ViewerInfo } from "@/lib/viewer";

function NavLink({ href, children }: { href: string; children: ReactNode }) {
  const pathname = usePathname();
  const active = href === "/" ? pathname === "/" : pathname.startsWith(href);
  return (
    <Link href={href} aria-current={active ? "page" : undefined}>
      {children}
    </Link>
  );
}

function Shell({ viewer, children }: { viewer: ViewerInfo; children: ReactNode }) {
  const router = useRouter();
  const [logout, { client }] = useMutation(LogoutDocument);
  async function onLogout() {
    try {
      await logout();
    } finally {
      await client.clearStore();
      router.replace("/login");
    }
  }
  return (
    <ViewerContext.Provider value={viewer}>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/" className="brand">
          Lutetia
        </Link>
        <nav aria-label="Main">
          <ul>
            <li>
              <NavLink href="/">Home</NavLink>
            </li>
            <li>
              <NavLink href="/patients">Patients</NavLink>
            </li>
            {viewer.permissions.includes("patient:read") ? (
              <li>
                <NavLink href="/response">Response</NavLink>
              </li>
            ) : null}
            <li>
              <NavLink href="/boards">Boards</NavLink>
            </li>
            {viewer.permissions.includes("schedule:write") ? (
              <li>
                <NavLink href="/worklist">Worklist</NavLink>
              </li>
            ) : null}
            {viewer.permissions.includes("imaging:upload") || viewer.permissions.includes("quarantine:resolve") ? (
              <li>
                <NavLink href="/imaging">Imaging</NavLink>
              </li>
            ) : null}
            {viewer.permissions.includes("audit:read") ? (
              <li>
                <NavLink href="/admin">Administration</NavLink>
              </li>
            ) : null}
          </ul>
        </nav>
        <div className="who">
          <span data-testid="viewer">
            {viewer.user.displayName} · {viewer.roles.map(humanize).join(", ")} · {viewer.site.code}
          </span>
          <button type="button" className="btn btn-small" onClick={onLogout}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </ViewerContext.Provider>
  );
}

/** Signed-in area: loads the viewer, or sends the user to /login?next=<this path>. */
export default function AppLayout({ children }: { children: ReactNode }) {
  const router = useRouter();
  const { data, loading, error, refetch } = useQuery(ViewerDocument, { fetchPolicy: "network-only" });
  const viewer = data?.viewer ?? null;
  const signedOut = !loading && !error && data !== undefined && viewer === null;

  useEffect(() => {
    if (signedOut) router.replace(loginUrl(window.location.pathname + window.location.search));
  }, [signedOut, router]);

  if (error) {
    return (
      <main>
        <ErrorState error={error} onRetry={() => void refetch()} />
      </main>
    );
  }
  if (!viewer) {
    return (
      <main>
        <Loading label={signedOut ? "Redirecting to sign in…" : "Loading…"} />
      </main>
    );
  }
  return <Shell viewer={viewer}>{children}</Shell>;
}
