import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditEvent, dicomInstance, dicomStudy } from "@lutetia/db";
import { as, Client, startTestServer, type TestServer } from "../../test/harness";
import yazl from "yazl";
import { dw, nemaFiles, parseMultipartBody, petSeries, stow, vendorSlice } from "../../test/imaging-helpers";

let server: TestServer;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "lutetia-dicom-"));
  server = await startTestServer({ DICOM_STORAGE_DIR: dataDir, JOB_WORKER: "false" });
});
afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const CREATE = `mutation($i: PatientCreateInput!) { patientCreate(input: $i) { patient { id } userErrors { message } } }`;
async function patientAt(c: Client, mrn: string, birthDate = "1960-05-04") {
  const r = await c.gql<{ patientCreate: { patient: { id: string } } }>(CREATE, { i: { mrn, familyName: "Imagingtest", givenName: "Pat", birthDate, sex: "MALE", heightCm: 175 } });
  return r.data!.patientCreate.patient.id;
}

type Ds = Record<string, { Value?: unknown[] }>;
const v = (ds: Ds, tag: string) => ds[tag]?.Value?.[0];

describe("DICOMweb STOW → QIDO → WADO", () => {
  it("round-trips a generated PET series byte-for-byte and files it under the matched patient", async () => {
    const { site, users } = await server.createSite();
    const coord = await as(server, users.COORDINATOR.email);
    const pid = await patientAt(coord, "IMG-001");
    const { files } = petSeries({ mrn: "IMG-001", uidKey: `rt-${site.id}` });
    const r = await stow(coord, files);
    expect(r.status).toBe(200);
    expect((r.json["00081199"]?.Value ?? []).length).toBe(files.length);
    expect(r.json["00081198"]).toBeUndefined();

    const studies = await dw(coord, "/studies?PatientID=IMG-001", "application/dicom+json");
    expect(studies.status).toBe(200);
    const list = JSON.parse(studies.buf.toString()) as Ds[];
    expect(list).toHaveLength(1);
    const studyUid = v(list[0]!, "0020000D") as string;
    expect(v(list[0]!, "00201208")).toBe(files.length);
    expect(list[0]!["00080061"]?.Value).toEqual(["PT"]);

    const series = JSON.parse((await dw(coord, `/studies/${studyUid}/series`)).buf.toString()) as Ds[];
    expect(series).toHaveLength(1);
    const seriesUid = v(series[0]!, "0020000E") as string;
    const instances = JSON.parse((await dw(coord, `/studies/${studyUid}/series/${seriesUid}/instances`)).buf.toString()) as Ds[];
    expect(instances).toHaveLength(files.length);

    // WADO-RS instance retrieve returns identical bytes
    const bySop = new Map(files.map((f) => [f.name, f]));
    void bySop;
    const sop = v(instances[3]!, "00080018") as string;
    const original = files.find((f) => Buffer.from(f.bytes).includes(Buffer.from(sop)))!;
    const inst = await dw(coord, `/studies/${studyUid}/series/${seriesUid}/instances/${sop}`, 'multipart/related; type="application/dicom"; transfer-syntax=*');
    expect(inst.status).toBe(200);
    const parts = parseMultipartBody(inst.buf, inst.headers.get("content-type")!);
    expect(parts).toHaveLength(1);
    expect(Buffer.compare(parts[0]!.body, Buffer.from(original.bytes))).toBe(0);

    // whole series retrieve: every file identical
    const all = await dw(coord, `/studies/${studyUid}/series/${seriesUid}`, 'multipart/related; type="application/dicom"');
    const allParts = parseMultipartBody(all.buf, all.headers.get("content-type")!);
    const originals = new Set(files.map((f) => Buffer.from(f.bytes).toString("base64")));
    expect(allParts).toHaveLength(files.length);
    expect(allParts.every((p) => originals.has(p.body.toString("base64")))).toBe(true);

    // metadata + frames (Cornerstone3D wadors: loader)
    const md = JSON.parse((await dw(coord, `/studies/${studyUid}/series/${seriesUid}/metadata`)).buf.toString()) as Ds[];
    expect(md).toHaveLength(files.length);
    expect(md[0]!["7FE00010"]).toMatchObject({ vr: "OW" });
    expect(v(md[0]!, "00280010")).toBe(48);
    const frame = await dw(coord, `/studies/${studyUid}/series/${seriesUid}/instances/${sop}/frames/1`, 'multipart/related; type="application/octet-stream"; transfer-syntax=*');
    expect(frame.status).toBe(200);
    const fparts = parseMultipartBody(frame.buf, frame.headers.get("content-type")!);
    expect(fparts[0]!.headers["content-type"]).toContain("transfer-syntax=1.2.840.10008.1.2.1");
    expect(fparts[0]!.body.length).toBe(48 * 48 * 2);
    // the frame bytes are the tail of the file's pixel data
    expect(Buffer.from(original.bytes).includes(fparts[0]!.body)).toBe(true);

    // transfer syntax negotiation: a syntax we do not hold → 406
    const refused = await dw(coord, `/studies/${studyUid}/series/${seriesUid}/instances/${sop}/frames/1`, 'multipart/related; type="application/octet-stream"; transfer-syntax=1.2.840.10008.1.2.4.80');
    expect(refused.status).toBe(406);

    // filed under the patient, linked to an imaging_study; reads audited with the patient id
    const [row] = await server.db.db.select().from(dicomStudy).where(eq(dicomStudy.siteId, site.id));
    expect(row).toMatchObject({ status: "ACTIVE", patientId: expect.any(String) });
    expect(row!.imagingStudyId).not.toBeNull();
    const audit = await server.db.db.select().from(auditEvent).where(eq(auditEvent.siteId, site.id));
    expect(audit.some((a) => a.action === "dicom.store" && a.patientId === row!.patientId)).toBe(true);
    expect(audit.some((a) => a.action === "DicomInstance.read" && a.patientId === row!.patientId)).toBe(true);
    void pid;
  });

  it("is idempotent by SOP Instance UID: same bytes no-op, different bytes refused (409) and original kept", async () => {
    const { site, users } = await server.createSite();
    const coord = await as(server, users.COORDINATOR.email);
    await patientAt(coord, "IMG-002");
    const { files } = petSeries({ mrn: "IMG-002", uidKey: `dup-${site.id}`, nz: 6 });
    expect((await stow(coord, files)).status).toBe(200);
    const again = await stow(coord, files);
    expect(again.status).toBe(200);
    const rows = await server.db.db.select().from(dicomInstance).where(eq(dicomInstance.siteId, site.id));
    expect(rows).toHaveLength(6);

    // same UIDs, different pixel content
    const other = petSeries({ mrn: "IMG-002", uidKey: `dup-${site.id}`, nz: 6, weightKg: 81 });
    const conflict = await stow(coord, other.files.slice(0, 2));
    expect(conflict.status).toBe(409);
    const failed = conflict.json["00081198"]!.Value!;
    expect(failed).toHaveLength(2);
    expect(failed[0]!["00081197"]!.Value![0]).toBe(0x0111);
    const after = await server.db.db.select().from(dicomInstance).where(eq(dicomInstance.siteId, site.id));
    expect(after.map((r) => r.sha256).sort()).toEqual(rows.map((r) => r.sha256).sort());

    // the same new series sent twice at the same time (two modality associations): one study, no errors
    const par = petSeries({ mrn: "IMG-002", uidKey: `par-${site.id}`, nz: 10 });
    const [p1, p2] = await Promise.all([stow(coord, par.files), stow(coord, par.files)]);
    expect([p1.status, p2.status]).toEqual([200, 200]);
    const parRows = await server.db.db.select().from(dicomInstance).where(eq(dicomInstance.siteId, site.id));
    expect(parRows).toHaveLength(6 + 10);
    expect(await server.db.db.select().from(dicomStudy).where(eq(dicomStudy.siteId, site.id))).toHaveLength(2);

    // mixed request: one new, one conflicting → 202
    const mixed = petSeries({ mrn: "IMG-002", uidKey: `dup-${site.id}`, nz: 7, weightKg: 81 });
    const res = await stow(coord, [mixed.files[0]!, mixed.files[6]!]);
    expect(res.json["00081199"]!.Value).toHaveLength(1);
    expect(res.status).toBe(202);
  });

  it("quarantines a study whose PatientID/birth date match no patient", async () => {
    const { site, users } = await server.createSite();
    const coord = await as(server, users.COORDINATOR.email);
    await patientAt(coord, "IMG-003", "1970-01-01");
    const wrongBirth = petSeries({ mrn: "IMG-003", birthDate: "1971-01-01", uidKey: `q1-${site.id}`, nz: 4 });
    const r = await stow(coord, wrongBirth.files);
    expect(r.status).toBe(200);
    expect(r.json["00081198"]).toBeUndefined(); // stored (held in quarantine), not failed
    const unknown = petSeries({ mrn: "NOBODY-9", uidKey: `q2-${site.id}`, nz: 4 });
    await stow(coord, unknown.files);
    const rows = await server.db.db.select().from(dicomStudy).where(eq(dicomStudy.siteId, site.id));
    expect(rows.map((x) => x.quarantineReason).sort()).toEqual(["BIRTH_DATE_MISMATCH", "NO_MATCHING_MRN"]);
    expect(rows.every((x) => x.status === "QUARANTINED" && x.patientId === null)).toBe(true);
    // a viewer cannot see quarantined studies; a coordinator can
    const viewer = await as(server, users.VIEWER.email);
    expect(JSON.parse((await dw(viewer, "/studies")).buf.toString())).toEqual([]);
    expect(JSON.parse((await dw(coord, "/studies")).buf.toString())).toHaveLength(2);
  });

  it("denies cross-site DICOMweb access and audits it", async () => {
    const a = await server.createSite();
    const b = await server.createSite();
    const coordA = await as(server, a.users.COORDINATOR.email);
    await patientAt(coordA, "IMG-004");
    const { files } = petSeries({ mrn: "IMG-004", uidKey: `x-${a.site.id}`, nz: 3 });
    await stow(coordA, files);
    const studyUid = (JSON.parse((await dw(coordA, "/studies")).buf.toString()) as Ds[]).map((s) => v(s, "0020000D") as string)[0]!;
    const series = JSON.parse((await dw(coordA, `/studies/${studyUid}/series`)).buf.toString()) as Ds[];
    const seriesUid = v(series[0]!, "0020000E") as string;
    const inst = JSON.parse((await dw(coordA, `/studies/${studyUid}/series/${seriesUid}/instances`)).buf.toString()) as Ds[];
    const sop = v(inst[0]!, "00080018") as string;

    const physB = await as(server, b.users.PHYSICIAN.email);
    expect(JSON.parse((await dw(physB, "/studies")).buf.toString())).toEqual([]);
    expect((await dw(physB, `/studies/${studyUid}/series`)).status).toBe(404);
    expect((await dw(physB, `/studies/${studyUid}/series/${seriesUid}/instances/${sop}/frames/1`)).status).toBe(404);
    expect((await dw(physB, `/studies/${studyUid}/series/${seriesUid}/instances/${sop}`)).status).toBe(404);
    const denied = await server.db.db.select().from(auditEvent).where(and(eq(auditEvent.siteId, b.site.id), eq(auditEvent.outcome, "DENIED")));
    expect(denied.length).toBeGreaterThanOrEqual(3);
    expect(denied.every((d) => d.actorUserId === b.users.PHYSICIAN.id)).toBe(true);
    // anonymous: 401; viewer cannot upload: 403 and audited
    expect((await dw(new Client(server.base), "/studies")).status).toBe(401);
    const viewerA = await as(server, a.users.VIEWER.email);
    expect((await stow(viewerA, files)).status).toBe(403);
  });

  it("stores real files: NEMA phantom slices (quarantined: no matching patient) and vendor PET slices", async () => {
    const { users } = await server.createSite();
    const coord = await as(server, users.COORDINATOR.email);
    const nema = nemaFiles(1, 10);
    const r = await stow(coord, nema);
    expect(r.status).toBe(200);
    const vendor = [vendorSlice("2020-11-16-SalimKanounAnonymization.dcm"), vendorSlice("2021-02-19-MalaterreCP246.dcm"), vendorSlice("Issue94.dcm")];
    const rv = await stow(coord, vendor);
    expect([200, 202]).toContain(rv.status);
    const studies = JSON.parse((await dw(coord, "/studies")).buf.toString()) as Ds[];
    expect(studies.length).toBeGreaterThanOrEqual(2);
    // NEMA: implicit VR little endian, frames served as stored
    const nemaStudy = studies.find((s) => v(s, "00201208") === 10)!;
    const uid = v(nemaStudy, "0020000D") as string;
    const ser = JSON.parse((await dw(coord, `/studies/${uid}/series`)).buf.toString()) as Ds[];
    const seUid = v(ser[0]!, "0020000E") as string;
    const all = await dw(coord, `/studies/${uid}/series/${seUid}`);
    expect(all.status, all.buf.toString().slice(0, 200)).toBe(200);
    const parts = parseMultipartBody(all.buf, all.headers.get("content-type")!);
    const originals = new Set(nema.map((f) => Buffer.from(f.bytes).toString("base64")));
    expect(parts.every((p) => originals.has(p.body.toString("base64")))).toBe(true);
    expect(parts[0]!.headers["content-type"]).toContain("transfer-syntax=1.2.840.10008.1.2");
  });

  it("rejects non-DICOM parts with a failure reason and a malformed body with 400", async () => {
    const { users } = await server.createSite();
    const coord = await as(server, users.COORDINATOR.email);
    const r = await stow(coord, [{ bytes: new TextEncoder().encode("not dicom at all") }]);
    expect(r.status).toBe(409);
    expect(r.json["00081198"]!.Value![0]!["00081197"]!.Value![0]).toBe(0xc000);
    const res = await fetch(`${server.base}/dicomweb/studies`, { method: "POST", headers: { cookie: coord.cookie!, "content-type": 'multipart/related; type="application/dicom"; boundary=abc' }, body: "--abc\r\nContent-Type: application/dicom\r\n\r\ntruncated" });
    expect(res.status).toBe(400);
  });

  it("accepts web uploads of files and zip archives (multipart/form-data), with CSRF header and per-file results", async () => {
    const { site, users } = await server.createSite();
    const coord = await as(server, users.COORDINATOR.email);
    await patientAt(coord, "IMG-005");
    const { files } = petSeries({ mrn: "IMG-005", uidKey: `up-${site.id}`, nz: 8 });
    const zip = new yazl.ZipFile();
    for (const f of files.slice(2)) zip.addBuffer(Buffer.from(f.bytes), `study/${f.name}`);
    zip.addBuffer(Buffer.from("readme"), "README.txt");
    zip.end();
    const chunks: Buffer[] = [];
    for await (const c of zip.outputStream) chunks.push(c as Buffer);
    const form = new FormData();
    form.append("files", new Blob([Buffer.from(files[0]!.bytes)]), files[0]!.name);
    form.append("files", new Blob([Buffer.from(files[1]!.bytes)]), files[1]!.name);
    form.append("files", new Blob([Buffer.concat(chunks)], { type: "application/zip" }), "study.zip");
    const noCsrf = await fetch(`${server.base}/api/uploads`, { method: "POST", headers: { cookie: coord.cookie! }, body: form });
    expect(noCsrf.status).toBe(400);
    const res = await fetch(`${server.base}/api/uploads`, { method: "POST", headers: { cookie: coord.cookie!, "x-requested-with": "fetch" }, body: form });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { summary: Record<string, number>; studies: { status: string }[]; files: { name: string; outcome: string; message: string | null }[] };
    expect(body.summary).toEqual({ stored: 8, duplicates: 0, conflicts: 0, failed: 1 });
    expect(body.files.find((f) => f.name.endsWith("README.txt"))).toMatchObject({ outcome: "FAILED" });
    expect(body.studies).toEqual([{ studyInstanceUid: expect.any(String), status: "ACTIVE", quarantineReason: null }]);
    const rows = await server.db.db.select().from(dicomInstance).where(eq(dicomInstance.siteId, site.id));
    expect(rows).toHaveLength(8);
    // limits: too many files → 413, nothing indexed
    const small = await startTestServer({ DICOM_STORAGE_DIR: dataDir, UPLOAD_MAX_FILES: "3" });
    try {
      const s2 = await small.createSite();
      const c2 = await as(small, s2.users.COORDINATOR.email);
      const tooMany = await stow(c2, files.slice(0, 4));
      expect(tooMany.status).toBe(413);
      expect(await small.db.db.select().from(dicomInstance).where(eq(dicomInstance.siteId, s2.site.id))).toHaveLength(0);
    } finally {
      await small.close();
    }
  });
});
