import { streamSamePath } from "@/lib/stream-proxy";

export const dynamic = "force-dynamic";

/**
 * /api/response/<opaque assessment id>/lesions.csv → the API's authenticated, audited CSV export
 * of a response assessment's lesion table (session cookie forwarded; only the opaque id in the URL).
 */
export const GET = streamSamePath;
