/**
 * Imaging benchmark: STOW-RS ingest throughput of a generated 400-slice whole-body PET series
 * (192 × 192, 16-bit) and WADO-RS frame latency, through HTTP on a real database (PGlite in
 * memory, or PostgreSQL when DATABASE_URL is set). Prints figures; asserts nothing.
 * Targets (issue #4): ingest ≥ 300 instances/s, frame p95 ≤ 20 ms.
 * Run: npm run bench:imaging
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import argon2 from "argon2";
import { appUser, createDb, ensureCatalogue, membership, patient, site } from "@lutetia/db";
import { generateWholeBodyPet, writePetSeries } from "@lutetia/dicom";
import { createApp } from "../src/app";
import { loadConfig } from "../src/config";
import { createLogger } from "../src/shared/logger";
import { multipartRelated } from "../test/imaging-helpers";

// A real API over HTTP (self-contained: the vitest harness is not available outside vitest).
const dataDir = mkdtempSync(path.join(tmpdir(), "lutetia-bench-"));
const url = process.env.DATABASE_URL;
const handle = await createDb(url && url.startsWith("postgres") ? url : "pglite://memory", { poolMax: 8 });
await handle.migrate();
await ensureCatalogue(handle.db);
const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", SEED_DEMO: "false", JOB_WORKER: "false", DICOM_STORAGE_DIR: dataDir });
const { app, stop } = await createApp({ config, db: handle.db, logger: createLogger("silent") });
const http = app.listen(0, "127.0.0.1");
await new Promise<void>((r) => http.once("listening", () => r()));
const server = { base: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, db: handle };
try {
  const tag = Math.random().toString(36).slice(2, 8);
  const [s] = await handle.db.insert(site).values({ code: `B${tag}`, name: `Bench ${tag}` }).returning();
  const email = `bench-${tag}@test.lutetia`;
  const [u] = await handle.db.insert(appUser).values({ email, displayName: "bench", passwordHash: await argon2.hash("bench password long enough", { type: argon2.argon2id }) }).returning();
  await handle.db.insert(membership).values({ userId: u!.id, siteId: s!.id, role: "COORDINATOR" });
  await handle.db.insert(patient).values({ siteId: s!.id, mrn: "BENCH-1", familyName: "Bench", givenName: "Pat", birthDate: "1960-05-04", sex: "MALE", searchText: "bench pat bench-1" });
  const login = await fetch(`${server.base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: `mutation($e:String!,$p:String!){ authLogin(input:{email:$e,password:$p}){ viewer { roles } } }`, variables: { e: email, p: "bench password long enough" } }),
  });
  const coord = { cookie: login.headers.get("set-cookie")!.split(";")[0]! };

  const t0 = performance.now();
  const wb = generateWholeBodyPet({ nz: 400, lesions: 40, seed: 1 });
  const files = writePetSeries(wb.data, wb.geometry, { ...wb.metadata, patientId: "BENCH-1", patientBirthDate: "19600504", uidKey: "bench-400" });
  const bytes = files.reduce((s, f) => s + f.bytes.length, 0);
  console.log(`generated ${files.length} instances (${(bytes / 1e6).toFixed(1)} MB) in ${(performance.now() - t0).toFixed(0)} ms`);

  let lastCpuMs = 0;
  const post = async (parts: Uint8Array[]) => {
    const { body, contentType } = multipartRelated(parts);
    const cpu0 = process.cpuUsage();
    const t = performance.now();
    const res = await fetch(`${server.base}/dicomweb/studies`, { method: "POST", headers: { "content-type": contentType, cookie: coord.cookie! }, body });
    await res.text();
    if (res.status !== 200) throw new Error(`STOW ${res.status}`);
    const c = process.cpuUsage(cpu0);
    lastCpuMs = (c.user + c.system) / 1000;
    return performance.now() - t;
  };
  const ms = await post(files.map((f) => f.bytes));
  console.log(`STOW-RS ingest: ${files.length} instances in one request: ${ms.toFixed(0)} ms → ${((files.length / ms) * 1000).toFixed(0)} instances/s, ${((bytes / 1e6 / ms) * 1000).toFixed(1)} MB/s (target ≥ 300 instances/s)`);
  console.log(`  process CPU (client + server + PGlite, all threads) for that request: ${lastCpuMs.toFixed(0)} ms → ${((files.length / lastCpuMs) * 1000).toFixed(0)} instances per CPU-second (contention-independent)`);
  const dup = await post(files.map((f) => f.bytes));
  console.log(`STOW-RS re-send (all duplicates, idempotent no-op): ${dup.toFixed(0)} ms → ${((files.length / dup) * 1000).toFixed(0)} instances/s`);

  // second series in 4 requests of 100 (a modality sending in batches)
  const wb2 = writePetSeries(wb.data, wb.geometry, { ...wb.metadata, patientId: "BENCH-1", patientBirthDate: "19600504", uidKey: "bench-400-b" });
  let batched = 0;
  for (let i = 0; i < wb2.length; i += 100) batched += await post(wb2.slice(i, i + 100).map((f) => f.bytes));
  console.log(`STOW-RS ingest in 4 requests of 100: ${batched.toFixed(0)} ms → ${((wb2.length / batched) * 1000).toFixed(0)} instances/s`);

  // WADO-RS frames, the way Cornerstone3D's wadors: loader fetches them
  const studies = (await (await fetch(`${server.base}/dicomweb/studies?PatientID=BENCH-1`, { headers: { cookie: coord.cookie! } })).json()) as Record<string, { Value: string[] }>[];
  const studyUid = studies[0]!["0020000D"]!.Value[0]!;
  const series = (await (await fetch(`${server.base}/dicomweb/studies/${studyUid}/series`, { headers: { cookie: coord.cookie! } })).json()) as Record<string, { Value: string[] }>[];
  const seriesUid = series.find((s) => s["00201209"]!.Value[0] === (400 as unknown as string))?.["0020000E"]?.Value[0] ?? series[0]!["0020000E"]!.Value[0]!;
  const inst = (await (await fetch(`${server.base}/dicomweb/studies/${studyUid}/series/${seriesUid}/instances`, { headers: { cookie: coord.cookie! } })).json()) as Record<string, { Value: string[] }>[];
  const urls = inst.map((i) => `${server.base}/dicomweb/studies/${studyUid}/series/${seriesUid}/instances/${i["00080018"]!.Value[0]}/frames/1`);
  const accept = 'multipart/related; type="application/octet-stream"; transfer-syntax=*';
  const fetchFrame = async (u: string) => {
    const t = performance.now();
    const r = await fetch(u, { headers: { accept, cookie: coord.cookie! } });
    const b = await r.arrayBuffer();
    if (r.status !== 200 || b.byteLength < 192 * 192 * 2) throw new Error(`frame ${r.status} ${b.byteLength} ${r.headers.get("content-type")} ${u}`);
    return performance.now() - t;
  };
  for (const u of urls.slice(0, 20)) await fetchFrame(u); // warm-up
  const pct = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
  };
  const seq: number[] = [];
  const fcpu0 = process.cpuUsage();
  for (const u of urls) seq.push(await fetchFrame(u));
  const fcpu = process.cpuUsage(fcpu0);
  console.log(`WADO-RS frames (sequential, ${seq.length}): p50 ${pct(seq, 50).toFixed(2)} ms, p95 ${pct(seq, 95).toFixed(2)} ms, max ${Math.max(...seq).toFixed(2)} ms (target p95 ≤ 20 ms)`);
  console.log(`  CPU per frame request (client + server + database, contention-independent): ${((fcpu.user + fcpu.system) / 1000 / urls.length).toFixed(2)} ms`);
  const conc: number[] = [];
  const t1 = performance.now();
  for (let i = 0; i < urls.length; i += 6) conc.push(...(await Promise.all(urls.slice(i, i + 6).map(fetchFrame))));
  const total = performance.now() - t1;
  console.log(`WADO-RS frames (6 concurrent, like a browser): p50 ${pct(conc, 50).toFixed(2)} ms, p95 ${pct(conc, 95).toFixed(2)} ms; whole series ${total.toFixed(0)} ms (${((urls.length / total) * 1000).toFixed(0)} frames/s)`);
  const os = await import("node:os");
  console.log(`database: ${server.db.kind}; storage: local filesystem, fdatasync per object + directory group commit; ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}`);
} finally {
  http.close();
  await stop();
  await handle.close();
  rmSync(dataDir, { recursive: true, force: true });
}
