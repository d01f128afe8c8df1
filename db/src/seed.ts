import argon2 from "argon2";
import { and, eq, isNull } from "drizzle-orm";
import { halfLifeS, netAdministeredActivity } from "@lutetia/quantification";
import { generateCourseSchedule, type ProtocolTemplate } from "@lutetia/protocols";
import { ensureProtocolTemplates } from "./reference-data";
import type { Db } from "./client";
import {
  boardCase,
  boardMeeting,
  appUser,
  bodyWeight,
  careEvent,
  cycleDecision,
  protocolTemplate,
  diagnosis,
  imagingStudy,
  labResult,
  lesion,
  lesionMeasurement,
  membership,
  patient,
  radiopharmaceutical,
  responseAssessment,
  site,
  therapyCourse,
  therapyCycle,
  dosimetryRecord,
  type DosimetryVoiDoc,
} from "./schema/index";

export const DEMO_SITE_CODE = "DEMO";
/** Demo-only credentials, documented in the README; seeding is refused in production. */
export const DEMO_USERS = [
  { email: "admin@demo.lutetia.test", displayName: "Demo Admin", role: "ADMIN", password: "demo-admin-lutetia" },
  { email: "coordinator@demo.lutetia.test", displayName: "Demo Coordinator", role: "COORDINATOR", password: "demo-coordinator-lutetia" },
  { email: "physician@demo.lutetia.test", displayName: "Demo Physician", role: "PHYSICIAN", password: "demo-physician-lutetia" },
  { email: "physicist@demo.lutetia.test", displayName: "Demo Physicist", role: "PHYSICIST", password: "demo-physicist-lutetia" },
  { email: "board@demo.lutetia.test", displayName: "Demo Board Member", role: "BOARD_MEMBER", password: "demo-board-lutetia" },
  { email: "viewer@demo.lutetia.test", displayName: "Demo Viewer", role: "VIEWER", password: "demo-viewer-lutetia" },
] as const;

/** Deterministic PRNG (mulberry32) so the demo data is the same on every machine. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * DAY);
const at = (day: Date, hh: number, mm = 0) => new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hh, mm));

// Clearly fictitious names (not real people): colours + trees.
const FAMILY = ["Amber", "Birch", "Cedar", "Dune", "Elm", "Fern", "Granite", "Hazel", "Iris", "Juniper", "Kestrel", "Linden", "Maple", "Nettle", "Oak"];
const GIVEN = ["Demo Alex", "Demo Sam", "Demo Robin", "Demo Kim", "Demo Charlie", "Demo Jo"];
const PRIMARY = ["Small intestine (ileum)", "Pancreas", "Rectum", "Lung (bronchial)", "Unknown primary"];

export type DemoStage = "REFERRED" | "WORKUP" | "ON_CYCLE_2" | "COMPLETED" | "RETREATED";

export interface SeedResult {
  siteId: string;
  patients: number;
  skipped: boolean;
}

/** True when the demo site exists (seed runs only once). */
export async function isSeeded(db: Db): Promise<boolean> {
  const rows = await db.select({ id: site.id }).from(site).where(eq(site.code, DEMO_SITE_CODE));
  return rows.length > 0;
}

/**
 * Seeds the demo site: one user per role and ~30 fictitious patients across the pathway
 * (referred, in work-up, on cycle 2 of 4, completed, retreated) with diagnoses, weights,
 * labs, studies, lesions and administrations (net activity decay-corrected with
 * @lutetia/quantification). Dates are relative to `today` so worklists always have content.
 * @throws Error in production.
 */
export async function seedDemo(db: Db, opts: { production: boolean; today?: Date; patients?: number }): Promise<SeedResult> {
  if (opts.production) throw new Error("Refusing to seed demo data with NODE_ENV=production");
  if (await isSeeded(db)) {
    const [s] = await db.select().from(site).where(eq(site.code, DEMO_SITE_CODE));
    return { siteId: s!.id, patients: 0, skipped: true };
  }
  const today = opts.today ?? new Date();
  const rand = rng(20260301);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const agents = await db.select().from(radiopharmaceutical).where(isNull(radiopharmaceutical.siteId));
  const agent = (name: string) => {
    const a = agents.find((x) => x.name === name);
    if (!a) throw new Error(`catalogue entry ${name} missing: run migrations (ensureCatalogue) first`);
    return a;
  };
  const lu = agent("177Lu-DOTATATE");
  const ga = agent("68Ga-DOTATATE");
  const fdg = agent("18F-FDG");
  const luHalfLife = halfLifeS("177Lu");
  await ensureProtocolTemplates(db);
  const [standard] = await db
    .select()
    .from(protocolTemplate)
    .where(and(isNull(protocolTemplate.siteId), eq(protocolTemplate.templateKey, "lu177-dotatate-standard")));
  if (!standard) throw new Error("protocol template lu177-dotatate-standard missing");
  const standardTpl = standard.definition as unknown as ProtocolTemplate;

  // Separate stream for dosimetry so the rest of the demo data stays as it was.
  const rand2 = rng(177);
  const hashes = await Promise.all(DEMO_USERS.map((u) => argon2.hash(u.password, { type: argon2.argon2id })));
  return db.transaction(async (tx) => {
    const [s] = await tx
      .insert(site)
      .values({ code: DEMO_SITE_CODE, name: "Lutetia Demo Hospital (fictitious)", timeZone: "Europe/Amsterdam", mrnPattern: "^DEMO-\\d{4}$" })
      .returning();
    const siteId = s!.id;
    let physicianId = "";
    let physicistId = "";
    const userIds: Record<string, string> = {};
    for (const [i, u] of DEMO_USERS.entries()) {
      const [row] = await tx.insert(appUser).values({ email: u.email, displayName: u.displayName, passwordHash: hashes[i]! }).returning();
      await tx.insert(membership).values({ userId: row!.id, siteId, role: u.role });
      if (u.role === "PHYSICIAN") physicianId = row!.id;
      if (u.role === "PHYSICIST") physicistId = row!.id;
      userIds[u.role] = row!.id;
    }
    const patientsByStage = new Map<DemoStage, string[]>();
    const n = opts.patients ?? 30;
    const stages: DemoStage[] = ["REFERRED", "WORKUP", "ON_CYCLE_2", "ON_CYCLE_2", "COMPLETED", "RETREATED"];
    let completedCount = 0;
    for (let i = 0; i < n; i++) {
      const stage = stages[i % stages.length]!;
      const familyName = `${FAMILY[i % FAMILY.length]!}-Demo`;
      const givenName = pick(GIVEN);
      const mrn = `DEMO-${String(i + 1).padStart(4, "0")}`;
      const birthYear = 1945 + Math.floor(rand() * 40);
      const [p] = await tx
        .insert(patient)
        .values({
          siteId,
          mrn,
          familyName,
          givenName,
          birthDate: `${birthYear}-${String(1 + Math.floor(rand() * 12)).padStart(2, "0")}-${String(1 + Math.floor(rand() * 28)).padStart(2, "0")}`,
          sex: rand() < 0.5 ? "FEMALE" : "MALE",
          heightCm: Math.round(155 + rand() * 35),
          status: stage === "REFERRED" ? "REFERRED" : stage === "WORKUP" ? "IN_WORKUP" : stage === "COMPLETED" ? "FOLLOW_UP" : "ON_TREATMENT",
          searchText: `${familyName} ${givenName} ${mrn}`.toLowerCase(),
        })
        .returning();
      const patientId = p!.id;
      patientsByStage.set(stage, [...(patientsByStage.get(stage) ?? []), patientId]);
      const weight = Math.round(55 + rand() * 45);
      const ki67 = Math.round((1 + rand() * 18) * 10) / 10;
      const diagnosedOn = addDays(today, -400 - Math.floor(rand() * 800));
      await tx.insert(diagnosis).values({
        siteId,
        patientId,
        primarySite: pick(PRIMARY),
        histology: "Neuroendocrine tumour",
        whoGrade: ki67 < 3 ? "G1" : "G2",
        ki67Percent: ki67,
        differentiation: "WELL",
        functionalSyndrome: rand() < 0.3 ? "Carcinoid syndrome" : null,
        diagnosedOn: isoDay(diagnosedOn),
      });
      await tx.insert(bodyWeight).values({ siteId, patientId, weightKg: weight, measuredAt: at(addDays(today, -20), 9) });

      // Baseline SSTR PET (+ FDG for some) for everyone past referral.
      const baselineDay = addDays(today, stage === "WORKUP" ? -7 : stage === "ON_CYCLE_2" ? -90 : stage === "COMPLETED" ? -330 : -120);
      const studies: { id: string; day: Date }[] = [];
      /** Baseline measurements (for the response-assessment follow-up below). */
      const baseLesions: { id: string; organ: string; suv: number; mtv: number; la: number; sa: number; target: boolean }[] = [];
      if (stage !== "REFERRED") {
        const [st] = await tx
          .insert(imagingStudy)
          .values({
            siteId, patientId, modality: "PET", tracerId: ga.id, performedAt: at(baselineDay, 11), purpose: "BASELINE",
            injectedActivityMBq: 150 + Math.round(rand() * 50), injectedAt: at(baselineDay, 10), weightKg: weight,
          })
          .returning();
        studies.push({ id: st!.id, day: baselineDay });
        if (i % 4 === 0) {
          await tx.insert(imagingStudy).values({
            siteId, patientId, modality: "PET", tracerId: fdg.id, performedAt: at(addDays(baselineDay, 2), 11), purpose: "BASELINE",
            injectedActivityMBq: 250, injectedAt: at(addDays(baselineDay, 2), 10), weightKg: weight,
          });
        }
        const lesions = 1 + Math.floor(rand() * 3);
        for (let l = 0; l < lesions; l++) {
          const [le] = await tx
            .insert(lesion)
            .values({ siteId, patientId, label: `L${l + 1}`, organ: l === 0 ? "Liver" : pick(["Liver", "Lymph node", "Bone", "Mesentery"]), firstSeenOn: isoDay(baselineDay) })
            .returning();
          // Rounded as a reader records them (SUV 0.01, mm 1, mL 0.1).
          const suv = round(8 + rand() * 30, 2);
          const m = { mtv: round(2 + rand() * 40, 1), la: round(12 + rand() * 40, 0), sa: round(8 + rand() * 20, 0) };
          await tx.insert(lesionMeasurement).values({
            siteId, patientId, lesionId: le!.id, studyId: st!.id, suvMax: suv, suvPeak: round(suv * 0.8, 2), suvMean: round(suv * 0.55, 2),
            mtvMl: m.mtv, longAxisMm: m.la, shortAxisMm: m.sa, krenningScore: suv > 15 ? 4 : 3,
            isTarget: l < 2, method: "MANUAL", provenance: { source: "demo seed" },
          });
          baseLesions.push({ id: le!.id, organ: le!.organ, suv, ...m, target: l < 2 });
        }
      }

      // Labs: a pre-treatment panel, and per administered cycle.
      const labPanel = async (day: Date, hbShift = 0) => {
        const values: [typeof labResult.$inferInsert["analyte"], number, string][] = [
          ["HAEMOGLOBIN", 12.5 + rand() * 2 - hbShift, "g/dL"],
          ["WBC", 4 + rand() * 5, "10^9/L"],
          ["NEUTROPHILS", 2 + rand() * 4, "10^9/L"],
          ["LYMPHOCYTES", 0.8 + rand() * 1.5, "10^9/L"],
          ["PLATELETS", 150 + rand() * 200 - hbShift * 20, "10^9/L"],
          ["CREATININE", 60 + rand() * 40, "µmol/L"],
          ["EGFR", 60 + rand() * 40, "mL/min/1.73m²"],
          ["BILIRUBIN", 5 + rand() * 12, "µmol/L"],
          ["ALBUMIN", 35 + rand() * 10, "g/L"],
          ["ALT", 10 + rand() * 30, "U/L"],
          ["AST", 10 + rand() * 30, "U/L"],
          ["CHROMOGRANIN_A", 80 + rand() * 600, "µg/L"],
        ];
        await tx.insert(labResult).values(
          values.map(([analyte, v, unit]) => {
            const value = Math.round(v * 10) / 10;
            return { siteId, patientId, analyte, value, unit, reportedValue: value, reportedUnit: unit, sampledAt: at(day, 8) };
          }),
        );
      };
      if (stage !== "REFERRED") await labPanel(addDays(baselineDay, -3));

      const administered: { cycleId: string; courseId: string; infusionStart: Date; netMBq: number }[] = [];
      const makeCourse = async (opts2: { intent: "STANDARD" | "RETREATMENT"; firstDay: Date; administered: number; status: "ACTIVE" | "COMPLETED"; cycles: number }) => {
        const [c] = await tx
          .insert(therapyCourse)
          .values({
            siteId, patientId, radiopharmaceuticalId: lu.id, intent: opts2.intent, plannedCycles: opts2.cycles, plannedActivityMBq: 7400,
            intervalDays: 56, status: opts2.status, startedOn: isoDay(opts2.firstDay),
            endedOn: opts2.status === "COMPLETED" ? isoDay(addDays(opts2.firstDay, 56 * (opts2.cycles - 1))) : null,
            protocolTemplateId: standard.id, protocolSnapshot: standard.definition,
          })
          .returning();
        const cycleIds = new Map<number, string>();
        for (let k = 1; k <= opts2.cycles; k++) {
          const day = addDays(opts2.firstDay, 56 * (k - 1));
          const done = k <= opts2.administered;
          const base = { siteId, patientId, courseId: c!.id, number: k, plannedDate: isoDay(day) };
          if (!done) {
            const [planned] = await tx.insert(therapyCycle).values({ ...base, status: k === opts2.administered + 1 ? "READY" : "PLANNED" }).returning();
            cycleIds.set(k, planned!.id);
            continue;
          }
          const calibrationTime = at(day, 7);
          const infusionStart = at(day, 10, 30);
          const residualTime = at(day, 11, 15);
          const calibratedActivityMBq = 7400 + Math.round(rand() * 300);
          const residualActivityMBq = Math.round((20 + rand() * 120) * 10) / 10;
          const net = netAdministeredActivity({
            calibratedMBq: calibratedActivityMBq, calibrationTime, residualMBq: residualActivityMBq, residualTime,
            administrationTime: infusionStart, halfLifeS: luHalfLife,
          });
          const [given] = await tx.insert(therapyCycle).values({
            ...base, status: "ADMINISTERED", calibratedActivityMBq, calibrationTime, residualActivityMBq, residualTime,
            infusionStart, infusionEnd: at(day, 11), netActivityMBq: net.netMBq, aminoAcidInfusion: true,
            lastLongActingSsaDate: isoDay(addDays(day, -30)), lot: `DEMO-LOT-${i}-${k}`,
          }).returning();
          cycleIds.set(k, given!.id);
          administered.push({ cycleId: given!.id, courseId: c!.id, infusionStart, netMBq: net.netMBq });
          // Care pathway gate: every administered demo cycle has the physician's GO decision.
          await tx.insert(cycleDecision).values({
            siteId, patientId, courseId: c!.id, cycleId: given!.id, action: "GO", activityMBq: 7400, reason: "Demo: pre-cycle labs within limits",
            recommendation: { demo: true, recommendation: { action: "GO", recommendedActivityGBq: 7.4 } }, recommendedAction: "GO",
            decidedBy: physicianId, decidedAt: at(addDays(day, -1), 15),
          });
          await labPanel(addDays(day, -5), k * 0.3);
          const [post] = await tx
            .insert(imagingStudy)
            .values({ siteId, patientId, modality: "SPECT", tracerId: lu.id, performedAt: at(addDays(day, 1), 10), purpose: "POST_THERAPY", injectedActivityMBq: net.netMBq, injectedAt: infusionStart, weightKg: weight })
            .returning();
          studies.push({ id: post!.id, day });
        }
        // Planned care events from the shipped standard template (09:00 Amsterdam on each cycle day);
        // events of administered cycles and past course events of completed courses are DONE.
        const schedule = generateCourseSchedule(standardTpl, { startDate: `${isoDay(opts2.firstDay)}T09:00`, timeZone: "Europe/Amsterdam", cycles: opts2.cycles });
        await tx.insert(careEvent).values(
          schedule.events.map((e) => {
            const dueAt = new Date(e.dueAt);
            const doneCycle = e.cycleNumber !== null && e.cycleNumber <= opts2.administered && dueAt < today;
            const doneCourse = e.cycleNumber === null && opts2.status === "COMPLETED" && dueAt < today;
            const isDone = doneCycle || doneCourse;
            return {
              siteId, patientId, courseId: c!.id, cycleId: e.cycleNumber !== null ? (cycleIds.get(e.cycleNumber) ?? null) : null,
              key: e.key, ruleKey: e.ruleKey, kind: e.kind, label: e.label, cycleNumber: e.cycleNumber, dueAt, originalDueAt: dueAt,
              windowStart: e.windowStart ? new Date(e.windowStart) : null, windowEnd: e.windowEnd ? new Date(e.windowEnd) : null,
              offset: e.offset, anchor: e.anchor as unknown as Record<string, unknown>, source: e.source,
              status: isDone ? ("DONE" as const) : ("PLANNED" as const), performedAt: isDone ? dueAt : null,
              fulfilledCycleId: isDone && e.kind === "CYCLE" ? (cycleIds.get(e.cycleNumber ?? 0) ?? null) : null,
            };
          }),
        );
        return c!;
      };
      if (stage === "ON_CYCLE_2") {
        // Cycle 1 eight weeks ago, cycle 2 due within the coming days.
        await makeCourse({ intent: "STANDARD", firstDay: addDays(today, -56 + (i % 5)), administered: 1, status: "ACTIVE", cycles: 4 });
        // Pre-cycle labs for cycle 2, so the go/no-go screen has graded values.
        await labPanel(addDays(today, -2));
      } else if (stage === "COMPLETED") {
        await makeCourse({ intent: "STANDARD", firstDay: addDays(today, -300), administered: 4, status: "COMPLETED", cycles: 4 });
        const restage = addDays(today, -300 + 56 * 3 + 75);
        const [rs] = await tx
          .insert(imagingStudy)
          .values({ siteId, patientId, modality: "PET", tracerId: ga.id, performedAt: at(restage, 11), purpose: "RESTAGING", injectedActivityMBq: 160, injectedAt: at(restage, 10), weightKg: weight })
          .returning();
        await seedResponseFollowUp(tx, { siteId, patientId, physicianId, baselineStudyId: studies[0]!.id, followUpStudyId: rs!.id, restageDay: restage, lesions: baseLesions, pattern: completedCount++ });
      } else if (stage === "RETREATED") {
        await makeCourse({ intent: "STANDARD", firstDay: addDays(today, -1000), administered: 4, status: "COMPLETED", cycles: 4 });
        await makeCourse({ intent: "RETREATMENT", firstDay: addDays(today, -14), administered: 1, status: "ACTIVE", cycles: 2 });
      }
      // Dosimetry for the first patients of the treated stages (i < 12): every administered
      // cycle signed by the demo physicist, except the latest cycle of an active course, which
      // stays a draft awaiting sign-off.
      if (i < 12 && administered.length) {
        const [firstLesion] = await tx.select({ id: lesion.id }).from(lesion).where(and(eq(lesion.patientId, patientId), eq(lesion.label, "L1")));
        const [{ sex: patientSex } = { sex: "FEMALE" }] = await tx.select({ sex: patient.sex }).from(patient).where(eq(patient.id, patientId));
        for (const [k, a] of administered.entries()) {
          const draft = k === administered.length - 1 && stage !== "COMPLETED";
          await tx.insert(dosimetryRecord).values({
            siteId, patientId, courseId: a.courseId, cycleId: a.cycleId, revision: 1, status: draft ? "DRAFT" : "SIGNED",
            phantomSex: patientSex === "MALE" ? "MALE" : "FEMALE", administeredActivityMBq: a.netMBq, administeredAt: a.infusionStart,
            calibrationFactorCpsPerMBq: 9.4, ...demoDosimetryDoc(a.infusionStart, a.netMBq / 7400, firstLesion?.id ?? null, rand2),
            signedAt: draft ? null : new Date(a.infusionStart.getTime() + 9 * DAY), signedBy: draft ? null : physicistId, createdBy: physicistId,
          });
        }
      }
    }
    await seedBoards(tx, { siteId, today, userIds, patientsByStage });
    return { siteId, patients: n, skipped: false };
  });
}

/**
 * Demo dosimetry of one cycle: SPECT/CT at 4, 24, 96 and 168 h (reference/dosimetry.md §2),
 * kidneys after Example D1 (per kidney half the D1 activities and mass: 3.9 Gy per 7.4 GBq),
 * liver and spleen after the per-GBq doses of §7, blood samples after Example D8 and one tumour
 * after Example D5, each varied by ±15 % and scaled to the cycle's activity.
 */
function demoDosimetryDoc(start: Date, scale: number, lesionId: string | null, rand: () => number) {
  const hours = [4, 24, 96, 168];
  const timepoints = hours.map((h, k) => ({ key: `tp${k + 1}`, acquiredAt: new Date(start.getTime() + h * 3_600_000).toISOString(), imagingStudyId: null, label: `SPECT/CT ${h} h` }));
  const vary = () => 0.85 + 0.3 * rand();
  const mono = (a0: number, tEff: number) => Object.fromEntries(hours.map((h, k) => [`tp${k + 1}`, Number((a0 * scale * 2 ** (-h / tEff)).toPrecision(4))]));
  // Kidney A0' from D1: 151.19 MBq for both kidneys (T_eff 72 h), half per kidney.
  const kidneyT = 60 + 20 * rand();
  const voi = (v: Partial<DosimetryVoiDoc> & Pick<DosimetryVoiDoc, "key" | "kind" | "label" | "activities">): DosimetryVoiDoc => ({
    lesionId: null, massG: null, volumeMl: null, model: "MONO_EXP", stpTimepointKey: null, source: "vendor workstation (demo)", ...v,
  });
  const vois: DosimetryVoiDoc[] = [
    voi({ key: "kl", kind: "KIDNEY_LEFT", label: "Kidney left", massG: 175, activities: mono(75.6 * vary(), kidneyT) }),
    voi({ key: "kr", kind: "KIDNEY_RIGHT", label: "Kidney right", massG: 170, activities: mono(75.6 * vary(), kidneyT) }),
    voi({ key: "liver", kind: "LIVER", label: "Liver", massG: 1750, activities: mono(420 * vary(), 70) }),
    voi({ key: "spleen", kind: "SPLEEN", label: "Spleen", massG: 160, activities: mono(60 * vary(), 75) }),
    // Blood (MBq/mL): the slow component of Example D8 (0.01 MBq/mL, 40 h).
    voi({ key: "marrow", kind: "BONE_MARROW", label: "Bone marrow (blood)", source: "blood samples, well counter (demo)", activities: mono(0.01 * vary(), 40) }),
  ];
  if (lesionId) vois.push(voi({ key: "t1", kind: "TUMOUR", label: "Tumour L1", lesionId, massG: 20, volumeMl: 19, activities: mono(22.449 * vary(), 144) }));
  return { timepoints, vois };
}

/**
 * Response assessment demo data (README "Response assessment"): lesion measurements on the
 * restaging SSTR PET of a completed patient — a response, stable disease, progression with a new
 * lesion, or a mixed picture with a disappeared lesion, by `pattern` — and, except for the first
 * completed patient (left for trying "New assessment"), a DRAFT assessment with the liver
 * reference entered. Uses its own random stream so the rest of the demo data is unchanged.
 */
const round = (x: number, digits: number) => Number(x.toFixed(digits));

async function seedResponseFollowUp(
  tx: Parameters<Parameters<Db["transaction"]>[0]>[0],
  a: {
    siteId: string;
    patientId: string;
    physicianId: string;
    baselineStudyId: string;
    followUpStudyId: string;
    restageDay: Date;
    lesions: { id: string; organ: string; suv: number; mtv: number; la: number; sa: number; target: boolean }[];
    pattern: number;
  },
) {
  const r = rng(4242 + a.pattern);
  const kind = a.pattern % 4; // 0 response, 1 stable, 2 progression + new lesion, 3 mixed with a disappeared lesion
  for (const [i, l] of a.lesions.entries()) {
    const gone = kind === 3 && i === a.lesions.length - 1 && a.lesions.length > 1;
    const f = kind === 0 ? 0.5 + r() * 0.15 : kind === 1 ? 0.9 + r() * 0.15 : kind === 2 ? 1.3 + r() * 0.2 : i === 0 ? 0.6 : 1.2;
    await tx.insert(lesionMeasurement).values({
      siteId: a.siteId, patientId: a.patientId, lesionId: l.id, studyId: a.followUpStudyId,
      suvMax: gone ? null : round(l.suv * f, 2), suvPeak: gone ? null : round(l.suv * f * 0.8, 2), suvMean: gone ? null : round(l.suv * f * 0.55, 2),
      mtvMl: gone ? 0 : round(l.mtv * f, 1), longAxisMm: gone ? 0 : round(l.la * Math.sqrt(f), 0), shortAxisMm: gone ? 0 : round(l.sa * Math.sqrt(f), 0),
      krenningScore: gone ? 0 : l.suv * f > 15 ? 4 : 3, isTarget: l.target, method: "MANUAL", provenance: { source: "demo seed" },
    });
  }
  if (kind === 2) {
    const [nl] = await tx.insert(lesion).values({ siteId: a.siteId, patientId: a.patientId, label: "N1", organ: "Bone", firstSeenOn: isoDay(a.restageDay) }).returning();
    await tx.insert(lesionMeasurement).values({
      siteId: a.siteId, patientId: a.patientId, lesionId: nl!.id, studyId: a.followUpStudyId, suvMax: 14, suvPeak: 11, suvMean: 7.5,
      mtvMl: 3.1, longAxisMm: 14, shortAxisMm: 10, krenningScore: 3, isTarget: false, method: "MANUAL", provenance: { source: "demo seed" },
    });
  }
  if (a.pattern === 0) return;
  // RECIST 1.1 targets: flagged, measurable (LD ≥ 10 mm; node SA ≥ 15 mm), ≤ 2 per organ (response-criteria.md §1.1).
  const perOrgan = new Map<string, number>();
  const targets = a.lesions.filter((l) => {
    const organ = /lymph|node/i.test(l.organ) ? "lymph node" : l.organ.toLowerCase();
    if (!l.target || (organ === "lymph node" ? l.sa < 15 : l.la < 10) || (perOrgan.get(organ) ?? 0) >= 2) return false;
    perOrgan.set(organ, (perOrgan.get(organ) ?? 0) + 1);
    return true;
  });
  await tx.insert(responseAssessment).values({
    siteId: a.siteId, patientId: a.patientId, baselineStudyId: a.baselineStudyId, followUpStudyId: a.followUpStudyId,
    targetLesionIds: targets.map((l) => l.id), nonTargetResponse: "NON_CR_NON_PD",
    baselineLiverSuvMean: 5.4, baselineLiverSuvSd: 0.6, followUpLiverSuvMean: 5.2, followUpLiverSuvSd: 0.6,
    selectionNote: "Demo: baseline SSTR PET before cycle 1, restaging SSTR PET after the course.", createdBy: a.physicianId,
  });
}

/**
 * Demo tumour boards: the next meeting (in two days, chaired by the demo board member) with one
 * case per question, a later meeting and a cancelled one. No snapshots or decisions are seeded:
 * a one-pager snapshot is only ever what the API generated from the record at the meeting.
 */
async function seedBoards(
  tx: Parameters<Parameters<Db["transaction"]>[0]>[0],
  args: { siteId: string; today: Date; userIds: Record<string, string>; patientsByStage: Map<DemoStage, string[]> },
) {
  const { siteId, today, userIds } = args;
  const first = (stage: DemoStage, k = 0) => args.patientsByStage.get(stage)?.[k] ?? null;
  const attendees = ["PHYSICIAN", "PHYSICIST", "BOARD_MEMBER", "COORDINATOR"].map((r) => userIds[r]!).filter(Boolean);
  const meeting = async (title: string, day: Date, extra: Partial<typeof boardMeeting.$inferInsert> = {}) =>
    (await tx.insert(boardMeeting).values({ siteId, title, scheduledAt: at(day, 16), location: "Room B2.14 / video link", chairUserId: userIds.BOARD_MEMBER!, attendeeUserIds: attendees, createdBy: userIds.COORDINATOR!, ...extra }).returning())[0]!;
  const cases = async (meetingId: string, items: [string | null, typeof boardCase.$inferInsert["question"], string | null][]) => {
    let position = 0;
    for (const [patientId, question, questionText] of items) {
      if (!patientId) continue;
      await tx.insert(boardCase).values({ siteId, meetingId, patientId, question, questionText, position: ++position, createdBy: userIds.COORDINATOR! });
    }
  };
  const next = await meeting("NET tumour board", addDays(today, 2));
  await cases(next.id, [
    [first("WORKUP"), "ELIGIBILITY", "Eligible for 177Lu-DOTATATE after SSTR PET?"],
    [first("ON_CYCLE_2"), "CONTINUE_OR_MODIFY", "Continue with cycle 2 at full activity?"],
    [first("COMPLETED"), "RESPONSE", "Response after four cycles"],
    [first("RETREATED"), "RETREATMENT", "Second retreatment cycle?"],
  ]);
  const later = await meeting("NET tumour board", addDays(today, 16));
  await cases(later.id, [
    [first("WORKUP", 1), "ELIGIBILITY", null],
    [first("ON_CYCLE_2", 1), "OTHER", "FDG-positive liver lesion: add FDG PET before cycle 3?"],
  ]);
  await meeting("NET tumour board (bank holiday)", addDays(today, 9), { status: "CANCELLED", cancelReason: "Bank holiday; cases moved to the next meeting" });
}
