import { generateWholeBodyPet, writePetSeries } from "@lutetia/dicom";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { login, pixelStats, snap } from "./helpers";

/**
 * Viewer journey: a generated PET series (@lutetia/dicom synthetic whole-body PET, 64 × 64 × 40,
 * 8 mm voxels, Ga-68 150 MBq, 75 kg, 1 h uptake) is uploaded, opened from the chart in the
 * Cornerstone3D viewer; the canvas is not blank (pixel statistics of a screenshot), the SUV
 * readout at a known voxel equals the ground truth × the server's SUV factor, a sphere ROI's
 * SUVmax/volume match the ground truth, a drawn ROI is saved as a lesion measurement and shows
 * in the chart's lesions tab.
 */

interface DemoPatient {
  id: string;
  mrn: string;
  birthDate: string;
}

const MRN = "DEMO-0026";
const run = `${Date.now()}`;

async function gql<T>(page: Page, query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await page.request.post("/graphql", { data: { query, variables } });
  expect(res.ok()).toBe(true);
  const body = (await res.json()) as { data: T; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data;
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

test.describe
  .serial("viewer journey: open a PET series, SUV readout, ROI, lesion measurement", () => {
  const wb = generateWholeBodyPet({
    nx: 64,
    ny: 64,
    nz: 40,
    lesions: 6,
    seed: 11,
    spacingMm: [8, 8, 8],
  });
  const [nx, ny] = wb.geometry.dims;
  const [sx, sy, sz] = wb.geometry.spacingMm;
  const o = wb.geometry.originMm;
  const centreOf = (i: number, j: number, k: number): [number, number, number] => [
    o[0] + i * sx,
    o[1] + j * sy,
    o[2] + k * sz,
  ];
  const at = (i: number, j: number, k: number) => wb.data[i + j * nx + k * nx * ny]!;
  // The largest lesion: its centre voxel is the known voxel.
  const lesion = [...wb.lesions].sort((a, b) => b.radiusMm - a.radiusMm)[0]!;
  const idx = [0, 1, 2].map((a) =>
    Math.round((lesion.centreMm[a]! - o[a]!) / wb.geometry.spacingMm[a]!),
  ) as [number, number, number];
  let patient: DemoPatient;
  let studyId = "";
  let factor = 0;

  test("physician uploads a PET series and opens it in the viewer from the chart", async ({
    page,
  }, testInfo) => {
    test.setTimeout(120_000);
    await login(page, "PHYSICIAN");
    const found = await gql<{ patients: { edges: { node: DemoPatient }[] } }>(
      page,
      "query($s: String!) { patients(first: 1, filter: { search: $s }) { edges { node { id mrn birthDate } } } }",
      { s: MRN },
    );
    patient = found.patients.edges[0]!.node;
    const files = writePetSeries(wb.data, wb.geometry, {
      ...wb.metadata,
      patientId: patient.mrn,
      patientBirthDate: patient.birthDate.replace(/-/g, ""),
      uidKey: `e2e-viewer-${run}`,
    });
    await page.goto("/imaging/upload");
    await page
      .getByLabel("DICOM files or zip archives")
      .setInputFiles(
        files.map((f) => ({
          name: f.name.replace(/^.*\//, ""),
          mimeType: "application/dicom",
          buffer: Buffer.from(f.bytes),
        })),
      );
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    const result = page.getByRole("region", { name: "Upload result" });
    await expect(result.getByTestId("upload-stored")).toHaveText(String(files.length), {
      timeout: 30_000,
    });
    const uid =
      (await result
        .getByRole("table", { name: "Uploaded studies" })
        .locator("tbody tr code")
        .first()
        .textContent()) ?? "";

    // The server's factor, full precision (the chart shows 4 significant digits).
    const st = await gql<{
      dicomStudies: {
        edges: {
          node: {
            id: string;
            studyInstanceUid: string;
            series: { suv: { ok: boolean; factor: number } }[];
          };
        }[];
      };
    }>(
      page,
      "query($p: ID!) { dicomStudies(first: 20, filter: { patientId: $p }) { edges { node { id studyInstanceUid series { suv { ok factor } } } } } }",
      { p: patient.id },
    );
    const node = st.dicomStudies.edges.map((e) => e.node).find((n) => n.studyInstanceUid === uid)!;
    studyId = node.id;
    factor = node.series[0]!.suv.factor;
    expect(node.series[0]!.suv.ok).toBe(true);
    expect(Math.abs(factor * wb.bqPerMlPerSuv - 1)).toBeLessThan(1e-4);

    await page.goto(`/patients/${encodeURIComponent(patient.id)}?tab=imaging`);
    const study = page.locator(`article[data-study-uid="${uid}"]`);
    await study.getByRole("link", { name: "Open in viewer" }).click();
    await expect(page).toHaveURL(new RegExp(`/viewer/${encodeURIComponent(studyId)}$`));
    // No PHI in the URL: only the opaque study id.
    expect(page.url()).not.toContain(patient.mrn);
    const viewer = page.locator(".viewer");
    await expect(viewer).toHaveAttribute("data-status", "ready", { timeout: 30_000 });
    await expect(page.getByTestId("viewer-progress")).toContainText(
      `All ${files.length} images loaded`,
    );
    await expect(page.getByTestId("readout-unit")).toHaveText("SUVbw");

    // The axial view is not blank and shows the PET colour map (SwiftShader WebGL2 path).
    await page.waitForTimeout(500);
    const shot = await page
      .locator('[data-view="axial"]')
      .screenshot({ path: testInfo.outputPath("viewer-axial.png") });
    const stats = await pixelStats(page, shot);
    expect(stats.sd).toBeGreaterThan(5);
    expect(stats.mean).toBeGreaterThan(2);
    const mip = await page
      .locator('[data-view="mip"]')
      .screenshot({ path: testInfo.outputPath("viewer-mip.png") });
    expect((await pixelStats(page, mip)).sd).toBeGreaterThan(5);
    await snap(page, testInfo, "viewer-open");
  });

  test("SUV readout at a known voxel equals ground truth × the server's factor; keyboard moves the probe", async ({
    page,
  }, testInfo) => {
    await login(page, "PHYSICIAN");
    await page.goto(`/viewer/${encodeURIComponent(studyId)}`);
    const viewer = page.locator(".viewer");
    await expect(viewer).toHaveAttribute("data-status", "ready", { timeout: 30_000 });

    await goTo(viewer, centreOf(...idx));
    await expect(page.getByTestId("readout-voxel")).toHaveText(idx.join(", "));
    const expected = at(...idx) * factor;
    // Quantisation of the written series: ≤ slope/2 per voxel (slope = slice max / 65535).
    const tol =
      (Math.max(...Array.from(wb.data.subarray(idx[2] * nx * ny, (idx[2] + 1) * nx * ny))) /
        65535) *
        factor +
      1e-6;
    expect(Math.abs((await readoutValue(page)) - expected)).toBeLessThanOrEqual(tol);
    expect(Math.abs(expected - lesion.suv)).toBeLessThan(0.01 * lesion.suv);
    await expect(page.getByTestId("readout-value")).toHaveText(`${expected.toFixed(2)} SUVbw`);

    // Keyboard: → moves one voxel along i, PageUp one slice along k.
    await page.locator(".viewer-grid").focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("PageUp");
    const moved: [number, number, number] = [idx[0] + 1, idx[1], idx[2] + 1];
    await expect(page.getByTestId("readout-voxel")).toHaveText(moved.join(", "));
    expect(Math.abs((await readoutValue(page)) - at(...moved) * factor)).toBeLessThanOrEqual(
      tol * 2,
    );

    // SUL (Janmahasatian) needs height and sex: the synthetic header has neither, so the viewer says so and stays in SUVbw.
    await page.getByLabel("SUV unit").selectOption("SUL_JANMA");
    await expect(page.getByTestId("viewer-unit-note")).toContainText("not available");
    await expect(page.getByTestId("readout-unit")).toHaveText("SUVbw");
    await page.getByLabel("SUV unit").selectOption("SUVBW");

    // Window presets and colour map.
    await page.getByRole("button", { name: "SUV 0–20" }).click();
    await expect(page.getByRole("button", { name: "SUV 0–20" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    await page.getByLabel("Colour map").selectOption("Black-Body Radiation");

    // Sphere at the crosshair: SUVmax / volume against the ground truth (voxel centres within r).
    await goTo(viewer, centreOf(...idx));
    const r = 12;
    let max = -Infinity;
    let count = 0;
    for (let k = 0; k < wb.geometry.dims[2]; k++)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++) {
          const [x, y, z] = centreOf(i, j, k);
          const c = centreOf(...idx);
          if ((x - c[0]) ** 2 + (y - c[1]) ** 2 + (z - c[2]) ** 2 <= r * r) {
            count++;
            max = Math.max(max, at(i, j, k));
          }
        }
    await viewer.getByLabel("Radius (mm)").fill(String(r));
    await viewer.getByRole("button", { name: "Sphere at crosshair" }).click();
    await expect(page.getByTestId("roi-stats")).toBeVisible();
    expect(
      Math.abs(Number(await page.getByTestId("roi-max").textContent()) - max * factor),
    ).toBeLessThanOrEqual(0.006 + tol);
    await expect(page.getByTestId("roi-volume")).toHaveText(
      ((count * sx * sy * sz) / 1000).toFixed(2),
    );
    // Bad radius: an error naming the value, the previous statistics are not reused.
    await viewer.getByLabel("Radius (mm)").fill("big");
    await viewer.getByRole("button", { name: "Sphere at crosshair" }).click();
    await expect(
      viewer.getByRole("alert").filter({ hasText: "Radius must be a number" }),
    ).toContainText("big");
    await snap(page, testInfo, "viewer-readout-roi");
  });

  test("physician draws a sphere ROI and saves it as a lesion measurement, seen in the lesions tab", async ({
    page,
  }, testInfo) => {
    await login(page, "PHYSICIAN");
    await page.goto(`/viewer/${encodeURIComponent(studyId)}`);
    const viewer = page.locator(".viewer");
    await expect(viewer).toHaveAttribute("data-status", "ready", { timeout: 30_000 });
    await goTo(viewer, centreOf(...idx));
    await expect(page.getByTestId("readout-voxel")).toHaveText(idx.join(", "));
    const centreValue = await readoutValue(page);

    // Draw with the Sphere ROI tool (key S): press at the crosshair, drag 20 px, release.
    await page.locator(".viewer-grid").focus();
    await page.keyboard.press("s");
    await expect(page.getByRole("button", { name: "Sphere ROI (S)" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    const axial = page.locator('figure[aria-label="Axial view"]');
    await axial.scrollIntoViewIfNeeded();
    const box = (await axial.boundingBox())!;
    const vLine = axial.locator("line.crosshair").nth(1);
    const hLine = axial.locator("line.crosshair").nth(0);
    const cx = box.x + Number(await vLine.getAttribute("x1"));
    const cy = box.y + Number(await hLine.getAttribute("y1"));
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx + 10, cy, { steps: 4 });
    await page.mouse.move(cx + 20, cy, { steps: 4 });
    await page.mouse.up();
    await expect(page.getByTestId("roi-stats")).toBeVisible();
    await expect(page.getByTestId("roi-stats")).toContainText("sphere r");
    const drawnMax = Number(await page.getByTestId("roi-max").textContent());
    expect(drawnMax).toBeGreaterThanOrEqual(centreValue - 0.01);
    await snap(page, testInfo, "viewer-roi-drawn");

    const save = page.getByRole("form", { name: "Save as lesion measurement" });
    await save.getByRole("combobox", { name: "Lesion" }).selectOption("new");
    // Required fields are checked before anything is sent.
    await save.getByRole("button", { name: "Save measurement" }).click();
    await expect(save.getByText("Lesion label is required").first()).toBeVisible();
    const label = `V-${run.slice(-5)}`;
    await save.getByLabel("Lesion label").fill(label);
    await save.getByLabel("Organ").fill(lesion.site === "liver" ? "liver" : "soft tissue");
    await save.getByRole("button", { name: "Save measurement" }).click();
    await expect(
      page.getByRole("status").filter({ hasText: `Measurement saved for ${label}` }),
    ).toBeVisible();
    const lesions = page.getByRole("table", { name: "Lesions of this patient" });
    await expect(lesions.getByRole("row", { name: new RegExp(label) })).toContainText(
      drawnMax.toFixed(2),
    );
    await snap(page, testInfo, "viewer-measurement-saved");

    await page.getByRole("link", { name: /Back to chart/ }).click();
    await page.getByRole("tab", { name: "Lesions" }).click();
    const row = page.getByRole("row", { name: new RegExp(label) });
    await expect(row).toBeVisible();
    await expect(row).toContainText(`SUVmax ${drawnMax.toFixed(1)}`);
    await snap(page, testInfo, "viewer-lesions-tab");
  });

  test("physician finds the study's quantification candidates in the viewer, shows one and rejects it", async ({
    page,
  }, testInfo) => {
    await login(page, "PHYSICIAN");
    // A threshold job on the series (the chart's Quantify form does the same; tested in imaging.e2e.ts).
    const st = await gql<{ dicomStudy: { series: { id: string }[] } }>(
      page,
      "query($id: ID!) { dicomStudy(id: $id) { series { id } } }",
      { id: studyId },
    );
    const q = await gql<{ seriesQuantify: { job: { id: string } | null; userErrors: unknown[] } }>(
      page,
      "mutation($i: SeriesQuantifyInput!) { seriesQuantify(input: $i) { job { id } userErrors { field message } } }",
      {
        i: {
          seriesId: st.dicomStudy.series[0]!.id,
          method: "THRESHOLD",
          params: { threshold: 25 },
        },
      },
    );
    expect(q.seriesQuantify.userErrors).toEqual([]);
    await expect
      .poll(
        async () =>
          (
            await gql<{ job: { status: string } }>(
              page,
              "query($id: ID!) { job(id: $id) { status } }",
              { id: q.seriesQuantify.job!.id },
            )
          ).job.status,
        { timeout: 60_000 },
      )
      .toBe("SUCCEEDED");
    const cands = await gql<{
      dicomStudy: {
        series: { candidates: { rank: number; centroidMm: number[]; status: string }[] }[];
      };
    }>(
      page,
      "query($id: ID!) { dicomStudy(id: $id) { series { candidates { rank centroidMm status } } } }",
      { id: studyId },
    );
    const first = cands.dicomStudy.series[0]!.candidates.find((c) => c.rank === 1)!;
    expect(first.status).toBe("PROPOSED");

    await page.goto(`/viewer/${encodeURIComponent(studyId)}`);
    await expect(page.locator(".viewer")).toHaveAttribute("data-status", "ready", {
      timeout: 30_000,
    });
    const table = page.getByRole("table", { name: "Quantification candidates" });
    await table.getByRole("button", { name: "Show candidate 1" }).click();
    // The crosshair jumps to the candidate's centroid, which is highlighted in the list.
    const expectedVoxel = [0, 1, 2].map((a) =>
      Math.round((first.centroidMm[a]! - o[a]!) / wb.geometry.spacingMm[a]!),
    );
    await expect(page.getByTestId("readout-voxel")).toHaveText(expectedVoxel.join(", "));
    await expect(table.locator('tr[aria-selected="true"]')).toContainText("1");
    await expect(page.locator('figure[aria-label="Axial view"] .marker-selected')).toHaveCount(1);
    await snap(page, testInfo, "viewer-candidate-shown");

    await table.getByRole("button", { name: "Reject candidate 1" }).click();
    const reject = page.getByRole("form", { name: "Reject candidate 1" });
    await reject.getByRole("button", { name: "Reject candidate" }).click();
    await expect(reject.getByText("Reason is required").first()).toBeVisible();
    await reject.getByLabel(/Reason/).fill("physiological bladder uptake");
    await reject.getByRole("button", { name: "Reject candidate" }).click();
    await expect(table.locator('tr[data-candidate-status="REJECTED"]')).toHaveCount(1);
  });

  test("a VIEWER opens the study read-only: SUV readout, no saving, no candidate review", async ({
    page,
  }) => {
    await login(page, "VIEWER");
    await page.goto(`/viewer/${encodeURIComponent(studyId)}`);
    await expect(page.locator(".viewer")).toHaveAttribute("data-status", "ready", {
      timeout: 30_000,
    });
    await expect(page.getByTestId("readout-unit")).toHaveText("SUVbw");
    await expect(page.getByRole("region", { name: "Save as lesion measurement" })).toHaveCount(0);
    await expect(page.getByRole("table", { name: "Quantification candidates" })).toBeVisible();
    await expect(page.getByRole("button", { name: /^(Accept|Reject) candidate/ })).toHaveCount(0);
  });
});
