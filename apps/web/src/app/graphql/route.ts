import { proxyToApi } from "@/lib/api-proxy";

export const dynamic = "force-dynamic";

/** POST /graphql → the API (same origin for the browser; see lib/api-proxy.ts). */
export async function POST(request: Request): Promise<Response> {
  return proxyToApi(request, "/graphql");
}

export async function GET(request: Request): Promise<Response> {
  return proxyToApi(request, `/graphql${new URL(request.url).search}`);
}
