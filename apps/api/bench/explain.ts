/**
 * EXPLAIN ANALYZE of the statements behind the patient list and cyclesDue, current form next to
 * the proposed form, on the database left by `npm run bench:api` (site BENCH).
 *
 *   npx tsx bench/explain.ts            (BENCH_DATABASE_URL as for the benchmark)
 *
 * Prints execution time, planning time and JIT time as reported by PostgreSQL (median of
 * `BENCH_EXPLAIN_RUNS`, default 5) and the top plan node. Read-only apart from one audit INSERT
 * inside a transaction that is rolled back.
 */
import { sql, type SQL } from "drizzle-orm";
import { createDb } from "@lutetia/db";

const url = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/lutetia_bench";
const RUNS = Number(process.env.BENCH_EXPLAIN_RUNS ?? 5);
const PENDING = sql.raw(`('PLANNED', 'READY', 'DELAYED')`);

interface PlanJson {
  Plan: { "Node Type": string; "Actual Rows": number };
  "Planning Time": number;
  "Execution Time": number;
  JIT?: { Timing?: { Total?: number } };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  const h = await createDb(url, { poolMax: 1 });
  try {
    const rowsOf = async <T>(q: SQL) => (await h.db.execute(q)) as unknown as { rows: T[] };
    const [s] = (await rowsOf<{ id: string }>(sql`select id from site where code = 'BENCH'`)).rows;
    if (!s) throw new Error(`no BENCH site at ${h.location}: run npm run bench:api first`);
    const site = s.id;
    const ids = (await rowsOf<{ id: string }>(sql`select id from patient where site_id = ${site} order by family_name, given_name, id offset 1000 limit 50`)).rows.map((r) => r.id);
    const idList = sql.join(ids.map((id) => sql`${id}`), sql`, `);
    const hasPartial = (await rowsOf<{ n: number }>(sql`select count(*)::int as n from pg_indexes where indexname = 'therapy_cycle_pending_patient'`)).rows[0]?.n === 1;
    const nd = sql`(select patient_id, min(planned_date) as next_due from therapy_cycle where site_id = ${site} and status in ${PENDING} group by patient_id) nd`;

    const cases: [string, SQL][] = [
      ["session lookup (token hash, joins user + membership)", sql`select s.id, m.role from session s join app_user u on u.id = s.user_id left join membership m on m.user_id = s.user_id and m.site_id = s.site_id where s.token_hash = 'x' and s.revoked_at is null`],
      ["patients by name, offset 1000 — current: count(*) over()", sql`select p.*, count(*) over() from patient p where site_id = ${site} order by family_name, given_name, id limit 51 offset 1000`],
      ["patients by name, offset 1000 — proposed: page only", sql`select p.* from patient p where site_id = ${site} order by family_name, given_name, id limit 51 offset 1000`],
      ["patients total — proposed: count(*) beside the page", sql`select count(*) from patient where site_id = ${site}`],
      ["patients search 'moss' — current: count(*) over()", sql`select p.*, count(*) over() from patient p where site_id = ${site} and search_text ilike '%moss%' order by family_name, given_name, id limit 51`],
      ["patients NEXT_DUE, offset 100 — current: correlated min() per patient", sql`select p.*, count(*) over() from patient p where site_id = ${site} order by (select min(c.planned_date) from therapy_cycle c where c.patient_id = p.id and c.status in ${PENDING}) asc nulls last, family_name, id limit 51 offset 100`],
      [`patients NEXT_DUE, offset 100 — proposed: join once (partial index ${hasPartial ? "present" : "absent"})`, sql`select p.* from patient p left join ${nd} on nd.patient_id = p.id where p.site_id = ${site} order by nd.next_due asc nulls last, p.family_name, p.id limit 51 offset 100`],
      ["loader studiesByPatient (50 patients, whole history) — current latestStudy", sql`select * from imaging_study where patient_id in (${idList}) and site_id = ${site} and voided_at is null order by performed_at desc`],
      ["loader latestStudyByPatient (distinct on) — proposed", sql`select distinct on (patient_id) * from imaging_study where patient_id in (${idList}) and site_id = ${site} and voided_at is null order by patient_id, performed_at desc, id desc`],
      ["loader diagnosesByPatient (50 patients)", sql`select * from diagnosis where patient_id in (${idList}) and site_id = ${site} and voided_at is null order by diagnosed_on desc, created_at desc`],
      ["loader coursesByPatient (50 patients)", sql`select * from therapy_course where patient_id in (${idList}) and site_id = ${site} order by created_at desc`],
      ["loader pendingCyclesByPatient (50 patients)", sql`select * from therapy_cycle where patient_id in (${idList}) and site_id = ${site} and status in ${PENDING} order by planned_date, number`],
      ["cyclesDue page (this week, first 50)", sql`select * from therapy_cycle where site_id = ${site} and planned_date >= current_date and planned_date <= current_date + 7 and status in ${PENDING} order by planned_date, id limit 51`],
      ["cyclesDue count", sql`select count(*) from therapy_cycle where site_id = ${site} and planned_date >= current_date and planned_date <= current_date + 7 and status in ${PENDING}`],
      ["audit flush, 700 rows (rolled back)", sql`insert into audit_event (actor_user_id, site_id, action, entity_type, entity_id, patient_id, outcome, request_id) select gen_random_uuid(), ${site}, 'ImagingStudy.read', 'ImagingStudy', gen_random_uuid(), gen_random_uuid(), 'SUCCESS', 'explain' from generate_series(1, 700)`],
    ];
    console.log(`EXPLAIN (ANALYZE, FORMAT JSON) on ${h.location}, median of ${RUNS} runs (ms)\n`);
    console.log(`${"execution".padStart(9)} ${"planning".padStart(8)} ${"JIT".padStart(6)}  rows  top node / statement`);
    for (const [label, q] of cases) {
      const exec: number[] = [];
      const plan: number[] = [];
      const jit: number[] = [];
      let node = "";
      let rows = 0;
      for (let i = 0; i < RUNS; i++) {
        await h.db.execute(sql`begin`);
        try {
          const r = await rowsOf<{ "QUERY PLAN": PlanJson[] }>(sql`explain (analyze, format json) ${q}`);
          const p = r.rows[0]!["QUERY PLAN"][0]!;
          exec.push(p["Execution Time"]);
          plan.push(p["Planning Time"]);
          jit.push(p.JIT?.Timing?.Total ?? 0);
          node = p.Plan["Node Type"];
          rows = p.Plan["Actual Rows"];
        } finally {
          await h.db.execute(sql`rollback`);
        }
      }
      console.log(`${median(exec).toFixed(2).padStart(9)} ${median(plan).toFixed(2).padStart(8)} ${median(jit).toFixed(1).padStart(6)} ${String(rows).padStart(5)}  ${label} [${node}]`);
    }
  } finally {
    await h.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
