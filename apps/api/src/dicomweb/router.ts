import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import express, { type Request, type Response, type Router } from "express";
import { GraphQLError } from "graphql";
import type { DicomInstanceRow, DicomJson, DicomSeriesRow, DicomStudyRow } from "@lutetia/db";
import type { RequestContext } from "../graphql/context";
import type { Logger } from "../shared/logger";
import { encapsulatedFrame } from "../modules/dicom-store/dicom-file";
import { DicomStoreService, QIDO_KEYS } from "../modules/dicom-store/dicom-store.service";
import { IngestService, type IngestResult } from "../modules/dicom-store/ingest.service";
import type { ObjectStorage } from "../storage/storage";
import { MultipartError, newBoundary, parseMediaType, splitAccept } from "./multipart";
import { receiveStow, receiveUpload, type ReceiveLimits } from "./receive";

/**
 * DICOMweb (PS3.18) under /dicomweb — STOW-RS, QIDO-RS, WADO-RS — and the web app's upload
 * endpoint (/api/uploads). Same session cookie, site scope and audit as GraphQL: handlers build
 * a RequestContext, call one service, flush the audit buffer before the body is sent.
 */
export interface DicomwebDeps {
  storage: ObjectStorage;
  limits: ReceiveLimits;
  tmpDir: string;
  logger: Logger;
  contextFor: (req: Request, res: Response) => Promise<RequestContext>;
}

const DICOM_JSON = "application/dicom+json";
const NATIVE_LE = new Set(["1.2.840.10008.1.2", "1.2.840.10008.1.2.1"]);

class HttpProblem extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function sendError(res: Response, e: unknown, logger: Logger) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (e instanceof HttpProblem || e instanceof MultipartError) {
    res.status(e.status).json({ error: e.message });
    return;
  }
  if (e instanceof GraphQLError) {
    const code = e.extensions.code;
    res.status(code === "UNAUTHENTICATED" ? 401 : code === "FORBIDDEN" ? 403 : 400).json({ error: e.message, code });
    return;
  }
  logger.error({ err: e instanceof Error ? { message: e.message, stack: e.stack } : String(e) }, "dicomweb error");
  res.status(500).json({ error: "Internal error" });
}

/** QIDO query string → matching keys (tags) + paging. */
function qidoQuery(req: Request) {
  const match: Record<string, string> = {};
  let limit = 100;
  let offset = 0;
  for (const [k, raw] of Object.entries(req.query)) {
    const v = Array.isArray(raw) ? String(raw[0]) : String(raw ?? "");
    if (k === "limit") limit = Math.max(1, Math.min(1000, Number(v) || 100));
    else if (k === "offset") offset = Math.max(0, Number(v) || 0);
    else if (/^[0-9A-Fa-f]{8}$/.test(k)) match[k.toUpperCase()] = v;
    else if (QIDO_KEYS[k]) match[QIDO_KEYS[k]!] = v;
  }
  return { match, limit, offset };
}

const el = (vr: string, value: unknown[]): { vr: string; Value: unknown[] } => ({ vr, Value: value });

const bases = new WeakMap<Request, string>();
/** Absolute base URL of /dicomweb for this request (computed once, before the body is consumed). */
function base(req: Request): string {
  let b = bases.get(req);
  if (b === undefined) {
    const proto = req.socket && (req.socket as { encrypted?: boolean }).encrypted ? "https" : req.protocol;
    b = `${proto}://${req.get("host") ?? "localhost"}${req.baseUrl}`;
    bases.set(req, b);
  }
  return b;
}

function studyJson(req: Request, s: DicomStudyRow, stats: { series: number; instances: number; modalities: string[] }): DicomJson {
  return {
    ...s.attributes,
    "00080061": el("CS", stats.modalities),
    "00081190": el("UR", [`${base(req)}/studies/${s.studyInstanceUid}`]),
    "0020000D": el("UI", [s.studyInstanceUid]),
    "00201206": el("IS", [stats.series]),
    "00201208": el("IS", [stats.instances]),
  };
}

function seriesJson(req: Request, st: DicomStudyRow, s: DicomSeriesRow): DicomJson {
  return {
    ...s.attributes,
    "0020000D": el("UI", [st.studyInstanceUid]),
    "0020000E": el("UI", [s.seriesInstanceUid]),
    "00081190": el("UR", [`${base(req)}/studies/${st.studyInstanceUid}/series/${s.seriesInstanceUid}`]),
    "00201209": el("IS", [s.instanceCount]),
  };
}

function instanceJson(req: Request, st: DicomStudyRow, seriesUid: string, i: DicomInstanceRow): DicomJson {
  const pick = (t: string) => (i.metadata[t] ? { [t]: i.metadata[t]! } : {});
  return {
    ...pick("00080016"), ...pick("00080018"), ...pick("00080060"), ...pick("00200013"), ...pick("00280010"), ...pick("00280011"), ...pick("00280008"), ...pick("00280100"),
    "00083002": el("UI", [i.transferSyntaxUid]),
    "0020000D": el("UI", [st.studyInstanceUid]),
    "0020000E": el("UI", [seriesUid]),
    "00081190": el("UR", [`${base(req)}/studies/${st.studyInstanceUid}/series/${seriesUid}/instances/${i.sopInstanceUid}`]),
  };
}

function metadataJson(req: Request, st: DicomStudyRow, seriesUid: string, i: DicomInstanceRow): DicomJson {
  return {
    ...i.metadata,
    "7FE00010": { vr: "OW", BulkDataURI: `${base(req)}/studies/${st.studyInstanceUid}/series/${seriesUid}/instances/${i.sopInstanceUid}/frames/1` },
  };
}

/**
 * Accept negotiation for WADO-RS retrieve (PS3.18 §8.7): returns the transfer syntax to send
 * (always the stored one; no transcoding) or throws 406 when the client accepts neither it
 * nor `*`. `kind` = "dicom" for instances, "frames" for pixel data.
 */
export function negotiate(accept: string | undefined, kind: "dicom" | "frames", storedTs: string): string {
  if (!accept || accept.trim() === "") return storedTs;
  const wanted = kind === "dicom" ? "application/dicom" : "application/octet-stream";
  for (const a of splitAccept(accept)) {
    const m = parseMediaType(a);
    if (!m) continue;
    if (m.type === "*/*" || m.type === "multipart/*") return storedTs;
    if (m.type !== "multipart/related" && m.type !== wanted) continue;
    const type = (m.params.type ?? wanted).toLowerCase();
    if (m.type === "multipart/related" && type !== wanted && !(kind === "frames" && type.startsWith("image/"))) continue;
    const ts = m.params["transfer-syntax"];
    if (!ts || ts === "*" || ts === storedTs) return storedTs;
    if (kind === "frames" && NATIVE_LE.has(ts) && NATIVE_LE.has(storedTs)) return ts; // identical pixel bytes
  }
  throw new HttpProblem(406, `stored transfer syntax ${storedTs} is not acceptable to the client; request transfer-syntax=* or ${storedTs}`);
}

async function writeMultipart(res: Response, parts: { contentType: string; location?: string; body: () => Promise<Buffer | Readable> }[]) {
  const boundary = newBoundary();
  const partType = parts[0] ? parts[0].contentType.split(";")[0] : "application/dicom";
  res.status(200).setHeader("content-type", `multipart/related; type="${partType}"; boundary=${boundary}`);
  for (const p of parts) {
    res.write(`\r\n--${boundary}\r\nContent-Type: ${p.contentType}\r\n${p.location ? `Content-Location: ${p.location}\r\n` : ""}\r\n`);
    const body = await p.body();
    if (Buffer.isBuffer(body)) {
      if (!res.write(body)) await new Promise((r) => res.once("drain", r));
    } else {
      await pipeline(body, res, { end: false });
    }
  }
  res.end(`\r\n--${boundary}--\r\n`);
}

/** STOW-RS response body (PS3.18 §10.5.3, Table 10.5.3-1). */
function stowResponse(req: Request, r: IngestResult): { status: number; body: DicomJson } {
  const ok = r.instances.filter((i) => i.outcome === "STORED" || i.outcome === "DUPLICATE");
  const failed = r.instances.filter((i) => i.outcome === "CONFLICT" || i.outcome === "FAILED");
  const body: DicomJson = {};
  const studyUids = [...new Set(ok.map((i) => i.studyInstanceUid))];
  if (studyUids.length === 1) body["00081190"] = el("UR", [`${base(req)}/studies/${studyUids[0]}`]);
  if (ok.length) {
    body["00081199"] = {
      vr: "SQ",
      Value: ok.map((i) => ({
        "00081150": el("UI", [i.sopClassUid]),
        "00081155": el("UI", [i.sopInstanceUid]),
        "00081190": el("UR", [`${base(req)}/studies/${i.studyInstanceUid}/series/${i.seriesInstanceUid}/instances/${i.sopInstanceUid}`]),
      })),
    };
  }
  if (failed.length) {
    body["00081198"] = {
      vr: "SQ",
      Value: failed.map((i) => ({
        ...(i.sopClassUid ? { "00081150": el("UI", [i.sopClassUid]) } : {}),
        ...(i.sopInstanceUid ? { "00081155": el("UI", [i.sopInstanceUid]) } : {}),
        "00081197": el("US", [i.failureReason ?? 0x0110]),
        ...(i.message ? { "00000902": el("LO", [i.message]) } : {}),
      })),
    };
  }
  // A quarantined study is stored successfully (DICOM has no status for "held for patient
  // matching"); the quarantine is visible in GraphQL (`quarantine`) and in /api/uploads results.
  const status = failed.length === 0 ? 200 : ok.length === 0 ? 409 : 202;
  return { status, body };
}

export function dicomwebRouter(deps: DicomwebDeps): { dicomweb: Router; uploads: Router } {
  const { storage, limits, logger, contextFor } = deps;
  const r = express.Router();

  const handle = (fn: (ctx: RequestContext, req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
    let ctx: RequestContext | null = null;
    try {
      base(req);
      ctx = await contextFor(req, res);
      await fn(ctx, req, res);
    } catch (e) {
      await ctx?.flushAudit().catch(() => undefined);
      sendError(res, e, logger);
    }
  };
  const json = async (ctx: RequestContext, res: Response, status: number, body: unknown) => {
    await ctx.flushAudit();
    res.status(status).type(DICOM_JSON).send(JSON.stringify(body));
  };
  const study = async (ctx: RequestContext, uid: string) => {
    const s = await DicomStoreService.studyByUid(ctx, uid);
    if (!s) throw new HttpProblem(404, "study not found");
    return s;
  };
  const series = async (ctx: RequestContext, st: DicomStudyRow, uid: string) => {
    const s = await DicomStoreService.seriesByUid(ctx, st, uid);
    if (!s) throw new HttpProblem(404, "series not found");
    return s;
  };

  // ---- STOW-RS
  const stow = handle(async (ctx, req, res) => {
    IngestService.authorizeUpload(ctx);
    const files = await receiveStow(req, storage, limits);
    const result = await IngestService.index(ctx, files, { studyInstanceUid: req.params.study as string | undefined, source: "stow-rs" });
    await ctx.flushAudit();
    const { status, body } = stowResponse(req, result);
    res.status(status).type(DICOM_JSON).send(JSON.stringify(body));
  });
  r.post("/studies", stow);
  r.post("/studies/:study", stow);

  // ---- QIDO-RS
  r.get("/studies", handle(async (ctx, req, res) => {
    const q = qidoQuery(req);
    const rows = await DicomStoreService.searchStudies(ctx, q);
    await json(ctx, res, 200, rows.map((x) => studyJson(req, x.study, x)));
  }));
  r.get("/studies/:study/series", handle(async (ctx, req, res) => {
    const st = await study(ctx, req.params.study as string);
    const rows = await DicomStoreService.seriesOfStudy(ctx, st, qidoQuery(req).match);
    await json(ctx, res, 200, rows.map((s) => seriesJson(req, st, s)));
  }));
  r.get("/studies/:study/series/:series/instances", handle(async (ctx, req, res) => {
    const st = await study(ctx, req.params.study as string);
    const se = await series(ctx, st, req.params.series as string);
    const rows = await DicomStoreService.instances(ctx, st, se, qidoQuery(req).match);
    await json(ctx, res, 200, rows.map((i) => instanceJson(req, st, se.seriesInstanceUid, i)));
  }));
  r.get("/studies/:study/instances", handle(async (ctx, req, res) => {
    const st = await study(ctx, req.params.study as string);
    const ser = await DicomStoreService.seriesOfStudy(ctx, st);
    const uidOf = new Map(ser.map((s) => [s.id, s.seriesInstanceUid]));
    const rows = await DicomStoreService.instances(ctx, st, null, qidoQuery(req).match);
    await json(ctx, res, 200, rows.map((i) => instanceJson(req, st, uidOf.get(i.seriesId) ?? "", i)));
  }));

  // ---- WADO-RS metadata
  r.get("/studies/:study/metadata", handle(async (ctx, req, res) => {
    const st = await study(ctx, req.params.study as string);
    const ser = await DicomStoreService.seriesOfStudy(ctx, st);
    const uidOf = new Map(ser.map((s) => [s.id, s.seriesInstanceUid]));
    const rows = await DicomStoreService.instances(ctx, st, null);
    await json(ctx, res, 200, rows.map((i) => metadataJson(req, st, uidOf.get(i.seriesId) ?? "", i)));
  }));
  r.get("/studies/:study/series/:series/metadata", handle(async (ctx, req, res) => {
    const st = await study(ctx, req.params.study as string);
    const se = await series(ctx, st, req.params.series as string);
    const rows = await DicomStoreService.instances(ctx, st, se);
    await json(ctx, res, 200, rows.map((i) => metadataJson(req, st, se.seriesInstanceUid, i)));
  }));
  r.get("/studies/:study/series/:series/instances/:instance/metadata", handle(async (ctx, req, res) => {
    const hit = await DicomStoreService.instanceByUids(ctx, req.params.study as string, req.params.series as string, req.params.instance as string);
    if (!hit) throw new HttpProblem(404, "instance not found");
    const st = await study(ctx, req.params.study as string);
    await json(ctx, res, 200, [metadataJson(req, st, req.params.series as string, hit.instance)]);
  }));

  // ---- WADO-RS retrieve (application/dicom, stored transfer syntax)
  const sendInstances = async (ctx: RequestContext, req: Request, res: Response, st: DicomStudyRow, rows: DicomInstanceRow[], seriesUidOf: (i: DicomInstanceRow) => string) => {
    if (!rows.length) throw new HttpProblem(404, "no instances");
    const tsList = rows.map((i) => negotiate(req.headers.accept, "dicom", i.transferSyntaxUid));
    await ctx.flushAudit();
    await writeMultipart(
      res,
      rows.map((i, k) => ({
        contentType: `application/dicom; transfer-syntax=${tsList[k]}`,
        location: `${base(req)}/studies/${st.studyInstanceUid}/series/${seriesUidOf(i)}/instances/${i.sopInstanceUid}`,
        body: async () => storage.get(i.storageKey),
      })),
    );
  };
  r.get("/studies/:study", handle(async (ctx, req, res) => {
    const st = await study(ctx, req.params.study as string);
    const ser = await DicomStoreService.seriesOfStudy(ctx, st);
    const uidOf = new Map(ser.map((s) => [s.id, s.seriesInstanceUid]));
    await sendInstances(ctx, req, res, st, await DicomStoreService.instances(ctx, st, null), (i) => uidOf.get(i.seriesId) ?? "");
  }));
  r.get("/studies/:study/series/:series", handle(async (ctx, req, res) => {
    const st = await study(ctx, req.params.study as string);
    const se = await series(ctx, st, req.params.series as string);
    await sendInstances(ctx, req, res, st, await DicomStoreService.instances(ctx, st, se), () => se.seriesInstanceUid);
  }));
  r.get("/studies/:study/series/:series/instances/:instance", handle(async (ctx, req, res) => {
    const hit = await DicomStoreService.instanceByUids(ctx, req.params.study as string, req.params.series as string, req.params.instance as string);
    if (!hit) throw new HttpProblem(404, "instance not found");
    const ts = negotiate(req.headers.accept, "dicom", hit.instance.transferSyntaxUid);
    await ctx.flushAudit();
    await writeMultipart(res, [{ contentType: `application/dicom; transfer-syntax=${ts}`, body: async () => storage.get(hit.instance.storageKey) }]);
  }));

  // ---- WADO-RS frames (application/octet-stream, stored transfer syntax)
  r.get("/studies/:study/series/:series/instances/:instance/frames/:frames", handle(async (ctx, req, res) => {
    const list = String(req.params.frames).split(",").map((s) => Number(s.trim()));
    if (!list.length || list.some((n) => !Number.isInteger(n) || n < 1)) throw new HttpProblem(400, "frame numbers must be positive integers");
    const hit = await DicomStoreService.instanceByUids(ctx, req.params.study as string, req.params.series as string, req.params.instance as string);
    if (!hit) throw new HttpProblem(404, "instance not found");
    const i = hit.instance;
    if (list.some((n) => n > i.numberOfFrames)) throw new HttpProblem(404, `frame out of range (instance has ${i.numberOfFrames})`);
    const ts = negotiate(req.headers.accept, "frames", i.transferSyntaxUid);
    await ctx.flushAudit();
    let whole: Buffer | null = null;
    await writeMultipart(
      res,
      list.map((n) => ({
        contentType: `application/octet-stream; transfer-syntax=${ts}`,
        body: async () => {
          if (i.pixelDataOffset !== null && i.frameLength !== null) return storage.readRange(i.storageKey, i.pixelDataOffset + (n - 1) * i.frameLength, i.frameLength);
          whole ??= await storage.read(i.storageKey);
          return encapsulatedFrame(whole, n - 1);
        },
      })),
    );
  }));

  // ---- web app upload (multipart/form-data, files and/or zip archives)
  const uploads = express.Router();
  uploads.post("/", handle(async (ctx, req, res) => {
    // CSRF: a form post cannot set custom headers cross-site without a CORS preflight.
    if (!req.headers["x-requested-with"] && !req.headers["apollo-require-preflight"]) throw new HttpProblem(400, "missing X-Requested-With header (CSRF protection)");
    IngestService.authorizeUpload(ctx);
    const files = await receiveUpload(req, storage, limits, deps.tmpDir);
    const result = await IngestService.index(ctx, files, { source: "upload" });
    await ctx.flushAudit();
    const summary = { stored: 0, duplicates: 0, conflicts: 0, failed: 0 };
    for (const f of result.instances) {
      if (f.outcome === "STORED") summary.stored++;
      else if (f.outcome === "DUPLICATE") summary.duplicates++;
      else if (f.outcome === "CONFLICT") summary.conflicts++;
      else summary.failed++;
    }
    res.status(200).json({
      summary,
      studies: result.studies.map((s) => ({ studyInstanceUid: s.studyInstanceUid, status: s.status, quarantineReason: s.quarantineReason })),
      files: result.instances.map((f) => ({ name: f.name, outcome: f.outcome, sopInstanceUid: f.sopInstanceUid, message: f.message })),
    });
  }));
  return { dicomweb: r, uploads };
}
