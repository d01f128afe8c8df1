import { and, asc, desc, eq, inArray, isNull } from "drizzle-orm";
import {
  bodyWeight,
  careEvent,
  diagnosis,
  imagingStudy,
  lesion,
  lesionMeasurement,
  patient,
  radiopharmaceutical,
  therapyCourse,
  therapyCycle,
  type ImagingStudyRow,
  type LabResultRow,
} from "@lutetia/db";
import {
  LUTIA_ELIGIBILITY_POLICY,
  NETTER_STYLE_ELIGIBILITY_POLICY,
  creatinineUmolPerLToMgPerDL,
  evaluateEligibility,
  type EligibilityInput,
} from "@lutetia/protocols";
import type { RequestContext } from "../../graphql/context";
import { notFound } from "../../shared/errors";
import { idOf, toGlobalId } from "../../shared/ids";
import { ageYears, latestLabs } from "./decisions.service";
import { FDG_POSITIVE_SUVMAX, LAB_REFERENCE_LIMITS as REF } from "./pathway.policy";
import { badArgument, localDate, siteOf, templateInScope } from "./pathway.repo";
import type { CriterionOut, EligibilityReportOut } from "./pathway.types";

export interface EligibilityExtra {
  ecog?: number | null;
  karnofsky?: number | null;
  inr?: number | null;
  prothrombinTimeNormal?: boolean | null;
  lastLongActingSsaAt?: Date | null;
  noLongActingSsa?: boolean | null;
  lastShortActingSsaAt?: Date | null;
  fdgPerformed?: boolean | null;
  cumulativeKidneyDoseGy?: number | null;
  pfsMonthsAfterLastCourse?: number | null;
}

interface Evidence {
  dataSource: string;
  records: string[];
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const labEv = (r: LabResultRow): Evidence => ({ dataSource: `LabResult ${r.analyte} sampled ${day(r.sampledAt)} (${r.reportedValue} ${r.reportedUnit})`, records: [toGlobalId("LabResult", r.id)] });
const ENTERED = "entered at check time (not stored)";

/** Latest non-voided study of the patient with an agent of `target` (PET, or SPECT for SSTR), not post-therapy. */
async function latestStudy(ctx: RequestContext, siteId: string, patientId: string, target: "SSTR" | "GLUCOSE"): Promise<ImagingStudyRow | null> {
  const rows = await ctx.db
    .select({ s: imagingStudy })
    .from(imagingStudy)
    .innerJoin(radiopharmaceutical, eq(radiopharmaceutical.id, imagingStudy.tracerId))
    .where(and(eq(imagingStudy.siteId, siteId), eq(imagingStudy.patientId, patientId), isNull(imagingStudy.voidedAt), eq(radiopharmaceutical.target, target), inArray(radiopharmaceutical.use, target === "SSTR" ? ["PET", "SPECT"] : ["PET"])))
    .orderBy(desc(imagingStudy.performedAt));
  return rows.map((r) => r.s).find((s) => s.purpose !== "POST_THERAPY") ?? null;
}

async function measurementsOf(ctx: RequestContext, studyId: string) {
  return ctx.db
    .select({ m: lesionMeasurement, label: lesion.label })
    .from(lesionMeasurement)
    .innerJoin(lesion, eq(lesion.id, lesionMeasurement.lesionId))
    .where(and(eq(lesionMeasurement.studyId, studyId), isNull(lesionMeasurement.voidedAt), isNull(lesion.voidedAt)))
    .orderBy(asc(lesion.label));
}

export const EligibilityService = {
  /**
   * Assembles evaluateEligibility's input from the patient's record (latest labs in canonical
   * units with dates, current diagnosis Ki-67/grade, Krenning scores of target lesions on the
   * latest SSTR imaging, FDG+/SSTR− from the latest FDG PET, prior courses' cumulative activity,
   * last long-acting SSA) plus values entered at check time, and returns every criterion with its
   * value, threshold, status, rule source and data source. Missing data is NEEDS_DATA.
   */
  async evaluate(
    ctx: RequestContext,
    args: { patientId: string; templateId: string; policy?: "NETTER_STYLE" | "LUTIA" | null; plannedAdministrationAt?: Date | null; extra?: EligibilityExtra | null },
  ): Promise<EligibilityReportOut> {
    const actor = ctx.authorize("patient:read");
    const pid = idOf(args.patientId, "Patient");
    const [p] = pid ? await ctx.db.select().from(patient).where(and(eq(patient.id, pid), eq(patient.siteId, actor.siteId))) : [];
    if (!p) {
      if (pid) ctx.recordOutOfScope("Patient", pid, "patient.eligibility");
      throw notFound("Patient");
    }
    const tid = idOf(args.templateId, "ProtocolTemplate");
    const tpl = tid ? await templateInScope(ctx.db, actor.siteId, tid) : null;
    if (!tpl) throw notFound("ProtocolTemplate");
    ctx.recordRead("Patient", p.id, p.id);
    const s = await siteOf(ctx.db, actor.siteId);
    const now = new Date();
    const x = args.extra ?? {};
    const ev = new Map<string, Evidence>();
    const input: EligibilityInput = { asOf: now, timeZone: s.timeZone };

    // Labs (canonical units: Hb g/dL, counts 10^9/L, creatinine/bilirubin µmol/L, albumin g/L → g/dL).
    const labs = await latestLabs(ctx.db, actor.siteId, p.id, null);
    for (const r of labs.values()) ctx.recordRead("LabResult", r.id, p.id);
    const L: NonNullable<EligibilityInput["labs"]> = {};
    const used: LabResultRow[] = [];
    const take = (a: LabResultRow["analyte"], criterion: string): LabResultRow | undefined => {
      const r = labs.get(a);
      if (r) {
        used.push(r);
        ev.set(criterion, labEv(r));
      }
      return r;
    };
    L.haemoglobinGPerDL = take("HAEMOGLOBIN", "haemoglobin")?.value ?? null;
    L.wbcE9PerL = take("WBC", "wbc")?.value ?? null;
    L.plateletsE9PerL = take("PLATELETS", "platelets")?.value ?? null;
    const crcl = labs.get("CREATININE_CLEARANCE");
    const creat = labs.get("CREATININE");
    const egfr = labs.get("EGFR");
    if (crcl) {
      L.creatinineClearanceMLPerMin = take("CREATININE_CLEARANCE", "renal")!.value;
    } else if (creat && (p.sex === "FEMALE" || p.sex === "MALE")) {
      const [w] = await ctx.db.select().from(bodyWeight).where(and(eq(bodyWeight.patientId, p.id), isNull(bodyWeight.voidedAt))).orderBy(desc(bodyWeight.measuredAt)).limit(1);
      if (w) {
        used.push(creat);
        L.cockcroftGault = { ageYears: ageYears(p.birthDate, creat.sampledAt), weightKg: w.weightKg, serumCreatinineMgPerDL: creatinineUmolPerLToMgPerDL(creat.value), sex: p.sex === "FEMALE" ? "F" : "M" };
        ev.set("renal", { dataSource: `Cockcroft–Gault from LabResult CREATININE sampled ${day(creat.sampledAt)}, weight ${w.weightKg} kg (${day(w.measuredAt)}), age, sex`, records: [toGlobalId("LabResult", creat.id)] });
      }
    }
    if (L.creatinineClearanceMLPerMin === undefined && !L.cockcroftGault && egfr) L.egfrMLPerMinPer173m2 = take("EGFR", "renal")!.value;
    const bili = take("BILIRUBIN", "bilirubin");
    if (bili) {
      L.bilirubin = { value: bili.value, uln: REF.BILIRUBIN.uln! };
      ev.set("bilirubin", { ...labEv(bili), dataSource: `${labEv(bili).dataSource}; ULN ${REF.BILIRUBIN.uln!} µmol/L (${REF.source})` });
    }
    const alb = take("ALBUMIN", "albumin");
    L.albuminGPerDL = alb ? alb.value / 10 : null;
    if (x.inr !== undefined && x.inr !== null) {
      L.inr = x.inr;
      ev.set("inr", { dataSource: ENTERED, records: [] });
    }
    if (x.prothrombinTimeNormal !== undefined && x.prothrombinTimeNormal !== null) L.prothrombinTimeNormal = x.prothrombinTimeNormal;
    if (used.length) {
      const oldest = used.reduce((a, b) => (a.sampledAt < b.sampledAt ? a : b));
      L.sampledAt = oldest.sampledAt;
      ev.set("lab-age", { dataSource: `oldest lab used: ${oldest.analyte} sampled ${day(oldest.sampledAt)}`, records: [toGlobalId("LabResult", oldest.id)] });
    }
    input.labs = L;

    // Pathology.
    const [dx] = await ctx.db.select().from(diagnosis).where(and(eq(diagnosis.patientId, p.id), eq(diagnosis.siteId, actor.siteId), isNull(diagnosis.voidedAt))).orderBy(desc(diagnosis.diagnosedOn), desc(diagnosis.createdAt)).limit(1);
    if (dx) {
      ctx.recordRead("Diagnosis", dx.id, p.id);
      const g = dx.whoGrade === "G1" || dx.whoGrade === "G2" || dx.whoGrade === "G3" ? dx.whoGrade : null;
      input.pathology = { ki67Percent: dx.ki67Percent, whoGrade: g };
      ev.set("ki67", { dataSource: `Diagnosis of ${dx.diagnosedOn} (WHO ${dx.whoGrade}, Ki-67 ${dx.ki67Percent ?? "not recorded"})`, records: [toGlobalId("Diagnosis", dx.id)] });
    }

    // SSTR imaging: Krenning of target lesions on the latest SSTR study.
    const sstr = await latestStudy(ctx, actor.siteId, p.id, "SSTR");
    const sstrMeas = sstr ? await measurementsOf(ctx, sstr.id) : [];
    if (sstr) {
      ctx.recordRead("ImagingStudy", sstr.id, p.id);
      const targets = sstrMeas.filter((m) => m.m.isTarget);
      input.sstr = { targetLesions: targets.map((m) => ({ id: m.label, krenning: m.m.krenningScore })) };
      ev.set("sstr-uptake", { dataSource: `SSTR ${sstr.modality} of ${day(sstr.performedAt)}: ${targets.length} target lesion(s)`, records: [toGlobalId("ImagingStudy", sstr.id)] });
    }

    // FDG PET: FDG-positive lesions vs their Krenning score on the SSTR study.
    const fdg = x.fdgPerformed === false ? null : await latestStudy(ctx, actor.siteId, p.id, "GLUCOSE");
    if (fdg) {
      ctx.recordRead("ImagingStudy", fdg.id, p.id);
      const krenningOf = new Map(sstrMeas.map((m) => [m.m.lesionId, m.m.krenningScore] as const));
      const meas = await measurementsOf(ctx, fdg.id);
      input.fdg = {
        performed: true,
        lesions: meas.map((m) => {
          const explicit = (m.m.provenance as { fdgPositive?: unknown } | null)?.fdgPositive;
          return { id: m.label, fdgPositive: typeof explicit === "boolean" ? explicit : (m.m.suvMax ?? 0) >= FDG_POSITIVE_SUVMAX, krenning: krenningOf.get(m.m.lesionId) ?? null };
        }),
      };
      ev.set("fdg-discordance", { dataSource: `FDG PET of ${day(fdg.performedAt)}: ${meas.length} lesion(s) measured (FDG+ at SUVmax ≥ ${FDG_POSITIVE_SUVMAX} unless recorded)${sstr ? `, Krenning from SSTR study of ${day(sstr.performedAt)}` : ", no SSTR study"}`, records: [toGlobalId("ImagingStudy", fdg.id), ...(sstr ? [toGlobalId("ImagingStudy", sstr.id)] : [])] });
    } else if (x.fdgPerformed === true) {
      ev.set("fdg-discordance", { dataSource: "FDG PET performed (entered) but no FDG study in Lutetia", records: [] });
    } else {
      input.fdg = { performed: false };
      ev.set("fdg-discordance", { dataSource: x.fdgPerformed === false ? `not performed (${ENTERED})` : "no FDG PET study recorded", records: [] });
    }

    // Performance status (not stored in Lutetia).
    if ((x.ecog ?? null) !== null || (x.karnofsky ?? null) !== null) {
      input.performance = { ecog: x.ecog ?? null, karnofsky: x.karnofsky ?? null };
      ev.set("performance", { dataSource: ENTERED, records: [] });
    }

    // Prior PRRT: administered cycles of the patient's courses.
    const cycles = await ctx.db.select({ c: therapyCycle, course: therapyCourse }).from(therapyCycle).innerJoin(therapyCourse, eq(therapyCourse.id, therapyCycle.courseId)).where(and(eq(therapyCycle.siteId, actor.siteId), eq(therapyCycle.patientId, p.id)));
    const given = cycles.filter((r) => r.c.status === "ADMINISTERED");
    const cumMBq = given.reduce((a, r) => a + (r.c.netActivityMBq ?? 0), 0);
    if (given.length === 0) input.priorPrrt = { received: false };
    else input.priorPrrt = { received: true, cumulativeActivityGBq: cumMBq / 1000, cumulativeKidneyDoseGy: x.cumulativeKidneyDoseGy ?? null, pfsMonthsAfterLastCourse: x.pfsMonthsAfterLastCourse ?? null };
    ev.set("prior-prrt", { dataSource: given.length ? `${given.length} administered cycle(s) in ${new Set(given.map((r) => r.course.id)).size} course(s), net ${Math.round(cumMBq)} MBq; kidney dose ${x.cumulativeKidneyDoseGy !== undefined && x.cumulativeKidneyDoseGy !== null ? ENTERED : "not recorded"}` : "no administered cycle recorded", records: [...new Set(given.map((r) => toGlobalId("TherapyCourse", r.course.id)))] });

    // SSA washout: planned administration and the last long-acting SSA.
    const [next] = await ctx.db.select().from(careEvent).where(and(eq(careEvent.siteId, actor.siteId), eq(careEvent.patientId, p.id), eq(careEvent.kind, "CYCLE"), inArray(careEvent.status, ["PLANNED", "BOOKED"]))).orderBy(asc(careEvent.dueAt)).limit(1);
    const planned = args.plannedAdministrationAt ?? (next ? (next.bookedAt ?? next.dueAt) : null);
    const ssaEvents = await ctx.db.select().from(careEvent).where(and(eq(careEvent.siteId, actor.siteId), eq(careEvent.patientId, p.id), eq(careEvent.kind, "SSA_INJECTION"), eq(careEvent.status, "DONE")));
    const candidates: { at: Date; what: string; id?: string }[] = [
      ...ssaEvents.filter((e) => e.performedAt).map((e) => ({ at: e.performedAt as Date, what: `SSA injection event of ${day(e.performedAt as Date)}`, id: toGlobalId("CareEvent", e.id) })),
      ...cycles.filter((r) => r.c.lastLongActingSsaDate).map((r) => ({ at: new Date(`${r.c.lastLongActingSsaDate}T12:00:00Z`), what: `last long-acting SSA ${r.c.lastLongActingSsaDate} recorded with cycle ${r.c.number}`, id: toGlobalId("TherapyCycle", r.c.id) })),
      ...(x.lastLongActingSsaAt ? [{ at: x.lastLongActingSsaAt, what: `last long-acting SSA ${day(x.lastLongActingSsaAt)} ${ENTERED}` }] : []),
    ].filter((c) => !planned || c.at <= planned);
    const last = candidates.sort((a, b) => b.at.getTime() - a.at.getTime())[0];
    if (planned && (last || x.noLongActingSsa)) {
      input.ssa = { plannedAdministrationAt: planned, lastLongActingAt: last?.at ?? null, lastShortActingAt: x.lastShortActingSsaAt ?? null };
      ev.set("ssa-washout", { dataSource: `planned administration ${localDate(planned, s.timeZone)}${args.plannedAdministrationAt ? " (given)" : " (next planned cycle)"}; ${last ? last.what : `no long-acting SSA (${ENTERED})`}`, records: last?.id ? [last.id] : [] });
    } else {
      ev.set("ssa-washout", { dataSource: !planned ? "no planned administration (give plannedAdministrationAt)" : "no long-acting SSA recorded (record it, or confirm none in extra)", records: [] });
    }

    const policy = args.policy === "LUTIA" ? LUTIA_ELIGIBILITY_POLICY : NETTER_STYLE_ELIGIBILITY_POLICY;
    let result: ReturnType<typeof evaluateEligibility>;
    try {
      result = evaluateEligibility(input, policy);
    } catch (e) {
      throw badArgument("extra", (e as Error).message.replace(/^patient\./, ""));
    }
    const criteria: CriterionOut[] = result.criteria.map((c) => ({
      criterion: c.id, label: c.label, value: c.value === null ? null : String(c.value), numericValue: typeof c.value === "number" ? c.value : null,
      unit: c.unit, threshold: c.threshold, status: c.status, message: c.message, source: c.source,
      dataSource: ev.get(c.id)?.dataSource ?? (c.status === "NEEDS_DATA" ? "not recorded in Lutetia" : null), records: ev.get(c.id)?.records ?? [],
    }));
    return { patient: p, template: tpl, policyId: result.policyId, overall: result.overall, criteria, reasons: result.reasons, asOf: now, plannedAdministrationAt: planned, advisory: true };
  },
};
