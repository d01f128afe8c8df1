import argon2 from "argon2";
import { isNull, sql } from "drizzle-orm";
import { appUser, ensureCatalogue, membership, radiopharmaceutical, site, type Db } from "@lutetia/db";
import { BulkInsert, type Cell } from "./bulk";
import { Prng } from "./prng";

/**
 * Synthetic benchmark site: fictitious patients across the PRRT pathway, written with bulk
 * `unnest` inserts. Every name is invented (colour/plant syllables); MRNs are `BN-000001`…
 * Dates are relative to `today`, so "cycles due this week" always has rows.
 */
export interface SeedOptions {
  patients: number;
  today: Date;
  /** Password of the benchmark coordinator. */
  password: string;
  seed?: number;
}

export interface SeedSummary {
  siteId: string;
  coordinatorEmail: string;
  rows: Record<string, number>;
  statements: number;
  /** Search terms with known hit counts, for the list benchmark. */
  searchTerms: string[];
}

const DAY_MS = 86_400_000;
const PATIENTS_PER_CHUNK = 1000;

const FAMILY_A = ["Amber", "Birch", "Cedar", "Dune", "Elder", "Fern", "Gorse", "Hazel", "Iris", "Juniper", "Kelp", "Larch", "Moss", "Nettle", "Olive", "Poppy", "Quill", "Rowan", "Sorrel", "Tansy", "Umber", "Vetch", "Willow", "Yarrow", "Zinnia", "Aspen", "Bramble", "Clover", "Daisy", "Ember", "Flax", "Ginger", "Heath", "Ivy", "Jasper", "Kale", "Lichen", "Myrtle", "Nutmeg", "Ochre"];
const FAMILY_B = ["brook", "dale", "field", "ford", "gate", "hill", "holt", "lane", "mere", "moor", "ridge", "stone", "thorn", "vale", "well", "wick", "wood", "worth", "combe", "croft", "fell", "hurst", "marsh", "shaw", "ton"];
const GIVEN = ["Alex", "Sam", "Robin", "Kim", "Charlie", "Jo", "Avery", "Blake", "Casey", "Dana", "Eden", "Finley", "Gale", "Harper", "Indy", "Jules", "Kai", "Lee", "Morgan", "Noel", "Oakley", "Parker", "Quinn", "Reese", "Sky", "Taylor", "Uri", "Vale", "Wren", "Yael"];
const PRIMARY = ["Small intestine (ileum)", "Pancreas", "Rectum", "Lung (bronchial)", "Stomach", "Unknown primary"];
const ORGANS = ["Liver", "Lymph node", "Bone", "Mesentery", "Peritoneum", "Lung"];

const LAB_PANEL: readonly (readonly [analyte: string, lo: number, hi: number, unit: string])[] = [
  ["HAEMOGLOBIN", 10.5, 15.5, "g/dL"],
  ["WBC", 3.5, 9.5, "10^9/L"],
  ["NEUTROPHILS", 1.8, 6.5, "10^9/L"],
  ["LYMPHOCYTES", 0.6, 2.5, "10^9/L"],
  ["PLATELETS", 120, 380, "10^9/L"],
  ["CREATININE", 55, 115, "µmol/L"],
  ["EGFR", 45, 105, "mL/min/1.73m²"],
  ["BILIRUBIN", 4, 20, "µmol/L"],
  ["ALBUMIN", 32, 47, "g/L"],
  ["ALT", 8, 45, "U/L"],
  ["AST", 10, 40, "U/L"],
  ["CHROMOGRANIN_A", 40, 900, "µg/L"],
];

const PRE_CYCLE = ["HAEMOGLOBIN", "WBC", "NEUTROPHILS", "PLATELETS", "CREATININE", "EGFR"];
const FOLLOW_UP = ["CHROMOGRANIN_A", "ALT", "AST"];

const MUTABLE_NOW = (d: Date): Cell[] => [d, d];

/**
 * Creates the site, one coordinator (argon2id, like the test harness) and the patient data.
 * Rows per table are returned with the number of INSERT statements used.
 */
export async function seedBenchSite(db: Db, opts: SeedOptions): Promise<SeedSummary> {
  const rnd = new Prng(opts.seed ?? 20_260_421);
  await ensureCatalogue(db);
  const agents = await db.select().from(radiopharmaceutical).where(isNull(radiopharmaceutical.siteId));
  const agent = (name: string) => {
    const a = agents.find((x) => x.name === name);
    if (!a) throw new Error(`catalogue entry ${name} missing (ensureCatalogue)`);
    return a.id;
  };
  const lu = agent("177Lu-DOTATATE");
  const ga = agent("68Ga-DOTATATE");
  const fdg = agent("18F-FDG");

  const [s] = await db.insert(site).values({ code: "BENCH", name: "Benchmark Hospital (fictitious)" }).returning();
  const siteId = s!.id;
  const coordinatorEmail = "coordinator@bench.lutetia.test";
  const passwordHash = await argon2.hash(opts.password, { type: argon2.argon2id });
  const [u] = await db.insert(appUser).values({ email: coordinatorEmail, displayName: "Bench Coordinator", passwordHash }).returning();
  const userId = u!.id;
  await db.insert(membership).values({ userId, siteId, role: "COORDINATOR" });

  const today = Date.UTC(opts.today.getUTCFullYear(), opts.today.getUTCMonth(), opts.today.getUTCDate());
  const day = (offset: number) => new Date(today + offset * DAY_MS).toISOString().slice(0, 10);
  const at = (offset: number, hour: number, minute = 0) => new Date(today + offset * DAY_MS + (hour * 60 + minute) * 60_000);

  const t = {
    patient: new BulkInsert(db, "patient", [
      ["id", "uuid"], ["site_id", "uuid"], ["mrn", "text"], ["family_name", "text"], ["given_name", "text"],
      ["birth_date", "date"], ["sex", "sex"], ["height_cm", "float8"], ["status", "patient_status"], ["search_text", "text"],
      ["closed_at", "timestamptz"], ["created_at", "timestamptz"], ["updated_at", "timestamptz"],
    ]),
    bodyWeight: new BulkInsert(db, "body_weight", [
      ["id", "uuid"], ["site_id", "uuid"], ["patient_id", "uuid"], ["weight_kg", "float8"], ["measured_at", "timestamptz"],
    ]),
    diagnosis: new BulkInsert(db, "diagnosis", [
      ["id", "uuid"], ["site_id", "uuid"], ["patient_id", "uuid"], ["primary_site", "text"], ["histology", "text"],
      ["who_grade", "who_grade"], ["ki67_percent", "float8"], ["differentiation", "differentiation"],
      ["functional_syndrome", "text"], ["diagnosed_on", "date"], ["created_at", "timestamptz"], ["updated_at", "timestamptz"],
    ]),
    course: new BulkInsert(db, "therapy_course", [
      ["id", "uuid"], ["site_id", "uuid"], ["patient_id", "uuid"], ["radiopharmaceutical_id", "uuid"], ["intent", "course_intent"],
      ["planned_cycles", "int4"], ["planned_activity_mbq", "float8"], ["interval_days", "int4"], ["status", "course_status"],
      ["started_on", "date"], ["ended_on", "date"], ["stop_reason", "text"], ["created_at", "timestamptz"], ["updated_at", "timestamptz"],
    ]),
    cycle: new BulkInsert(db, "therapy_cycle", [
      ["id", "uuid"], ["site_id", "uuid"], ["patient_id", "uuid"], ["course_id", "uuid"], ["number", "int4"],
      ["planned_date", "date"], ["status", "cycle_status"], ["calibrated_activity_mbq", "float8"], ["calibration_time", "timestamptz"],
      ["residual_activity_mbq", "float8"], ["residual_time", "timestamptz"], ["infusion_start", "timestamptz"],
      ["infusion_end", "timestamptz"], ["net_activity_mbq", "float8"], ["amino_acid_infusion", "bool"], ["lot", "text"],
      ["administered_by", "uuid"],
    ]),
    study: new BulkInsert(db, "imaging_study", [
      ["id", "uuid"], ["site_id", "uuid"], ["patient_id", "uuid"], ["modality", "modality"], ["tracer_id", "uuid"],
      ["performed_at", "timestamptz"], ["injected_activity_mbq", "float8"], ["injected_at", "timestamptz"], ["weight_kg", "float8"],
      ["purpose", "study_purpose"], ["cycle_id", "uuid"], ["study_instance_uid", "text"],
    ]),
    lab: new BulkInsert(db, "lab_result", [
      ["id", "uuid"], ["site_id", "uuid"], ["patient_id", "uuid"], ["analyte", "lab_analyte"], ["value", "float8"], ["unit", "text"],
      ["reported_value", "float8"], ["reported_unit", "text"], ["sampled_at", "timestamptz"],
    ]),
    lesion: new BulkInsert(db, "lesion", [
      ["id", "uuid"], ["site_id", "uuid"], ["patient_id", "uuid"], ["label", "text"], ["organ", "text"], ["first_seen_on", "date"],
    ]),
    measurement: new BulkInsert(db, "lesion_measurement", [
      ["id", "uuid"], ["site_id", "uuid"], ["patient_id", "uuid"], ["lesion_id", "uuid"], ["study_id", "uuid"], ["suv_max", "float8"],
      ["suv_peak", "float8"], ["suv_mean", "float8"], ["mtv_ml", "float8"], ["long_axis_mm", "float8"], ["krenning_score", "int4"],
      ["is_target", "bool"], ["method", "measurement_method"], ["provenance", "jsonb"],
    ]),
  };
  const order = [t.patient, t.bodyWeight, t.diagnosis, t.course, t.cycle, t.study, t.lab, t.lesion, t.measurement];

  for (let i = 0; i < opts.patients; i++) {
    seedPatient(i);
    if ((i + 1) % PATIENTS_PER_CHUNK === 0 || i === opts.patients - 1) {
      for (const b of order) await b.flush();
    }
  }

  function seedPatient(i: number): void {
    const pid = rnd.uuid();
    const mrn = `BN-${String(i + 1).padStart(6, "0")}`;
    const familyName = rnd.pick(FAMILY_A) + rnd.pick(FAMILY_B);
    const givenName = rnd.pick(GIVEN);
    const weightKg = rnd.real(48, 105);
    // First cycle between ~25 months ago and ~7 weeks ahead; referral ~2 months before it.
    const start = rnd.int(-760, 50);
    const referral = start - rnd.int(35, 90);
    const interval = 56;

    // Course 1: four cycles every 8 weeks (a few stopped early), statuses follow the calendar.
    const courses: { id: string; start: number; cycles: number; intent: string; created: number }[] = [
      { id: rnd.uuid(), start, cycles: 4, intent: rnd.chance(0.1) ? "DOSIMETRY_GUIDED" : "STANDARD", created: referral + 20 },
    ];
    const lastOfFirst = start + 3 * interval;
    if (lastOfFirst < -200 && rnd.chance(0.25)) {
      const rs = lastOfFirst + rnd.int(250, 500);
      courses.push({ id: rnd.uuid(), start: rs, cycles: 2, intent: "RETREATMENT", created: rs - 30 });
    }
    const administered: { id: string; day: number }[] = [];
    let patientStatus = "IN_WORKUP";
    let closed: Date | null = null;
    for (const c of courses) {
      const stopAfter = rnd.chance(0.03) ? 2 : Infinity;
      let done = 0;
      let pending = 0;
      let cancelled = 0;
      for (let k = 1; k <= c.cycles; k++) {
        const cid = rnd.uuid();
        let planned = c.start + (k - 1) * interval + (k > 1 ? rnd.int(-3, 7) : 0);
        let status: string;
        if (k > stopAfter && c.start + stopAfter * interval < 0) status = "CANCELLED";
        else if (planned < -3) status = "ADMINISTERED";
        else if (planned < 0) status = "DELAYED";
        else status = planned <= 7 && rnd.chance(0.5) ? "READY" : "PLANNED";
        if (status === "DELAYED") planned = rnd.int(0, 10);
        if (status === "ADMINISTERED") {
          const calibrated = rnd.real(7200, 7600);
          const residual = rnd.real(50, 350);
          t.cycle.push([
            cid, siteId, pid, c.id, k, day(planned), status, calibrated, at(planned, 7), residual, at(planned, 11),
            at(planned, 9, 30), at(planned, 10), Math.round((calibrated * 0.9935 - residual * 1.004) * 10) / 10, true,
            `LOT-${(i * 7 + k).toString(36).toUpperCase()}`, userId,
          ]);
          administered.push({ id: cid, day: planned });
          done++;
        } else {
          t.cycle.push([cid, siteId, pid, c.id, k, day(planned), status, null, null, null, null, null, null, null, null, null, null]);
          if (status === "CANCELLED") cancelled++;
          else pending++;
        }
      }
      const cStatus = cancelled > 0 ? "STOPPED" : pending === 0 ? "COMPLETED" : done > 0 ? "ACTIVE" : "PLANNED";
      const startedOn = done > 0 ? day(c.start) : null;
      const endedOn = cStatus === "COMPLETED" || cStatus === "STOPPED" ? day(administered[administered.length - 1]?.day ?? c.start) : null;
      t.course.push([
        c.id, siteId, pid, lu, c.intent, c.cycles, 7400, interval, cStatus, startedOn, endedOn,
        cStatus === "STOPPED" ? "Grade 3 thrombocytopenia" : null, ...MUTABLE_NOW(at(c.created, 12)),
      ]);
      patientStatus = cStatus === "ACTIVE" ? "ON_TREATMENT" : cStatus === "PLANNED" ? "IN_WORKUP" : "FOLLOW_UP";
    }
    if (patientStatus === "FOLLOW_UP" && start < -700 && rnd.chance(0.2)) {
      patientStatus = "CLOSED";
      closed = at(-rnd.int(1, 30), 15);
    }
    const created = at(referral, 9);
    t.patient.push([
      pid, siteId, mrn, familyName, givenName,
      `${rnd.int(1940, 1990)}-${String(rnd.int(1, 12)).padStart(2, "0")}-${String(rnd.int(1, 28)).padStart(2, "0")}`,
      rnd.chance(0.5) ? "FEMALE" : "MALE", rnd.int(150, 195), patientStatus, `${familyName} ${givenName} ${mrn}`.toLowerCase(),
      closed, created, closed ?? created,
    ]);
    t.bodyWeight.push([rnd.uuid(), siteId, pid, weightKg, at(referral, 9, 30)]);

    const ki67 = rnd.real(0.5, 19);
    const diagnosedOn = referral - rnd.int(30, 900);
    const primary = rnd.pick(PRIMARY);
    t.diagnosis.push([
      rnd.uuid(), siteId, pid, primary, "Neuroendocrine tumour", ki67 < 3 ? "G1" : "G2", ki67, "WELL",
      rnd.chance(0.3) ? "Carcinoid syndrome" : null, day(diagnosedOn), ...MUTABLE_NOW(at(referral, 10)),
    ]);
    if (rnd.chance(0.4)) {
      const ki = Math.min(35, Math.round((ki67 + rnd.real(1, 12)) * 10) / 10);
      t.diagnosis.push([
        rnd.uuid(), siteId, pid, primary, "Neuroendocrine tumour (re-biopsy)", ki < 3 ? "G1" : ki <= 20 ? "G2" : "G3", ki, "WELL",
        null, day(referral - rnd.int(1, 25)), ...MUTABLE_NOW(at(referral, 11)),
      ]);
    }

    // Imaging: baseline SSTR PET (+ CT), post-therapy SPECT after each administration, then restaging.
    const studies: { id: string; pet: boolean }[] = [];
    let uid = 0;
    const study = (offset: number, modality: string, tracer: string | null, purpose: string, cycleId: string | null) => {
      if (offset > 0) return;
      const id = rnd.uuid();
      const isPet = modality === "PET";
      const injected = isPet ? rnd.real(120, 220) : modality === "SPECT" ? null : null;
      t.study.push([
        id, siteId, pid, modality, tracer, at(offset, 11), injected, isPet ? at(offset, 10) : null, isPet ? weightKg : null,
        purpose, cycleId, `2.25.${1_000_000 + i}.${++uid}`,
      ]);
      studies.push({ id, pet: isPet });
    };
    study(referral - 10, "PET", ga, "BASELINE", null);
    study(referral - 9, "CT", null, "BASELINE", null);
    if (rnd.chance(0.3)) study(referral - 7, "PET", fdg, "BASELINE", null);
    for (const a of administered) study(a.day + 1, "SPECT", lu, "POST_THERAPY", a.id);
    const extra = rnd.int(2, 8);
    for (let k = 0; k < extra; k++) {
      const off = referral + rnd.int(30, Math.max(31, -referral));
      const pet = rnd.chance(0.6);
      study(off, pet ? "PET" : rnd.chance(0.7) ? "CT" : "MRI", pet ? ga : null, off > lastOfFirst ? "FOLLOW_UP" : "RESTAGING", null);
    }

    // Labs: the full panel at work-up, haematology + renal before each administration, and
    // chromogranin A / liver tests at follow-up.
    const panel = (offset: number, analytes: readonly string[] | null) => {
      if (offset > 0) return;
      for (const [analyte, lo, hi, unit] of LAB_PANEL) {
        if (analytes && !analytes.includes(analyte)) continue;
        const v = rnd.real(lo, hi);
        t.lab.push([rnd.uuid(), siteId, pid, analyte, v, unit, v, unit, at(offset, 8)]);
      }
    };
    panel(referral - 3, null);
    for (const a of administered) panel(a.day - 2, PRE_CYCLE);
    if (patientStatus === "FOLLOW_UP" || patientStatus === "CLOSED") panel(lastOfFirst + rnd.int(60, 120), FOLLOW_UP);

    // Lesions with measurements on up to three SSTR PETs, for about a third of patients.
    if (rnd.chance(0.33)) {
      const pets = studies.filter((x) => x.pet).slice(0, 3);
      const n = rnd.int(1, 4);
      for (let l = 1; l <= n; l++) {
        const lid = rnd.uuid();
        t.lesion.push([lid, siteId, pid, `L${l}`, l === 1 ? "Liver" : rnd.pick(ORGANS), day(referral - 10)]);
        for (const st of pets) {
          const suvMax = rnd.real(6, 45);
          t.measurement.push([
            rnd.uuid(), siteId, pid, lid, st.id, suvMax, Math.round(suvMax * 0.8 * 10) / 10, Math.round(suvMax * 0.55 * 10) / 10,
            rnd.real(1, 120), rnd.real(8, 60), rnd.int(2, 4), l <= 2, "PERCENT_MAX",
            JSON.stringify({ algorithm: "percent-max", percent: 41, synthetic: true }),
          ]);
        }
      }
    }
  }

  // Steady state before measuring: statistics for the planner and the visibility map set, so
  // autovacuum does not start on the freshly loaded tables in the middle of the timed requests.
  await db.execute(sql`vacuum (analyze)`);
  const rows: Record<string, number> = {};
  let statements = 0;
  for (const b of order) {
    rows[b.table] = b.written;
    statements += b.statements;
  }
  return { siteId, coordinatorEmail, rows, statements, searchTerms: ["birchdale", "moss", "bn-0042", "wren", "ochreton", "zz-nobody"] };
}
