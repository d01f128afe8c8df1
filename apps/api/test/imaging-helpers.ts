import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateWholeBodyPet, writePetSeries, type WholeBodyPetOptions, type WrittenFile } from "@lutetia/dicom";
import type { Client } from "./harness";

/**
 * Test helpers for the imaging service: locating `../shared/data` from the repository root
 * (walking up, so git worktrees work too), generating PET series, and DICOMweb multipart I/O.
 */
export function sharedDataDir(): string {
  const env = process.env.LUTETIA_SHARED_DATA;
  if (env && existsSync(env)) return env;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const c = path.join(dir, "shared", "data");
    if (existsSync(c)) return c;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error("shared/data not found above the repository (set LUTETIA_SHARED_DATA)");
}

export function nemaFiles(recon: 1 | 2 = 1, limit?: number): WrittenFile[] {
  const dir = path.join(sharedDataDir(), "pynemaiqpet-nema-pet", `pet_recon_${recon}`);
  const names = readdirSync(dir).filter((f) => f.endsWith(".dcm")).sort();
  return names.slice(0, limit ?? names.length).map((name) => ({ name, bytes: new Uint8Array(readFileSync(path.join(dir, name))) }));
}

export function vendorSlice(name: string): WrittenFile {
  return { name, bytes: new Uint8Array(readFileSync(path.join(sharedDataDir(), "orthanc-tests-pet-slices", name))) };
}

/** A synthetic whole-body PET for a patient (PatientID = MRN, birth date as given). */
export function petSeries(opts: { mrn: string; birthDate?: string; uidKey: string; weightKg?: number } & WholeBodyPetOptions) {
  const wb = generateWholeBodyPet({ nx: 48, ny: 48, nz: 40, lesions: 4, seed: 7, spacingMm: [8, 8, 8], ...opts });
  const meta = { ...wb.metadata, patientId: opts.mrn, patientBirthDate: (opts.birthDate ?? "1960-05-04").replace(/-/g, ""), uidKey: opts.uidKey };
  return { wb, files: writePetSeries(wb.data, wb.geometry, meta) };
}

export function multipartRelated(parts: Uint8Array[], type = "application/dicom"): { body: Buffer; contentType: string } {
  const boundary = `test-${Math.random().toString(36).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Type: ${type}\r\n\r\n`));
    chunks.push(Buffer.from(p));
    chunks.push(Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/related; type="${type}"; boundary=${boundary}` };
}

export async function stow(client: Client, files: { bytes: Uint8Array }[], studyUid?: string) {
  const { body, contentType } = multipartRelated(files.map((f) => f.bytes));
  const res = await fetch(`${client.base}/dicomweb/studies${studyUid ? `/${studyUid}` : ""}`, {
    method: "POST",
    headers: { "content-type": contentType, accept: "application/dicom+json", ...(client.cookie ? { cookie: client.cookie } : {}) },
    body,
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, { Value?: Record<string, { Value?: unknown[] }>[] }>) : {} };
}

export async function dw(client: Client | { base: string; cookie?: string }, pathAndQuery: string, accept?: string) {
  const res = await fetch(`${client.base}/dicomweb${pathAndQuery}`, { headers: { ...(accept ? { accept } : {}), ...(client.cookie ? { cookie: client.cookie } : {}) } });
  const buf = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, buf };
}

/** Splits a multipart/related response into its parts (headers + body). */
export function parseMultipartBody(buf: Buffer, contentType: string): { headers: Record<string, string>; body: Buffer }[] {
  const m = /boundary=("?)([^";]+)\1/.exec(contentType);
  if (!m) throw new Error(`no boundary in ${contentType}`);
  const delim = Buffer.from(`\r\n--${m[2]}`);
  const src = Buffer.concat([Buffer.from("\r\n"), buf]);
  const out: { headers: Record<string, string>; body: Buffer }[] = [];
  let pos = src.indexOf(delim);
  while (pos >= 0) {
    const after = pos + delim.length;
    if (src.subarray(after, after + 2).toString() === "--") break;
    const hdrEnd = src.indexOf("\r\n\r\n", after);
    const headers: Record<string, string> = {};
    for (const line of src.subarray(after + 2, hdrEnd).toString().split("\r\n")) {
      const i = line.indexOf(":");
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const next = src.indexOf(delim, hdrEnd + 4);
    out.push({ headers, body: src.subarray(hdrEnd + 4, next) });
    pos = next;
  }
  return out;
}
