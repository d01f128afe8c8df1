import { generateWholeBodyPet, writePetSeries } from "@lutetia/dicom";
import { expect, test, type Page } from "@playwright/test";
import { login, snap } from "./helpers";

/**
 * Imaging journey: DICOM upload with per-file progress and a result summary, the series with its
 * SUV factor on the chart, a quarantined upload assigned explicitly, a quantification job
 * followed to completion and a candidate accepted. The PET series is generated here
 * (@lutetia/dicom synthetic whole-body PET, 64 × 64 × 40).
 */

interface DemoPatient {
  id: string;
  mrn: string;
  birthDate: string;
  familyName: string;
}

/** A seeded demo patient read through the web app's GraphQL proxy with the signed-in session. */
async function demoPatient(page: Page, mrn: string): Promise<DemoPatient> {
  const res = await page.request.post("/graphql", {
    data: {
      query: "query($s: String!) { patients(first: 1, filter: { search: $s }) { edges { node { id mrn birthDate familyName } } } }",
      variables: { s: mrn },
    },
  });
  expect(res.ok()).toBe(true);
  const body = (await res.json()) as { data: { patients: { edges: { node: DemoPatient }[] } } };
  const p = body.data.patients.edges[0]?.node;
  expect(p?.mrn).toBe(mrn);
  return p!;
}

/** A small synthetic PET series (Ga-68, 75 kg, 150 MBq, 1 h uptake) as upload payloads. */
function petFiles(patientId: string, birthDate: string, uidKey: string) {
  const wb = generateWholeBodyPet({ nx: 64, ny: 64, nz: 40, lesions: 4, seed: 7, spacingMm: [8, 8, 8] });
  const files = writePetSeries(wb.data, wb.geometry, { ...wb.metadata, patientId, patientBirthDate: birthDate.replace(/-/g, ""), uidKey });
  return {
    suvFactor: 1 / wb.bqPerMlPerSuv,
    files: files.map((f) => ({ name: f.name.replace(/^.*\//, ""), mimeType: "application/dicom", buffer: Buffer.from(f.bytes) })),
  };
}

async function upload(page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]) {
  await page.goto("/imaging/upload");
  await expect(page.getByRole("heading", { name: "Upload DICOM images" })).toBeVisible();
  await page.getByLabel("DICOM files or zip archives").setInputFiles(files);
  await expect(page.getByText(`${files.length} files ·`)).toBeVisible();
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  const result = page.getByRole("region", { name: "Upload result" });
  await expect(result).toBeVisible({ timeout: 30_000 });
  return result;
}

test.describe.serial("imaging journey: upload, quarantine, SUV, quantification", () => {
  const MRN = "DEMO-0027";
  const run = `${Date.now()}`;
  let patient: DemoPatient;
  let filedUid = "";

  test("physician uploads a PET series that is filed under the patient, with its SUV factor on the chart", async ({ page }, testInfo) => {
    await login(page, "PHYSICIAN");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Imaging" })).toBeVisible();
    patient = await demoPatient(page, MRN);
    const pet = petFiles(patient.mrn, patient.birthDate, `e2e-filed-${run}`);

    const result = await upload(page, pet.files);
    await expect(result.getByTestId("upload-stored")).toHaveText(String(pet.files.length));
    await expect(result.getByTestId("upload-conflicts")).toHaveText("0");
    await expect(result.getByTestId("upload-failed")).toHaveText("0");
    const studies = result.getByRole("table", { name: "Uploaded studies" });
    await expect(studies.getByRole("row")).toHaveCount(2);
    await expect(studies).toContainText("Filed");
    await expect(studies.getByRole("link", { name: MRN })).toBeVisible();
    await expect(studies).toContainText("SUV factor");
    filedUid = (await studies.locator("tbody tr code").first().textContent()) ?? "";
    expect(filedUid).toMatch(/^[0-9.]+$/);
    await expect(page.getByRole("table", { name: "Files to upload" }).getByText("STORED")).toHaveCount(pet.files.length);
    await snap(page, testInfo, "imaging-upload-summary");

    // Same files again: all duplicates, nothing new.
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await expect(page.getByTestId("upload-duplicates")).toHaveText(String(pet.files.length));
    await expect(page.getByTestId("upload-stored")).toHaveText("0");

    // The chart's Imaging tab: study → series, QA findings, SUV factor and how it was derived.
    await page.goto(`/patients/${encodeURIComponent(patient.id)}?tab=imaging`);
    await expect(page.getByTestId("patient-mrn")).toHaveText(MRN);
    const study = page.locator(`article[data-study-uid="${filedUid}"]`);
    await expect(study).toBeVisible();
    await expect(study.getByTestId("suv-factor")).toHaveText(pet.suvFactor.toPrecision(4));
    await expect(study).toContainText("BQML_START");
    await expect(study.getByText("QA ok")).toBeVisible();
    await snap(page, testInfo, "imaging-chart-series");

    // The same-origin DICOMweb proxy (for the viewer) answers QIDO-RS with the session cookie.
    const qido = await page.request.get(`/dicomweb/studies?StudyInstanceUID=${filedUid}`, { headers: { accept: "application/dicom+json" } });
    expect(qido.status()).toBe(200);
    expect(JSON.stringify(await qido.json())).toContain(filedUid);
  });

  test("a viewer has no upload: no Imaging link and the upload screen refuses", async ({ page }) => {
    await login(page, "VIEWER");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Imaging" })).toHaveCount(0);
    await page.goto("/imaging/upload");
    await expect(page.getByText("You are not allowed to upload images.")).toBeVisible();
  });

  test("an upload with a wrong MRN is quarantined and assigned to the patient", async ({ page }, testInfo) => {
    await login(page, "COORDINATOR");
    const wrongId = `UNKNOWN-${run.slice(-6)}`;
    const pet = petFiles(wrongId, patient.birthDate, `e2e-quarantine-${run}`);
    // A stray non-DICOM file in the selection is reported per file; the DICOM files are still stored.
    const stray = { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("not a DICOM file") };
    const result = await upload(page, [...pet.files, stray]);
    await expect(result.getByTestId("upload-stored")).toHaveText(String(pet.files.length));
    await expect(result.getByTestId("upload-failed")).toHaveText("1");
    await expect(result.getByRole("alert")).toContainText("notes.txt");
    const studies = result.getByRole("table", { name: "Uploaded studies" });
    await expect(studies).toContainText("Quarantined");
    await expect(studies).toContainText("Patient ID matches no MRN at this site");
    const uid = (await studies.locator("tbody tr code").first().textContent()) ?? "";
    await snap(page, testInfo, "imaging-upload-quarantined");

    await studies.getByRole("link", { name: "Resolve in quarantine" }).click();
    await expect(page.getByRole("heading", { name: "Imaging quarantine" })).toBeVisible();
    const row = page.locator(`tr[data-study-uid="${uid}"]`);
    await expect(row).toContainText(wrongId);
    await snap(page, testInfo, "imaging-quarantine");
    await row.getByRole("button", { name: /Assign study/ }).click();

    await page.getByLabel("Find patient (MRN or name)").fill(MRN);
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("radio", { name: new RegExp(`${MRN} · `) }).check();
    const form = page.getByRole("form", { name: "Assign study" });
    // Reason is required (client-side), then an explicit confirmation.
    await form.getByRole("button", { name: "Assign study" }).click();
    await expect(form.getByText("Reason is required").first()).toBeVisible();
    await form.getByLabel("Reason (no names)").fill("Scanner PatientID typo; checked against the request form");
    await form.getByRole("button", { name: "Assign study" }).click();
    await expect(form.getByText(`Assign this study to ${MRN}`)).toBeVisible();
    await form.getByRole("button", { name: "Confirm assignment" }).click();
    await expect(page.getByRole("status").filter({ hasText: `Study assigned to ${MRN}` })).toBeVisible();
    await expect(page.locator(`tr[data-study-uid="${uid}"]`)).toHaveCount(0);

    await page.goto(`/patients/${encodeURIComponent(patient.id)}?tab=imaging`);
    await expect(page.locator(`article[data-study-uid="${uid}"]`)).toBeVisible();
    // Coordinators see series but neither QA override nor quantification.
    await expect(page.getByRole("button", { name: "QA override" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Quantify" })).toHaveCount(0);
  });

  test("physician sets a QA override, runs a quantification and accepts a candidate", async ({ page }, testInfo) => {
    await login(page, "PHYSICIAN");
    await page.goto(`/patients/${encodeURIComponent(patient.id)}?tab=imaging`);
    const study = page.locator(`article[data-study-uid="${filedUid}"]`);
    await expect(study.getByTestId("suv-factor")).toBeVisible();

    // QA override: a bad value is refused field by field, then a weight override changes the factor.
    await study.getByRole("button", { name: "QA override" }).click();
    const ov = study.getByRole("form", { name: "QA override" });
    await ov.getByLabel("Weight (kg)").fill("heavy");
    await ov.getByRole("button", { name: "Save override" }).click();
    await expect(ov.getByText("Weight must be a number").first()).toBeVisible();
    await expect(ov.getByText("Reason is required").first()).toBeVisible();
    // A value the server refuses comes back as a field-level userError on the same input.
    await ov.getByLabel("Weight (kg)").fill("900");
    await ov.getByLabel("Reason (no names)").fill("weighed on the day of the scan");
    await ov.getByRole("button", { name: "Save override" }).click();
    await expect(ov.getByText("must be ≤ 500 kg").first()).toBeVisible();
    await expect(ov.getByLabel("Weight (kg)")).toHaveAttribute("aria-invalid", "true");
    await ov.getByLabel("Weight (kg)").fill("80");
    await ov.getByRole("button", { name: "Save override" }).click();
    await expect(study.getByRole("status").filter({ hasText: "QA override saved" })).toBeVisible();
    await expect(study.getByLabel(/Overrides in force/)).toContainText("PatientWeight");
    const factor = Number(await study.getByTestId("suv-factor").textContent());
    expect(factor).toBeGreaterThan(0);

    await study.getByRole("button", { name: "Quantify" }).click();
    const q = study.getByRole("form", { name: "Quantify lesions" });
    await q.getByLabel("SUV threshold").fill("25");
    await q.getByRole("button", { name: "Start quantification" }).click();
    await expect(study.locator('[data-job-status="SUCCEEDED"]')).toBeVisible({ timeout: 45_000 });
    const candidates = study.getByRole("table", { name: /Lesion candidates/ });
    await expect(candidates.locator('tr[data-candidate-status="PROPOSED"]').first()).toBeVisible();
    await snap(page, testInfo, "imaging-candidates");

    await candidates.getByRole("button", { name: "Accept candidate 1" }).click();
    const accept = study.getByRole("form", { name: "Accept candidate 1" });
    const useMatch = accept.getByLabel(/proposed match/);
    if (await useMatch.count()) await useMatch.uncheck();
    await accept.getByLabel("Lesion label").fill(`E2E-${run.slice(-4)}`);
    await accept.getByLabel("Organ").fill("bladder");
    await accept.getByRole("button", { name: "Accept candidate" }).click();
    await expect(candidates.locator('tr[data-candidate-status="ACCEPTED"]')).toHaveCount(1);
    await snap(page, testInfo, "imaging-candidate-accepted");
  });
});
