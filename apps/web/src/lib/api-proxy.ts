/**
 * Same-origin proxy to the Lutetia API. The browser talks only to the web origin, so the
 * API's HttpOnly SameSite=Strict session cookie is first-party and no CORS is needed.
 * LUTETIA_API_URL is read at request time (not baked in at build time).
 */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "proxy-connection",
  "te",
  "trailer",
  "host",
  "content-encoding",
]);

/** Headers forwarded from the browser to the API. */
const FORWARD_REQUEST = [
  "accept",
  "content-type",
  "cookie",
  "apollo-require-preflight",
  "x-apollo-operation-name",
  "x-request-id",
  "user-agent",
];

export function apiBaseUrl(): string {
  return (process.env.LUTETIA_API_URL ?? "http://127.0.0.1:4000").replace(/\/+$/, "");
}

/** Copies the named request headers (anything else — host, hop-by-hop, cookies of other apps — stays behind). */
export function pickHeaders(request: Request, names: readonly string[]): Headers {
  const headers = new Headers();
  for (const name of names) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  return headers;
}

/** The API's answer for the browser: hop-by-hop headers (and `drop`) removed, every Set-Cookie kept. */
export function relayResponse(upstream: Response, drop: readonly string[] = []): Response {
  const out = new Headers();
  upstream.headers.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name) && !drop.includes(name) && name !== "set-cookie") out.set(name, value);
  });
  for (const cookie of upstream.headers.getSetCookie()) out.append("set-cookie", cookie);
  return new Response(upstream.body, { status: upstream.status, statusText: upstream.statusText, headers: out });
}

/** GraphQL: the (small) body is buffered; an unreachable API answers as a GraphQL error. */
export async function proxyToApi(request: Request, pathWithQuery: string): Promise<Response> {
  const init: RequestInit = { method: request.method, headers: pickHeaders(request, FORWARD_REQUEST), redirect: "manual" };
  if (request.method !== "GET" && request.method !== "HEAD") {
    init.body = await request.arrayBuffer();
  }
  let upstream: Response;
  try {
    upstream = await fetch(`${apiBaseUrl()}${pathWithQuery}`, init);
  } catch {
    return Response.json(
      { errors: [{ message: "The Lutetia API is not reachable", extensions: { code: "API_UNREACHABLE" } }] },
      { status: 502 },
    );
  }
  // The buffered body was re-encoded by fetch: its length and encoding no longer apply.
  return relayResponse(upstream, ["content-length"]);
}
