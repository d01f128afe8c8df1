import { apiBaseUrl, pickHeaders, relayResponse } from "./api-proxy";

/**
 * Streaming variant of `proxyToApi` for large bodies and binary responses (DICOM uploads,
 * DICOMweb): the request body is piped through to the API without buffering, the session
 * cookie is forwarded and Set-Cookie passed back; nothing is read or logged.
 */

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
  const init: RequestInit & { duplex?: "half" } = { method: request.method, headers: pickHeaders(request, FORWARD_REQUEST), redirect: "manual" };
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
  return relayResponse(upstream);
}

/** Route handler body for a proxy mounted at the API's own path (`/dicomweb/*`, `/api/boards/*` …). */
export function streamSamePath(request: Request): Promise<Response> {
  const url = new URL(request.url);
  return streamToApi(request, `${url.pathname}${url.search}`);
}
