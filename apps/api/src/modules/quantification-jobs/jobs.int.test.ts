import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditEvent, dicomSeries, quantificationJob, recordRevision } from "@lutetia/db";
import { as, type Client, startTestServer, type TestServer } from "../../../test/harness";
import { petSeries, stow } from "../../../test/imaging-helpers";
import { createLogger } from "../../shared/logger";
import { LocalFileStorage } from "../../storage/storage";
import { JobWorker } from "./worker";

let server: TestServer;
let dataDir: string;
let storage: LocalFileStorage;
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "lutetia-jobs-"));
  server = await startTestServer({ DICOM_STORAGE_DIR: dataDir, JOB_WORKER: "false" });
  storage = await new LocalFileStorage(dataDir).init();
});
afterAll(async () => {
  await storage?.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const worker = (staleMs = 60_000) => new JobWorker({ db: server.db.db, storage, logger: createLogger("silent"), pollMs: 50, staleMs });

const CREATE = `mutation($i: PatientCreateInput!) { patientCreate(input: $i) { patient { id } userErrors { message } } }`;
const STUDIES = `query($p: ID) { dicomStudies(first: 2, filter: { patientId: $p }) { totalCount edges { node { id status studyInstanceUid imagingStudy { id } dicomweb { root studyUrl }
  series { id modality instanceCount frameOfReferenceUid imageIds dicomweb { seriesUrl }
    qa { blocking nuclide decayTimeS }
    suv { ok factor method inputs overrides overrideVersion } version } } } } }`;
const QUANTIFY = `mutation($i: SeriesQuantifyInput!) { seriesQuantify(input: $i) { job { id status } userErrors { field message code } } }`;
const JOB = `query($id: ID!) { job(id: $id) { id status progress attempts error result series { id } } }`;
const CANDIDATES = `query($id: ID!) { dicomSeries(id: $id) { candidates(status: [PROPOSED]) { id rank suvMax suvMean volumeMl tlg voxelCount centroidMm krenningSuggested status version provenance matchedLesion { id label } match } } }`;
const ACCEPT = `mutation($i: LesionCandidateAcceptInput!) { lesionCandidateAccept(input: $i) { candidate { id status lesion { id label } measurement { id suvMax mtvMl method provenance } } userErrors { field message code } } }`;
const OVERRIDE = `mutation($i: SeriesQaOverrideSetInput!) { seriesQaOverrideSet(input: $i) { series { id suv { factor overrideVersion overrides } } rerunJobs { id status } userErrors { field message code } } }`;

interface Series { id: string; modality: string; instanceCount: number; imageIds: string[]; qa: { blocking: boolean; nuclide: string }; suv: { ok: boolean; factor: number; method: string; inputs: Record<string, unknown>; overrideVersion: number | null } }
interface Study { id: string; status: string; studyInstanceUid: string; imagingStudy: { id: string } | null; series: Series[] }
interface Candidate { id: string; rank: number; suvMax: number; suvMean: number; volumeMl: number; tlg: number; voxelCount: number; centroidMm: number[]; krenningSuggested: number | null; version: number; provenance: Record<string, unknown>; matchedLesion: { id: string; label: string } | null; match: Record<string, unknown> | null }

async function studiesOf(c: Client, patientId: string) {
  const r = await c.gql<{ dicomStudies: { edges: { node: Study }[] } }>(STUDIES, { p: patientId });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data!.dicomStudies.edges.map((e) => e.node);
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
// liver (SUV 7) and spleen (SUV 18) centres of the synthetic phantom (48x48x40, 8 mm voxels; g = 384/700)
const G = 384 / 700;
const LIVER: [number, number, number] = [-60 * G, 0, -312 + 0.7 * 320];
// the spleen is small at 8 mm voxels and touches a kidney: a 10 mm sphere on the spleen voxel at (60, 20, -88) mm
const SPLEEN: [number, number, number] = [60, 20, -88];

describe("quantification jobs, candidates, overrides, quarantine through /graphql", () => {
  it("derives QA and the SUV factor on ingest, runs a durable job, and a physician accepts, rejects and merges candidates", async () => {
    const { site, users } = await server.createSite();
    const coord = await as(server, users.COORDINATOR.email);
    const phys = await as(server, users.PHYSICIAN.email);
    const pid = (await coord.gql<{ patientCreate: { patient: { id: string } } }>(CREATE, { i: { mrn: "JOB-001", familyName: "Jobtest", givenName: "Pat", birthDate: "1960-05-04", sex: "MALE", heightCm: 180 } })).data!.patientCreate.patient.id;
    const { wb, files } = petSeries({ mrn: "JOB-001", uidKey: `job-${site.id}`, lesions: 0 });
    expect((await stow(coord, files)).status).toBe(200);

    const [study] = await studiesOf(phys, pid);
    expect(study!.status).toBe("ACTIVE");
    expect(study!.imagingStudy).not.toBeNull();
    const series = study!.series[0]!;
    expect(series.qa.blocking).toBe(false);
    expect(series.qa.nuclide).toBe("68Ga");
    expect(series.suv.ok).toBe(true);
    expect(series.suv.method).toBe("BQML_START");
    // SUVbw factor = W[g] / (A · 2^(−Δt/T½)), Δt = 3600 s (suv.md Example S1 form)
    const expected = (75 * 1000) / (150e6 * Math.pow(2, -3600 / 4062.6));
    expect(rel(series.suv.factor, expected)).toBeLessThan(1e-6);
    expect(series.imageIds).toHaveLength(40);
    expect(series.imageIds[0]).toMatch(/^wadors:\/dicomweb\/studies\/.+\/frames\/1$/);

    // a viewer may not start jobs
    const viewer = await as(server, users.VIEWER.email);
    const denied = await viewer.gql(QUANTIFY, { i: { seriesId: series.id, method: "THRESHOLD" } });
    expect(denied.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    // PERCIST without a liver VOI: field error, nothing queued
    const bad = await phys.gql<{ seriesQuantify: { job: null; userErrors: { field: string[] }[] } }>(QUANTIFY, { i: { seriesId: series.id, method: "PERCIST" } });
    expect(bad.data!.seriesQuantify.userErrors[0]!.field).toEqual(["input", "params", "liverCentreMm"]);

    const q = await phys.gql<{ seriesQuantify: { job: { id: string; status: string } } }>(QUANTIFY, {
      i: { seriesId: series.id, method: "THRESHOLD", params: { threshold: 10, liverCentreMm: LIVER, spleenCentreMm: SPLEEN, spleenDiameterMm: 10 } },
    });
    const jobId = q.data!.seriesQuantify.job.id;
    expect(q.data!.seriesQuantify.job.status).toBe("QUEUED");
    expect(await worker().tick()).toBeGreaterThanOrEqual(1); // ≥: on a shared PostgreSQL other files' jobs may be queued too
    const job = (await phys.gql<{ job: { status: string; progress: number; attempts: number; result: Record<string, number> } }>(JOB, { id: jobId })).data!.job;
    expect(job, JSON.stringify(job)).toMatchObject({ status: "SUCCEEDED", progress: 100, attempts: 1 });
    expect(rel(job.result.liverMean!, wb.organSuv.liver)).toBeLessThan(0.01);
    expect(rel(job.result.spleenMean!, wb.organSuv.spleen)).toBeLessThan(0.01);

    const cands = (await phys.gql<{ dicomSeries: { candidates: Candidate[] } }>(CANDIDATES, { id: series.id })).data!.dicomSeries.candidates;
    // SUV ≥ 10 (26-connected): bladder (30), left kidney (14), spleen (18) touching the right kidney; the liver (7) stays below
    expect(cands).toHaveLength(3);
    expect(rel(cands[0]!.suvMax, wb.organSuv.bladder)).toBeLessThan(0.01);
    expect(rel(cands[1]!.suvMax, wb.organSuv.spleen)).toBeLessThan(0.01);
    expect(rel(cands[2]!.suvMax, wb.organSuv.kidney)).toBeLessThan(0.01);
    // suggested Krenning: > spleen → 4, > liver → 3
    expect(cands[0]!.krenningSuggested).toBe(4);
    expect(cands[2]!.krenningSuggested).toBe(3);
    const prov = cands[0]!.provenance as { algorithm: { version: string }; params: { threshold: number }; suvFactor: { factor: number; inputs: unknown }; overridesInForce: unknown };
    expect(prov.algorithm.version).toBe("1.0.0");
    expect(prov.params.threshold).toBe(10);
    expect(rel(prov.suvFactor.factor, expected)).toBeLessThan(1e-9);
    expect(prov.overridesInForce).toBeNull();

    // accept the top candidate as a new lesion → lesion measurement on the clinical study
    const acc = await phys.gql<{ lesionCandidateAccept: { candidate: { status: string; lesion: { id: string; label: string }; measurement: { suvMax: number; mtvMl: number; method: string } } } }>(ACCEPT, {
      i: { id: cands[0]!.id, version: cands[0]!.version, newLesion: { label: "L1", organ: "pelvis" } },
    });
    const accepted = acc.data!.lesionCandidateAccept.candidate;
    expect(accepted.status).toBe("ACCEPTED");
    expect(accepted.measurement).toMatchObject({ method: "THRESHOLD" });
    expect(accepted.measurement.suvMax).toBeCloseTo(cands[0]!.suvMax, 9);
    // stale version refused
    const again = await phys.gql<{ lesionCandidateAccept: { userErrors: { code: string }[] } }>(ACCEPT, { i: { id: cands[0]!.id, version: cands[0]!.version, newLesion: { label: "L2", organ: "x" } } });
    expect(again.data!.lesionCandidateAccept.userErrors.length).toBeGreaterThan(0);

    // merge the two remaining candidates, then reject the merged one
    const rest = [cands[1]!, cands[2]!];
    const merged = await phys.gql<{ lesionCandidateMerge: { candidate: { id: string; voxelCount: number; volumeMl: number; suvMax: number; version: number } } }>(
      `mutation($i: LesionCandidateMergeInput!) { lesionCandidateMerge(input: $i) { candidate { id voxelCount volumeMl suvMax version } userErrors { message } } }`,
      { i: { ids: rest.map((k) => k.id) } },
    );
    const mc = merged.data!.lesionCandidateMerge.candidate;
    expect(mc.voxelCount).toBe(rest[0]!.voxelCount + rest[1]!.voxelCount);
    expect(mc.volumeMl).toBeCloseTo(rest[0]!.volumeMl + rest[1]!.volumeMl, 9);
    expect(mc.suvMax).toBe(rest[0]!.suvMax);
    const rej = await phys.gql<{ lesionCandidateReject: { candidate: { id: string } } }>(`mutation($i: LesionCandidateRejectInput!) { lesionCandidateReject(input: $i) { candidate { id } userErrors { message } } }`, { i: { id: mc.id, version: mc.version, reason: "physiological uptake (spleen, kidneys)" } });
    expect(rej.data!.lesionCandidateReject.candidate.id).toBe(mc.id);

    // QA override of the weight: factor re-derived, accepted measurement rescaled (revision + audit), job re-queued
    const physicist = await as(server, users.PHYSICIST.email);
    const ov = await physicist.gql<{ seriesQaOverrideSet: { series: { suv: { factor: number; overrideVersion: number } }; rerunJobs: { id: string; status: string }[]; userErrors: unknown[] } }>(OVERRIDE, {
      i: { seriesId: series.id, weightKg: 90, reason: "weighed on the day of the scan" },
    });
    expect(ov.data!.seriesQaOverrideSet.userErrors).toEqual([]);
    expect(rel(ov.data!.seriesQaOverrideSet.series.suv.factor, (expected * 90) / 75)).toBeLessThan(1e-6);
    expect(ov.data!.seriesQaOverrideSet.series.suv.overrideVersion).toBe(1);
    expect(ov.data!.seriesQaOverrideSet.rerunJobs).toHaveLength(1);
    const lesionQ = await phys.gql<{ node: { measurements: { suvMax: number; version: number; provenance: { rescaled: unknown[]; overridesInForce: unknown } }[] } }>(`query($id: ID!) { node(id: $id) { ... on Lesion { measurements { suvMax version provenance } } } }`, { id: accepted.lesion.id });
    const m = lesionQ.data!.node.measurements[0]!;
    expect(rel(m.suvMax, (cands[0]!.suvMax * 90) / 75)).toBeLessThan(1e-9);
    expect(m.version).toBe(2);
    expect(m.provenance.rescaled).toHaveLength(1);
    const revisions = await server.db.db.select().from(recordRevision).where(eq(recordRevision.entityType, "LesionMeasurement"));
    expect(revisions.some((r) => r.siteId === site.id)).toBe(true);
    // replacing the override needs its version; a stale version is a CONFLICT
    const stale = await physicist.gql<{ seriesQaOverrideSet: { userErrors: { field: string[]; code: string }[] } }>(OVERRIDE, { i: { seriesId: series.id, weightKg: 80, reason: "x" } });
    const both = await physicist.gql<{ seriesQaOverrideSet: { userErrors: { field: string[] }[] } }>(OVERRIDE, { i: { seriesId: series.id, version: 1, weightKg: 80, clear: true, reason: "x" } });
    expect(both.data!.seriesQaOverrideSet.userErrors[0]!.field).toEqual(["input", "clear"]);
    expect(stale.data!.seriesQaOverrideSet.userErrors[0]).toMatchObject({ field: ["input", "version"], code: "CONFLICT" });
    // withdrawing the override restores the header-derived factor (version 2 of the override row)
    const cleared = await physicist.gql<{ seriesQaOverrideSet: { series: { suv: { factor: number; overrideVersion: number; overrides: Record<string, unknown> } }; userErrors: unknown[] } }>(OVERRIDE, {
      i: { seriesId: series.id, version: 1, clear: true, reason: "weight on the scan record was right after all" },
    });
    expect(cleared.data!.seriesQaOverrideSet.userErrors).toEqual([]);
    expect(rel(cleared.data!.seriesQaOverrideSet.series.suv.factor, expected)).toBeLessThan(1e-9);
    expect(cleared.data!.seriesQaOverrideSet.series.suv.overrideVersion).toBe(2);
    const m2 = (await phys.gql<{ node: { measurements: { suvMax: number; version: number }[] } }>(`query($id: ID!) { node(id: $id) { ... on Lesion { measurements { suvMax version } } } }`, { id: accepted.lesion.id })).data!.node.measurements[0]!;
    expect(rel(m2.suvMax, cands[0]!.suvMax)).toBeLessThan(1e-9);
    expect(m2.version).toBe(3);
    // the coordinator may not override
    const co = await coord.gql(OVERRIDE, { i: { seriesId: series.id, weightKg: 80, reason: "x" } });
    expect(co.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    const audit = await server.db.db.select().from(auditEvent).where(eq(auditEvent.siteId, site.id));
    const actions = new Set(audit.map((a) => a.action));
    for (const a of ["dicom.store", "quant.job.enqueue", "quant.job.succeed", "candidate.accept", "lesion.create", "measurement.record", "candidate.merge", "candidate.reject", "imaging.override.set", "measurement.rederive"]) expect(actions).toContain(a);

    // re-queued jobs complete with the factor in force; their candidates record the override row version
    expect(await worker().tick()).toBeGreaterThanOrEqual(1); // ≥: on a shared PostgreSQL other files' jobs may be queued too
    const fresh = (await phys.gql<{ dicomSeries: { candidates: Candidate[] } }>(CANDIDATES, { id: series.id })).data!.dicomSeries.candidates;
    expect(fresh.length).toBeGreaterThan(0);
    expect((fresh[0]!.provenance as { overridesInForce: { version: number } }).overridesInForce.version).toBe(2);
  });

  it("re-queues a RUNNING job with a stale heartbeat on worker start (restart) and completes it", async () => {
    const { site, users } = await server.createSite();
    const coord = await as(server, users.COORDINATOR.email);
    const pid = (await coord.gql<{ patientCreate: { patient: { id: string } } }>(CREATE, { i: { mrn: "JOB-002", familyName: "Jobtest", givenName: "Pat", birthDate: "1960-05-04", sex: "MALE", heightCm: 180 } })).data!.patientCreate.patient.id;
    const { files } = petSeries({ mrn: "JOB-002", uidKey: `restart-${site.id}`, lesions: 2, nz: 20 });
    await stow(coord, files);
    const [series] = await server.db.db.select().from(dicomSeries).where(eq(dicomSeries.siteId, site.id));
    // a job that was RUNNING when the process died 10 minutes ago
    const patientUuid = Buffer.from(pid, "base64url").toString().split(":")[1]!;
    const [job] = await server.db.db
      .insert(quantificationJob)
      .values({ siteId: site.id, seriesId: series!.id, studyId: series!.studyId, patientId: patientUuid, method: "THRESHOLD", params: { threshold: 5 }, status: "RUNNING", attempts: 1, startedAt: new Date(Date.now() - 600_000), heartbeatAt: new Date(Date.now() - 600_000) })
      .returning();
    const w = worker(30_000);
    await w.start();
    for (let i = 0; i < 100; i++) {
      const [j] = await server.db.db.select().from(quantificationJob).where(eq(quantificationJob.id, job!.id));
      if (j!.status === "SUCCEEDED" || j!.status === "FAILED") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await w.stop();
    const [done] = await server.db.db.select().from(quantificationJob).where(eq(quantificationJob.id, job!.id));
    expect(done).toMatchObject({ status: "SUCCEEDED", attempts: 2, progress: 100 });
    // a job that exhausted its attempts is failed, not retried forever
    const [dead] = await server.db.db
      .insert(quantificationJob)
      .values({ siteId: site.id, seriesId: series!.id, studyId: series!.studyId, patientId: patientUuid, method: "THRESHOLD", params: {}, status: "RUNNING", attempts: 3, heartbeatAt: new Date(Date.now() - 600_000) })
      .returning();
    await worker(30_000).tick();
    const w2 = worker(30_000);
    await w2.start();
    await w2.stop();
    const [deadAfter] = await server.db.db.select().from(quantificationJob).where(eq(quantificationJob.id, dead!.id));
    expect(deadAfter!.status).toBe("FAILED");
    expect(deadAfter!.error).toContain("abandoned");
  });

  it("proposes the matching lesion on a follow-up study (different frame of reference, shifted patient)", async () => {
    const { site, users } = await server.createSite();
    const coord = await as(server, users.COORDINATOR.email);
    const phys = await as(server, users.PHYSICIAN.email);
    const pid = (await coord.gql<{ patientCreate: { patient: { id: string } } }>(CREATE, { i: { mrn: "JOB-003", familyName: "Jobtest", givenName: "Pat", birthDate: "1960-05-04", sex: "MALE", heightCm: 180 } })).data!.patientCreate.patient.id;
    const base = petSeries({ mrn: "JOB-003", uidKey: `m1-${site.id}`, lesions: 0 });
    await stow(coord, base.files);
    // follow-up: same anatomy, the table moved 24 mm in x and 16 mm in z (new frame of reference)
    const fu = petSeries({ mrn: "JOB-003", uidKey: `m2-${site.id}`, lesions: 0 });
    const { writePetSeries } = await import("@lutetia/dicom");
    const shifted = { ...fu.wb.geometry, originMm: [fu.wb.geometry.originMm[0] + 24, fu.wb.geometry.originMm[1], fu.wb.geometry.originMm[2] + 16] as [number, number, number] };
    const fuFiles = writePetSeries(fu.wb.data, shifted, { ...fu.wb.metadata, patientId: "JOB-003", patientBirthDate: "19600504", uidKey: `m2-${site.id}`, seriesDate: "20240605", acquisitionDate: "20240605", radiopharmaceuticalStartDateTime: `20240605${fu.wb.metadata.radiopharmaceuticalStartDateTime.slice(8)}` });
    await stow(coord, fuFiles);
    const studies = await studiesOf(phys, pid);
    expect(studies).toHaveLength(2);
    const rows = (await server.db.db.select().from(dicomSeries).where(eq(dicomSeries.siteId, site.id))).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    expect(rows[0]!.frameOfReferenceUid).not.toBe(rows[1]!.frameOfReferenceUid);
    const gidOf = (id: string) => ({ id: Buffer.from(`DicomSeries:${id}`).toString("base64url") });
    const [bl, fuS] = [gidOf(rows[0]!.id), gidOf(rows[1]!.id)];
    await phys.gql(QUANTIFY, { i: { seriesId: bl!.id, method: "THRESHOLD", params: { threshold: 25 } } });
    await worker().tick();
    const c1 = (await phys.gql<{ dicomSeries: { candidates: Candidate[] } }>(CANDIDATES, { id: bl!.id })).data!.dicomSeries.candidates;
    expect(c1).toHaveLength(1);
    await phys.gql(ACCEPT, { i: { id: c1[0]!.id, version: c1[0]!.version, newLesion: { label: "B1", organ: "bladder" } } });
    await phys.gql(QUANTIFY, { i: { seriesId: fuS!.id, method: "THRESHOLD", params: { threshold: 25 } } });
    await worker().tick();
    const c2 = (await phys.gql<{ dicomSeries: { candidates: Candidate[] } }>(CANDIDATES, { id: fuS!.id })).data!.dicomSeries.candidates;
    expect(c2).toHaveLength(1);
    // raw centroids differ by the table shift, the aligned distance is ~0
    expect(Math.hypot(c2[0]!.centroidMm[0]! - c1[0]!.centroidMm[0]!, c2[0]!.centroidMm[2]! - c1[0]!.centroidMm[2]!)).toBeGreaterThan(25);
    expect(c2[0]!.matchedLesion?.label).toBe("B1");
    expect(c2[0]!.match).toMatchObject({ method: "BODY_CENTROID_ALIGNED" });
    expect((c2[0]!.match as { distanceMm: number }).distanceMm).toBeLessThan(5);
  });

  it("lists quarantined studies and lets a coordinator assign one explicitly (audited)", async () => {
    const { site, users } = await server.createSite();
    const coord = await as(server, users.COORDINATOR.email);
    const pid = (await coord.gql<{ patientCreate: { patient: { id: string } } }>(CREATE, { i: { mrn: "Q-001", familyName: "Quartest", givenName: "Pat", birthDate: "1955-02-03", sex: "FEMALE", heightCm: 165 } })).data!.patientCreate.patient.id;
    const { files } = petSeries({ mrn: "OUTSIDE-7", birthDate: "1955-02-03", uidKey: `qa-${site.id}`, nz: 4 });
    await stow(coord, files);
    const list = await coord.gql<{ quarantine: { totalCount: number; edges: { node: { id: string; quarantineReason: string; dicomPatientId: string; version: number } }[] } }>(`{ quarantine { totalCount edges { node { id quarantineReason dicomPatientId version } } } }`);
    expect(list.data!.quarantine.totalCount).toBe(1);
    const q = list.data!.quarantine.edges[0]!.node;
    expect(q).toMatchObject({ quarantineReason: "NO_MATCHING_MRN", dicomPatientId: "OUTSIDE-7" });
    const viewer = await as(server, users.VIEWER.email);
    expect((await viewer.gql(`{ quarantine { totalCount } }`)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const ASSIGN = `mutation($i: QuarantineAssignInput!) { quarantineAssign(input: $i) { study { status patient { id } imagingStudy { id } version } userErrors { field message code } } }`;
    const noReason = await coord.gql<{ quarantineAssign: { userErrors: { field: string[] }[] } }>(ASSIGN, { i: { studyId: q.id, patientId: pid, version: q.version, reason: " " } });
    expect(noReason.data!.quarantineAssign.userErrors[0]!.field).toEqual(["input", "reason"]);
    const r = await coord.gql<{ quarantineAssign: { study: { status: string; patient: { id: string }; imagingStudy: { id: string } | null; version: number } } }>(ASSIGN, { i: { studyId: q.id, patientId: pid, version: q.version, reason: "MRN from the referring hospital; identity checked with the referral letter" } });
    expect(r.data!.quarantineAssign.study).toMatchObject({ status: "ACTIVE", patient: { id: pid }, version: q.version + 1 });
    expect(r.data!.quarantineAssign.study.imagingStudy).not.toBeNull();
    const audit = await server.db.db.select().from(auditEvent).where(and(eq(auditEvent.siteId, site.id), eq(auditEvent.action, "dicom.quarantine.assign")));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).toMatchObject({ quarantineReason: "NO_MATCHING_MRN" });
    expect(JSON.stringify(audit)).not.toContain("OUTSIDE-7");
    // node(id:) resolves the imaging types; another site's user gets null
    const node = await coord.gql<{ node: { status: string } | null }>(`query($id: ID!) { node(id: $id) { ... on DicomStudy { status } } }`, { id: q.id });
    expect(node.data!.node).toEqual({ status: "ACTIVE" });
    const other = await server.createSite();
    const outsider = await as(server, other.users.COORDINATOR.email);
    expect((await outsider.gql<{ node: unknown }>(`query($id: ID!) { node(id: $id) { id } }`, { id: q.id })).data!.node).toBeNull();
    const again = await coord.gql<{ quarantineAssign: { userErrors: { code: string }[] } }>(ASSIGN, { i: { studyId: q.id, patientId: pid, version: q.version + 1, reason: "again" } });
    expect(again.data!.quarantineAssign.userErrors[0]!.code).toBe("INVALID");
  });
});
