import { streamSamePath } from "@/lib/stream-proxy";

export const dynamic = "force-dynamic";

/** GET /api/boards/* (the one-pager PDF export) → the API with the session cookie; the PDF is streamed through. */
export const GET = streamSamePath;
