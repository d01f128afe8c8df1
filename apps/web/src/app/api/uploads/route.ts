import { streamToApi } from "@/lib/stream-proxy";

export const dynamic = "force-dynamic";

/** POST /api/uploads (multipart/form-data DICOM files / zips) → the API, body streamed through. */
export async function POST(request: Request): Promise<Response> {
  return streamToApi(request, `/api/uploads${new URL(request.url).search}`);
}
