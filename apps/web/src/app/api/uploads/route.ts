import { streamSamePath } from "@/lib/stream-proxy";

export const dynamic = "force-dynamic";

/** POST /api/uploads (multipart/form-data DICOM files / zips) → the API, body streamed through. */
export const POST = streamSamePath;
