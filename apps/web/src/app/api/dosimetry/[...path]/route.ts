import { streamToApi } from "@/lib/stream-proxy";

export const dynamic = "force-dynamic";

/** /api/dosimetry/* (dosimetry PDF reports and the dose-ledger CSV) → the API; session cookie forwarded, body streamed. */
export async function GET(request: Request): Promise<Response> {
  const url = new URL(request.url);
  return streamToApi(request, `${url.pathname}${url.search}`);
}
