import { streamSamePath } from "@/lib/stream-proxy";

export const dynamic = "force-dynamic";

/** /api/dosimetry/* (dosimetry PDF reports and the dose-ledger CSV) → the API; session cookie forwarded, body streamed. */
export const GET = streamSamePath;
