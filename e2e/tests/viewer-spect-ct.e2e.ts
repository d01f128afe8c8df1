import {
  generateCtForPet,
  generateWholeBodyPet,
  generateWholeBodySpect,
  writeCtSeries,
  writePetSeries,
  writeSpectSeries,
  type WrittenFile,
} from "@lutetia/dicom";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { login, pixelStats, snap } from "./helpers";

/**
 * Viewer journeys beyond plain PET (README "Viewer"):
 * 1. PET + CT in one study (synthetic CT on the PET's grid and frame of reference): the viewer
 *    fuses them — the CT series is named in the header, the opacity control changes the
 *    rendering (screenshot pixel statistics at opacity 0 / 1), the PET readout is unchanged.
 * 2. Quantitative 177Lu SPECT (NM, Units CNTS): without a calibration factor the server refuses
 *    SUV (QA gate) and the viewer shows counts with the reason; after the calibration-factor
 *    override (GraphQL `seriesQaOverrideSet`) the readout at a known voxel is SUVbw = counts ×
 *    the server's factor = the generator's ground truth.
 */

interface DemoPatient {
  id: string;
  mrn: string;
  birthDate: string;
}

interface SeriesNode {
  id: string;
  modality: string;
  seriesNumber: number | null;
  frameOfReferenceUid: string | null;
  instanceCount: number;
  qa: { findings: { code: string; severity: string }[] } | null;
  suv: {
    ok: boolean;
    factor: number | null;
    method: string | null;
    reasons: { code: string; message: string }[];
  } | null;
}

const run = `${Date.now()}`;

async function gql<T>(page: Page, query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await page.request.post("/graphql", { data: { query, variables } });
  expect(res.ok(), await res.text()).toBe(true);
  const body = (await res.json()) as { data: T; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data;
}

async function findPatient(page: Page, mrn: string): Promise<DemoPatient> {
  const found = await gql<{ patients: { edges: { node: DemoPatient }[] } }>(
    page,
    "query($s: String!) { patients(first: 1, filter: { search: $s }) { edges { node { id mrn birthDate } } } }",
    { s: mrn },
  );
  const p = found.patients.edges[0]?.node;
  expect(p?.mrn).toBe(mrn);
  return p!;
}

/** Uploads through the upload page; returns the Study Instance UID shown in the result. */
async function upload(page: Page, files: WrittenFile[]): Promise<string> {
  await page.goto("/imaging/upload");
  await page.getByLabel("DICOM files or zip archives").setInputFiles(
    files.map((f) => ({
      name: f.name,
      mimeType: "application/dicom",
      buffer: Buffer.from(f.bytes),
    })),
  );
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  const result = page.getByRole("region", { name: "Upload result" });
  await expect(result.getByTestId("upload-stored")).toHaveText(String(files.length), {
    timeout: 30_000,
  });
  const rows = result.getByRole("table", { name: "Uploaded studies" }).locator("tbody tr");
  await expect(rows).toHaveCount(1);
  return (await rows.locator("code").first().textContent()) ?? "";
}

const SERIES_FIELDS =
  "id modality seriesNumber frameOfReferenceUid instanceCount qa { findings { code severity } } suv { ok factor method reasons { code message } }";

async function studyOf(
  page: Page,
  patientId: string,
  uid: string,
): Promise<{ id: string; series: SeriesNode[] }> {
  const st = await gql<{
    dicomStudies: { edges: { node: { id: string; studyInstanceUid: string } }[] };
  }>(
    page,
    "query($p: ID!) { dicomStudies(first: 50, filter: { patientId: $p }) { edges { node { id studyInstanceUid } } } }",
    { p: patientId },
  );
  const node = st.dicomStudies.edges.map((e) => e.node).find((n) => n.studyInstanceUid === uid);
  expect(node).toBeDefined();
  const one = await gql<{ dicomStudy: { id: string; series: SeriesNode[] } }>(
    page,
    `query($id: ID!) { dicomStudy(id: $id) { id series { ${SERIES_FIELDS} } } }`,
    { id: node!.id },
  );
  return one.dicomStudy;
}


async function readoutValue(page: Page): Promise<number> {
  const v = page.getByTestId("readout-value");
  await expect(v).not.toHaveAttribute("data-value", "");
  return Number(await v.getAttribute("data-value"));
}

async function goTo(viewer: Locator, mm: [number, number, number]) {
  const form = viewer.getByRole("form", { name: "Go to position" });
  await form.getByLabel("x (mm)").fill(mm[0].toFixed(3));
  await form.getByLabel("y (mm)").fill(mm[1].toFixed(3));
  await form.getByLabel("z (mm)").fill(mm[2].toFixed(3));
  await form.getByRole("button", { name: "Go to" }).click();
}

const GRID = { nx: 64, ny: 64, nz: 40, lesions: 6, spacingMm: [8, 8, 8] } as const;

/** Voxel index of the largest lesion's centre. */
function lesionVoxel(
  lesions: readonly { radiusMm: number; centreMm: [number, number, number] }[],
  origin: readonly number[],
): [number, number, number] {
  const l = [...lesions].sort((a, b) => b.radiusMm - a.radiusMm)[0]!;
  return [0, 1, 2].map((a) => Math.round((l.centreMm[a]! - origin[a]!) / GRID.spacingMm[a]!)) as [
    number,
    number,
    number,
  ];
}

test.describe.serial("viewer: PET fused over CT", () => {
  const wb = generateWholeBodyPet({ ...GRID, spacingMm: [...GRID.spacingMm], seed: 21 });
  const ct = generateCtForPet(wb);
  const o = wb.geometry.originMm;
  const idx = lesionVoxel(wb.lesions, o);
  const mm = idx.map((v, a) => o[a]! + v * GRID.spacingMm[a]!) as [number, number, number];

  test("PET + CT study: CT named in the header, opacity changes the fused rendering", async ({
    page,
  }, testInfo) => {
    test.setTimeout(150_000);
    await login(page, "PHYSICIAN");
    const patient = await findPatient(page, "DEMO-0028");
    const meta = {
      ...wb.metadata,
      patientId: patient.mrn,
      patientBirthDate: patient.birthDate.replace(/-/g, ""),
      uidKey: `e2e-viewer-petct-${run}`,
    };
    const petFiles = writePetSeries(wb.data, wb.geometry, meta);
    const ctFiles = writeCtSeries(ct.hu, ct.geometry, {
      ...meta,
      seriesDescription: "Synthetic low-dose CT",
    });
    const uid = await upload(page, [...petFiles, ...ctFiles]);
    const study = await studyOf(page, patient.id, uid);
    const pt = study.series.find((s) => s.modality === "PT")!;
    const cts = study.series.find((s) => s.modality === "CT")!;
    expect(cts.instanceCount).toBe(GRID.nz);
    expect(cts.frameOfReferenceUid).toBe(pt.frameOfReferenceUid);
    expect(cts.suv).toBeNull(); // CT: no SUV derivation
    expect(pt.suv?.ok).toBe(true);
    const factor = pt.suv!.factor!;

    await page.goto(`/viewer/${encodeURIComponent(study.id)}`);
    const viewer = page.locator(".viewer");
    await expect(viewer).toHaveAttribute("data-status", "ready", { timeout: 45_000 });
    await expect(page.getByText(/fused with CT series 2 Synthetic low-dose CT/)).toBeVisible();
    const opacity = viewer.getByLabel("PET opacity over CT");
    await expect(opacity).toHaveValue("0.6");

    // The PET readout is the PET's, not the CT's: SUV at the lesion voxel = ground truth × factor.
    await goTo(viewer, mm);
    await expect(page.getByTestId("readout-voxel")).toHaveText(idx.join(", "));
    await expect(page.getByTestId("readout-unit")).toHaveText("SUVbw");
    const truth = wb.data[idx[0] + idx[1] * GRID.nx + idx[2] * GRID.nx * GRID.ny]! * factor;
    expect(Math.abs((await readoutValue(page)) - truth)).toBeLessThan(0.01 * truth);

    const axial = page.locator('[data-view="axial"]');
    const shotAt = async (value: string, name: string) => {
      await opacity.fill(value);
      await expect(opacity).toHaveValue(value);
      await page.waitForTimeout(600);
      return pixelStats(page, await axial.screenshot({ path: testInfo.outputPath(name) }));
    };
    const ctOnly = await shotAt("0", "fusion-opacity-0.png");
    const petOnTop = await shotAt("1", "fusion-opacity-1.png");
    const mixed = await shotAt("0.5", "fusion-opacity-0.5.png");
    testInfo.annotations.push({
      type: "pixel statistics",
      description: JSON.stringify({ ctOnly, mixed, petOnTop }),
    });
    // Opacity 0: the CT alone (grey scale, structured: air, soft tissue, lungs, bone).
    expect(ctOnly.sd).toBeGreaterThan(10);
    expect(ctOnly.coloured).toBeLessThan(0.01);
    // Opacity 1: the PET colour map covers the body; 0.5 lies between.
    expect(petOnTop.coloured).toBeGreaterThan(ctOnly.coloured + 0.05);
    expect(Math.abs(petOnTop.mean - ctOnly.mean)).toBeGreaterThan(3);
    // (The cyan crosshair lines make the CT-only warmth slightly negative; the body is ≈ 20 % of
    // the view and the half-opacity tint is faint, ≈ +1.)
    expect(Math.abs(ctOnly.warmth)).toBeLessThan(1);
    expect(petOnTop.warmth).toBeGreaterThan(ctOnly.warmth + 5);
    expect(mixed.warmth).toBeGreaterThan(ctOnly.warmth + 0.5);
    expect(mixed.warmth).toBeLessThan(petOnTop.warmth);
    await snap(page, testInfo, "viewer-pet-ct-fusion");
  });
});

test.describe.serial("viewer: quantitative 177Lu SPECT", () => {
  const sp = generateWholeBodySpect({ ...GRID, spacingMm: [...GRID.spacingMm], seed: 23 });
  const o = sp.geometry.originMm;
  const idx = lesionVoxel(sp.lesions, o);
  const lesion = [...sp.lesions].sort((a, b) => b.radiusMm - a.radiusMm)[0]!;
  const mm = idx.map((v, a) => o[a]! + v * GRID.spacingMm[a]!) as [number, number, number];
  const n = idx[0] + idx[1] * GRID.nx + idx[2] * GRID.nx * GRID.ny;
  const slice = sp.counts.subarray(idx[2] * GRID.nx * GRID.ny, (idx[2] + 1) * GRID.nx * GRID.ny);
  // Quantisation of the written slice: ≤ slope/2 per voxel (slope = slice max / 65535).
  const halfStep = Math.max(...Array.from(slice)) / 65535 / 2 + 1e-6;

  test("NM series: counts without a calibration factor, SUVbw = counts × server factor after the override", async ({
    page,
  }, testInfo) => {
    test.setTimeout(150_000);
    await login(page, "PHYSICIAN");
    const patient = await findPatient(page, "DEMO-0029");
    const files = writeSpectSeries(sp.counts, sp.geometry, {
      ...sp.metadata,
      patientId: patient.mrn,
      patientBirthDate: patient.birthDate.replace(/-/g, ""),
      uidKey: `e2e-viewer-spect-${run}`,
    });
    const uid = await upload(page, files);
    let study = await studyOf(page, patient.id, uid);
    expect(study.series).toHaveLength(1);
    const nm = study.series[0]!;
    expect(nm.modality).toBe("NM");
    expect(nm.instanceCount).toBe(GRID.nz);
    expect(nm.qa?.findings).toEqual([{ code: "SPECT_CALIBRATION_MISSING", severity: "BLOCKING" }]);
    expect(nm.suv?.ok).toBe(false);

    // Without a calibration factor: counts, and the reason.
    await page.goto(`/viewer/${encodeURIComponent(study.id)}`);
    const viewer = page.locator(".viewer");
    await expect(viewer).toHaveAttribute("data-status", "ready", { timeout: 45_000 });
    await expect(
      page.getByText(/SPECT series 1 Synthetic 177Lu SPECT · 40 images · 177Lu/),
    ).toBeVisible();
    await expect(page.getByTestId("readout-unit")).toHaveText("counts");
    await expect(page.getByTestId("viewer-unit-note")).toContainText("SPECT_CALIBRATION_MISSING");
    await expect(viewer.getByLabel("PET opacity over CT")).toHaveCount(0);
    await goTo(viewer, mm);
    await expect(page.getByTestId("readout-voxel")).toHaveText(idx.join(", "));
    expect(Math.abs((await readoutValue(page)) - sp.counts[n]!)).toBeLessThanOrEqual(halfStep);
    const shot = await page
      .locator('[data-view="axial"]')
      .screenshot({ path: testInfo.outputPath("spect-axial-counts.png") });
    const stats = await pixelStats(page, shot);
    expect(stats.sd).toBeGreaterThan(5);
    expect(stats.mean).toBeGreaterThan(2);

    // The physician supplies the system calibration factor (audited QA override).
    const ov = await gql<{
      seriesQaOverrideSet: {
        series: SeriesNode | null;
        userErrors: { field: string; message: string }[];
      };
    }>(
      page,
      `mutation($i: SeriesQaOverrideSetInput!) { seriesQaOverrideSet(input: $i) { series { ${SERIES_FIELDS} } userErrors { field message } } }`,
      {
        i: {
          seriesId: nm.id,
          calibrationFactorCpsPerMBq: sp.calibrationFactorCpsPerMBq,
          reason: "camera calibration 177Lu 208 keV, e2e",
        },
      },
    );
    expect(ov.seriesQaOverrideSet.userErrors).toEqual([]);
    study = await studyOf(page, patient.id, uid);
    const suv = study.series[0]!.suv!;
    expect(suv.ok).toBe(true);
    expect(suv.method).toBe("SPECT_CALIBRATED");
    // The server's factor (SUVbw per count) equals the generator's ground truth.
    expect(Math.abs(suv.factor! / sp.suvPerCount - 1)).toBeLessThan(1e-9);

    await page.reload();
    await expect(viewer).toHaveAttribute("data-status", "ready", { timeout: 45_000 });
    await expect(
      page.getByText(/SUVbw factor .* \(SPECT_CALIBRATED, from the server\)/),
    ).toBeVisible();
    await expect(page.getByTestId("readout-unit")).toHaveText("SUVbw");
    await expect(page.getByTestId("viewer-unit-note")).toHaveCount(0);
    await goTo(viewer, mm);
    await expect(page.getByTestId("readout-voxel")).toHaveText(idx.join(", "));
    const value = await readoutValue(page);
    const expected = sp.counts[n]! * suv.factor!;
    expect(Math.abs(value - expected)).toBeLessThanOrEqual(halfStep * suv.factor! + 1e-9);
    expect(Math.abs(expected - lesion.suv)).toBeLessThan(1e-3 * lesion.suv);
    await expect(page.getByTestId("readout-value")).toHaveText(`${expected.toFixed(2)} SUVbw`);
    await snap(page, testInfo, "viewer-spect-suv");
  });
});
