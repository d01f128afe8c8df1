import { streamToApi } from "@/lib/stream-proxy";

export const dynamic = "force-dynamic";

/** /dicomweb/* (QIDO-RS, WADO-RS, STOW-RS) → the API, for the viewer; bodies streamed both ways. */
function target(request: Request): string {
  const url = new URL(request.url);
  return `${url.pathname}${url.search}`;
}

export async function GET(request: Request): Promise<Response> {
  return streamToApi(request, target(request));
}

export async function POST(request: Request): Promise<Response> {
  return streamToApi(request, target(request));
}
