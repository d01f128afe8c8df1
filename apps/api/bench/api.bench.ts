/**
 * API list-query benchmark: seeds a 10,000-patient site on PGlite and on PostgreSQL, starts the
 * real app over HTTP and times the main list queries, with SQL statements per request counted
 * through createDb's onQuery hook. Prints figures; asserts nothing about time (house style §4).
 *
 *   npm run bench:api
 *   BENCH_DATABASE_URL=postgres://…/lutetia_bench  BENCH_PATIENTS=10000  BENCH_REQUESTS=200
 *   BENCH_DATABASES=pglite,postgres (which to run)  BENCH_WARMUP=20  BENCH_PAGE_SIZE_REQUESTS=30
 *   BENCH_MAX_COST=100000 (GraphQL cost limit for the run; the default 5000 refuses a page of 50)
 * The PostgreSQL database is left in place afterwards for `npx tsx bench/explain.ts`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { sql, type SQL } from "drizzle-orm";
import { createDb, type DbHandle } from "@lutetia/db";
import { createApp } from "../src/app";
import { loadConfig } from "../src/config";
import { createLogger } from "../src/shared/logger";
import { GqlClient } from "./client";
import { cpuDeltaMs, processCpuMs } from "./server-cpu";
import { seedBenchSite, type SeedSummary } from "./seed";
import { mib, RssSampler, summarise, table, type Summary } from "./stats";

const DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/lutetia_bench";
const PASSWORD = "bench-coordinator-lutetia";
const TARGET_P95_MS = 50;

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer (got ${JSON.stringify(raw)})`);
  return n;
}

const PATIENTS = intEnv("BENCH_PATIENTS", 10_000);
const REQUESTS = intEnv("BENCH_REQUESTS", 200);
const WARMUP = intEnv("BENCH_WARMUP", 20);
const PAGE_SIZE_REQUESTS = intEnv("BENCH_PAGE_SIZE_REQUESTS", 30);
const MAX_COST = String(intEnv("BENCH_MAX_COST", 100_000));

const PATIENTS_QUERY = `
query PatientList($first: Int, $after: String, $filter: PatientFilter, $orderBy: PatientOrder) {
  patients(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id mrn familyName givenName status
        currentDiagnosis { whoGrade ki67Percent }
        currentCourse { status plannedCycles radiopharmaceutical { name } }
        nextCycle { number plannedDate status }
        latestStudy { modality performedAt }
      }
    }
  }
}`;

const CYCLES_DUE_QUERY = `
query CyclesDue($first: Int, $after: String) {
  cyclesDue(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id number plannedDate status patient { mrn familyName } } }
  }
}`;

interface PatientsData {
  patients: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: unknown[] };
}
interface CyclesDueData {
  cyclesDue: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: unknown[] };
}

/** Statement counter fed by createDb's onQuery hook; requests run one at a time, so reset-per-request attributes exactly. */
class StatementCounter {
  count = 0;
  log: string[] | null = null;
  readonly onQuery = (q: string): void => {
    this.count++;
    this.log?.push(q);
  };
}

interface Sample {
  variant: string;
  ms: number;
  statements: number;
  rows: number;
}

interface ScenarioResult {
  name: string;
  samples: Sample[];
  wallMs: number;
  /** CPU time of this Node process (app + client + PGlite when embedded) per measured request. */
  cpuMsPerRequest: number;
  /** CPU time of the PostgreSQL backends of this database per request (local server only), else null. */
  dbCpuMsPerRequest: number | null;
  auditRowsPerRequest: number;
}

interface DatabaseResult {
  name: string;
  location: string;
  seedMs: number;
  migrateMs: number;
  seed: SeedSummary;
  scenarios: ScenarioResult[];
  /** Statement texts of one patients page of 50 (first 100 chars each). */
  statementsOfOnePage: string[];
  peakRssBytes: number;
}

type Step = (i: number) => Promise<{ variant: string; rows: number }>;

/** Side measurements taken around a scenario. */
interface Probes {
  auditRows(): Promise<number>;
  /** CPU ms by backend pid of the database server, or null when not measurable. */
  dbCpu(): Promise<Map<number, number> | null>;
}

async function runScenario(
  name: string,
  counter: StatementCounter,
  probes: Probes,
  warmup: number,
  requests: number,
  step: Step,
): Promise<ScenarioResult> {
  for (let i = 0; i < warmup; i++) await step(i);
  const auditBefore = await probes.auditRows();
  const dbCpuBefore = await probes.dbCpu();
  const samples: Sample[] = [];
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < requests; i++) {
    counter.count = 0;
    const t0 = performance.now();
    const { variant, rows } = await step(warmup + i);
    const ms = performance.now() - t0;
    samples.push({ variant, ms, statements: counter.count, rows });
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const dbCpuAfter = await probes.dbCpu();
  const dbCpuMsPerRequest = dbCpuBefore && dbCpuAfter ? cpuDeltaMs(dbCpuBefore, dbCpuAfter) / requests : null;
  const auditRowsPerRequest = ((await probes.auditRows()) - auditBefore) / requests;
  return { name, samples, wallMs, cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / requests, dbCpuMsPerRequest, auditRowsPerRequest };
}

/** Creates the PostgreSQL benchmark database afresh; null (with the reason) when the server is unreachable. */
async function freshPostgres(url: string): Promise<string | null> {
  const u = new URL(url);
  const dbName = u.pathname.replace(/^\//, "");
  if (!/^[a-z_][a-z0-9_]*$/.test(dbName)) throw new Error(`BENCH_DATABASE_URL database name must be a plain identifier (got ${JSON.stringify(dbName)})`);
  const adminUrl = new URL(url);
  adminUrl.pathname = "/postgres";
  const admin = await createDb(adminUrl.toString(), { poolMax: 1 });
  try {
    await admin.db.execute(sql`select 1`);
  } catch (e) {
    await admin.close().catch(() => undefined);
    return `PostgreSQL at ${u.hostname}:${u.port || 5432} unreachable (${(e as Error).message})`;
  }
  try {
    await admin.db.execute(sql.raw(`drop database if exists "${dbName}" with (force)`));
    await admin.db.execute(sql.raw(`create database "${dbName}"`));
  } finally {
    await admin.close();
  }
  return null;
}

async function benchDatabase(name: string, url: string, cleanup: () => void): Promise<DatabaseResult> {
  const rss = new RssSampler().start();
  const counter = new StatementCounter();
  const handle: DbHandle = await createDb(url, { onQuery: counter.onQuery, poolMax: 10 });
  let server: ReturnType<Awaited<ReturnType<typeof createApp>>["app"]["listen"]> | undefined;
  let stopApp: (() => Promise<void>) | undefined;
  try {
    console.log(`\n== ${name}: ${handle.location}`);
    let t0 = performance.now();
    await handle.migrate();
    const migrateMs = performance.now() - t0;
    t0 = performance.now();
    const seed = await seedBenchSite(handle.db, { patients: PATIENTS, today: new Date(), password: PASSWORD });
    const seedMs = performance.now() - t0;
    // Flush the load's dirty buffers now rather than during the timed requests (needs superuser or pg_checkpoint).
    if (handle.kind === "postgres") await handle.db.execute(sql`checkpoint`).catch(() => undefined);
    const total = Object.values(seed.rows).reduce((a, b) => a + b, 0);
    console.log(`migrate ${(migrateMs / 1000).toFixed(1)} s; seed ${(seedMs / 1000).toFixed(1)} s (${total.toLocaleString("en")} rows in ${seed.statements} INSERT statements, then VACUUM ANALYZE)`);
    console.log(`  ${Object.entries(seed.rows).map(([k, v]) => `${k} ${v.toLocaleString("en")}`).join(", ")}`);

    // The default cost limit (5000) refuses the page of 50 this benchmark measures (see the
    // report): raise it here so the queries run; BENCH_MAX_COST=5000 shows the refusal.
    const config = loadConfig({ NODE_ENV: "production", LOG_LEVEL: "silent", SEED_DEMO: "false", GRAPHQL_MAX_COST: MAX_COST });
    const app = await createApp({ config, db: handle.db, logger: createLogger("silent") });
    stopApp = app.stop;
    const listening = app.app.listen(0, "127.0.0.1");
    server = listening;
    await new Promise<void>((resolve) => listening.once("listening", () => resolve()));
    const base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}/graphql`;
    const client = new GqlClient(base);
    await client.login(seed.coordinatorEmail, PASSWORD);

    const rowsOf = async <T>(q: SQL) => (await handle.db.execute(q)) as unknown as { rows: T[] };
    const localServer = handle.kind === "postgres" && ["127.0.0.1", "localhost", "[::1]"].includes(new URL(url).hostname);
    const probes: Probes = {
      auditRows: async () => Number((await rowsOf<{ n: number }>(sql`select count(*)::int as n from audit_event`)).rows[0]?.n ?? 0),
      dbCpu: async () => {
        if (!localServer) return null;
        const pids = (await rowsOf<{ pid: number }>(sql`select pid from pg_stat_activity where datname = current_database()`)).rows;
        return processCpuMs(pids.map((r) => Number(r.pid)));
      },
    };
    const patients = (vars: Record<string, unknown>) => client.request<PatientsData>(PATIENTS_QUERY, vars);

    // One representative page of 50: keep the statement texts for the report.
    counter.log = [];
    counter.count = 0;
    await patients({ first: 50 });
    const statementsOfOnePage = counter.log.map((q) => q.replace(/\s+/g, " ").slice(0, 100));
    counter.log = null;

    // Mixed patient list workload: paging by name (next-page cursors), search, next-due worklist.
    const cursors: { name: string | null; due: string | null; namePages: number; duePages: number } = { name: null, due: null, namePages: 0, duePages: 0 };
    const mixed: Step = async (i) => {
      const slot = i % 10;
      if (slot < 6) {
        if (cursors.namePages >= 40) Object.assign(cursors, { name: null, namePages: 0 });
        const d = await patients({ first: 50, after: cursors.name });
        cursors.name = d.patients.pageInfo.endCursor;
        cursors.namePages++;
        return { variant: "by name, next page", rows: d.patients.edges.length };
      }
      if (slot < 8) {
        const term = seed.searchTerms[Math.floor(i / 10) % seed.searchTerms.length]!;
        const d = await patients({ first: 50, filter: { search: term } });
        return { variant: "search term", rows: d.patients.edges.length };
      }
      if (cursors.duePages >= 10) Object.assign(cursors, { due: null, duePages: 0 });
      const d = await patients({ first: 50, after: cursors.due, orderBy: { field: "NEXT_DUE", direction: "ASC" } });
      cursors.due = d.patients.pageInfo.endCursor;
      cursors.duePages++;
      return { variant: "orderBy NEXT_DUE", rows: d.patients.edges.length };
    };
    const scenarios: ScenarioResult[] = [];
    scenarios.push(await runScenario("patients first:50 (mix)", counter, probes, WARMUP, REQUESTS, mixed));

    let dueCursor: string | null = null;
    scenarios.push(
      await runScenario("cyclesDue this week first:50", counter, probes, WARMUP, REQUESTS, async (i) => {
        // Mostly the first page; every fourth request the next one.
        const after = i % 4 === 3 ? dueCursor : null;
        const d = await client.request<CyclesDueData>(CYCLES_DUE_QUERY, { first: 50, after });
        if (!after) dueCursor = d.cyclesDue.pageInfo.endCursor;
        return { variant: after ? "page 2" : "page 1", rows: d.cyclesDue.edges.length };
      }),
    );

    for (const size of [10, 50, 200]) {
      scenarios.push(
        await runScenario(`patients first:${size} (by name)`, counter, probes, 5, PAGE_SIZE_REQUESTS, async () => {
          const d = await patients({ first: size });
          return { variant: "first page", rows: d.patients.edges.length };
        }),
      );
    }
    return { name, location: handle.location, seedMs, migrateMs, seed, scenarios, statementsOfOnePage, peakRssBytes: rss.stop() };
  } finally {
    rss.stop();
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    if (stopApp) await stopApp();
    await handle.close();
    cleanup();
  }
}

const ms = (x: number) => x.toFixed(1);

/** Statements per request: one number when constant, else min–max with the median. */
function stmtRange(samples: readonly Sample[]): string {
  const s = summarise(samples.map((x) => x.statements));
  const min = Math.min(...samples.map((x) => x.statements));
  return min === s.max ? `${min}` : `${min}–${s.max} (p50 ${s.p50})`;
}

function report(results: readonly DatabaseResult[]): void {
  const rows: string[][] = [];
  for (const r of results) {
    for (const sc of r.scenarios) {
      const s: Summary = summarise(sc.samples.map((x) => x.ms));
      const rowsPer = sc.samples.reduce((a, b) => a + b.rows, 0) / sc.samples.length;
      rows.push([r.name, sc.name, String(s.n), ms(s.p50), ms(s.p95), ms(s.max), (sc.samples.length / (sc.wallMs / 1000)).toFixed(1), sc.cpuMsPerRequest.toFixed(1), sc.dbCpuMsPerRequest === null ? "-" : sc.dbCpuMsPerRequest.toFixed(1), stmtRange(sc.samples), rowsPer.toFixed(0), sc.auditRowsPerRequest.toFixed(0)]);
      const variants = [...new Set(sc.samples.map((x) => x.variant))];
      if (variants.length > 1) {
        for (const v of variants) {
          const sub = sc.samples.filter((x) => x.variant === v);
          const vs = summarise(sub.map((x) => x.ms));
          rows.push(["", `  · ${v}`, String(vs.n), ms(vs.p50), ms(vs.p95), ms(vs.max), "", "", "", stmtRange(sub), (sub.reduce((a, b) => a + b.rows, 0) / sub.length).toFixed(0), ""]);
        }
      }
    }
  }
  console.log("\nLatency per request over HTTP (ms), sequential requests after warm-up. SQL statements per request include the");
  console.log("session lookup (1, plus 1 UPDATE of last_seen_at at most once a minute) and the audit flush INSERT (1).");
  console.log("node CPU = this process (HTTP client + app; PGlite runs inside it). PG CPU = the PostgreSQL backends of the");
  console.log("benchmark database (/proc, local server only). CPU per request does not depend on how busy the machine is.\n");
  console.log(table(["database", "query", "n", "p50", "p95", "max", "req/s", "node CPU ms/req", "PG CPU ms/req", "SQL stmts/req", "rows/resp", "audit rows/req"], rows));
  console.log("");
  for (const r of results) {
    console.log(`${r.name}: peak RSS during its phase ${mib(r.peakRssBytes)}; SQL of one patients page of 50:`);
    for (const q of r.statementsOfOnePage) console.log(`    ${q}`);
  }
  console.log(`process peak RSS (whole run): ${mib(process.resourceUsage().maxRSS * 1024)}`);
  console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(" ")} on ${availableParallelism()} CPUs (latencies are only comparable on a quiet machine)`);

  const verdicts: string[] = [];
  let met = true;
  const pgResult = results.find((r) => r.name === "PostgreSQL");
  if (pgResult) {
    const p95 = summarise(pgResult.scenarios[0]!.samples.map((x) => x.ms)).p95;
    const ok = p95 <= TARGET_P95_MS;
    met &&= ok;
    verdicts.push(`PostgreSQL p95 ${ms(p95)} ms for a page of 50 ${ok ? "≤" : ">"} ${TARGET_P95_MS} ms`);
  } else {
    met = false;
    verdicts.push("PostgreSQL not measured");
  }
  for (const r of results) {
    const bySize = r.scenarios.filter((s) => / \(by name\)$/.test(s.name)).map((s) => summarise(s.samples.map((x) => x.statements)).p50);
    const constant = bySize.every((n) => n === bySize[0]);
    met &&= constant;
    verdicts.push(`${r.name} statements per request for pages of 10/50/200: ${bySize.join("/")} (${constant ? "constant" : "GROWS"})`);
  }
  console.log(`\nTarget: PostgreSQL p95 ≤ ${TARGET_P95_MS} ms for a page of 50; statements per request constant in page size.`);
  console.log(`VERDICT: ${met ? "MET" : "MISSED"} — ${verdicts.join("; ")}`);
}

async function main(): Promise<void> {
  const which = (process.env.BENCH_DATABASES ?? "pglite,postgres").split(",").map((s) => s.trim());
  console.log(`Lutetia API benchmark: ${PATIENTS.toLocaleString("en")} patients, ${WARMUP} warm-up + ${REQUESTS} measured requests per list query, ${PAGE_SIZE_REQUESTS} per page size; Node ${process.version}; load average ${loadavg().map((x) => x.toFixed(1)).join(" ")} on ${availableParallelism()} CPUs`);
  const results: DatabaseResult[] = [];
  if (which.includes("pglite")) {
    const dir = mkdtempSync(path.join(tmpdir(), "lutetia-bench-"));
    results.push(await benchDatabase("PGlite", `pglite://${dir}`, () => rmSync(dir, { recursive: true, force: true })));
  }
  if (which.includes("postgres")) {
    const url = process.env.BENCH_DATABASE_URL ?? DEFAULT_PG_URL;
    const unreachable = await freshPostgres(url);
    if (unreachable) console.log(`\n== PostgreSQL skipped: ${unreachable}`);
    else results.push(await benchDatabase("PostgreSQL", url, () => undefined));
  }
  report(results);
}

const started = performance.now();
main()
  .then(() => console.log(`total bench time ${((performance.now() - started) / 1000).toFixed(0)} s`))
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
