import { streamSamePath } from "@/lib/stream-proxy";

export const dynamic = "force-dynamic";

/** /dicomweb/* (QIDO-RS, WADO-RS, STOW-RS) → the API, for the viewer; bodies streamed both ways. */
export const GET = streamSamePath;
export const POST = streamSamePath;
