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
import { generateWholeBodyPet, writePetSeries } from "@lutetia/dicom";
import { as, startTestServer } from "../test/harness";
import { multipartRelated } from "../test/imaging-helpers";

const dataDir = mkdtempSync(path.join(tmpdir(), "lutetia-bench-"));
const server = await startTestServer({ DICOM_STORAGE_DIR: dataDir, JOB_WORKER: "false" });
try {
  const { users } = await server.createSite(["COORDINATOR", "PHYSICIAN"]);
  const coord = await as(server, users.COORDINATOR.email);
  await coord.gql(`mutation($i: PatientCreateInput!) { patientCreate(input: $i) { patient { id } } }`, {
    i: { mrn: "BENCH-1", familyName: "Bench", givenName: "Pat", birthDate: "1960-05-04", sex: "MALE", heightCm: 180 },
  });

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
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
