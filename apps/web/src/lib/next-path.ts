/**
 * The `next` parameter of /login: a same-origin path to return to after sign-in. Paths in
 * this app carry only opaque IDs (never names or MRNs), so the parameter holds no PHI.
 */
export function safeNextPath(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return "/";
  if (raw.startsWith("/login")) return "/";
  return raw;
}

export function loginUrl(currentPath: string): string {
  const next = safeNextPath(currentPath);
  return next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`;
}
