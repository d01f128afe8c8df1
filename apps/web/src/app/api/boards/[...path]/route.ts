import { streamToApi } from "@/lib/stream-proxy";

export const dynamic = "force-dynamic";

/** GET /api/boards/* (the one-pager PDF export) → the API with the session cookie; the PDF is streamed through. */
export async function GET(request: Request): Promise<Response> {
  const url = new URL(request.url);
  return streamToApi(request, `${url.pathname}${url.search}`);
}
