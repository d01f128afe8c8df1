import { apiBaseUrl } from "./api-proxy";

/**
 * Streaming variant of `proxyToApi` for large bodies and binary responses (DICOM uploads,
 * DICOMweb): the request body is piped through to the API without buffering, the session
 * cookie is forwarded and Set-Cookie passed back; nothing is read or logged.
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

const FORWARD_REQUEST = [
  "accept",
  "content-type",
  "content-length",
  "cookie",
  "range",
  "x-requested-with",
  "apollo-require-preflight",
  "x-request-id",
  "user-agent",
];

export async function streamToApi(request: Request, pathWithQuery: string): Promise<Response> {
  const headers = new Headers();
  for (const name of FORWARD_REQUEST) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  const init: RequestInit & { duplex?: "half" } = { method: request.method, headers, redirect: "manual" };
  if (request.method !== "GET" && request.method !== "HEAD" && request.body) {
    init.body = request.body;
    init.duplex = "half";
  }
  let upstream: Response;
  try {
    upstream = await fetch(`${apiBaseUrl()}${pathWithQuery}`, init);
  } catch {
    return Response.json({ error: "The Lutetia API is not reachable", code: "API_UNREACHABLE" }, { status: 502 });
  }
  const out = new Headers();
  upstream.headers.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name) && name !== "set-cookie") out.set(name, value);
  });
  for (const cookie of upstream.headers.getSetCookie()) out.append("set-cookie", cookie);
  return new Response(upstream.body, { status: upstream.status, statusText: upstream.statusText, headers: out });
}
