import { expect, test } from "@playwright/test";
import { createPatient, freshMrn, localInput, login, snap } from "./helpers";

/** Lu-177 T½ from @lutetia/quantification's nuclide table (ENSDF/NuDat 6.647 d). */
const LU177_HALF_LIFE_S = 6.647 * 86_400;

test.describe.serial("clinical journey: intake to administration", () => {
  const mrn = freshMrn();
  let chartPath = "";

  test("coordinator creates a patient, diagnosis, weight and labs", async ({ page }, testInfo) => {
    await login(page, "COORDINATOR");
    chartPath = await createPatient(page, { mrn, family: "Quartz-Demo", given: "Demo Journey" });
    expect(chartPath).toMatch(/^\/patients\/[A-Za-z0-9%_-]+$/);
    expect(page.url()).not.toContain("Quartz");

    // Diagnosis (the new patient lands on the Diagnosis tab).
    await page.getByRole("button", { name: "Record new diagnosis" }).click();
    await page.getByLabel("Primary site").fill("Small intestine (ileum)");
    await page.getByLabel("Histology").fill("Well-differentiated NET");
    await page.getByLabel("WHO grade").selectOption("G2");
    await page.getByLabel("Ki-67 (%)").fill("7.5");
    await page.getByLabel("Diagnosed on").fill("2026-01-15");
    await page.getByRole("button", { name: "Save diagnosis" }).click();
    await expect(page.getByRole("region", { name: "Patient summary" })).toContainText("G2 · Ki-67 7.5 %");

    // Body weight.
    await page.getByRole("button", { name: "Record weight" }).click();
    await page.getByLabel("Weight (kg)").fill("71.5");
    await page.getByLabel("Weight (kg)").press("Enter");
    await expect(page.getByRole("region", { name: "Patient summary" })).toContainText("71.5 kg");
    await snap(page, testInfo, "chart-diagnosis");

    // Labs: platelets 60 × 10^9/L is CTCAE grade 2; a server-side refusal (bad unit) shows inline first.
    await page.getByRole("tab", { name: "Labs" }).click();
    await page.getByRole("button", { name: "Record lab results" }).click();
    await page.getByLabel("Analyte").selectOption("PLATELETS");
    await page.getByLabel("Value").fill("60");
    await page.getByRole("button", { name: "Save result" }).click();
    await expect(page.getByRole("status").filter({ hasText: "saved" })).toBeVisible();
    await page.getByLabel("Analyte").selectOption("HAEMOGLOBIN");
    await page.getByLabel("Value").fill("12.8");
    await page.getByLabel("Value").press("Enter");
    await expect(page.getByRole("status").filter({ hasText: "Haemoglobin 12.8" })).toBeVisible();
    const table = page.getByRole("table", { name: "Lab results" });
    await expect(table.getByRole("row", { name: /Platelets/ }).locator("[data-grade]")).toHaveAttribute("data-grade", "2");
    await expect(page.getByRole("figure", { name: "Platelets trend" })).toBeVisible();
    await snap(page, testInfo, "chart-labs");

    // Correct a transcription error: 60 → 80 (grade 1), with a reason; history is kept by the API.
    await page.getByRole("button", { name: "Correct Platelets result" }).click();
    const correct = page.getByRole("form", { name: "Correct lab result" });
    await correct.getByLabel("Value").fill("80");
    await correct.getByLabel("Reason for correction (no names)").fill("transcription error");
    await correct.getByRole("button", { name: "Save correction" }).click();
    await expect(table.getByRole("row", { name: /Platelets/ }).locator("[data-grade]")).toHaveAttribute("data-grade", "1");
  });

  test("physician plans a course and records cycle 1 with the net activity shown live", async ({ page }, testInfo) => {
    await login(page, "PHYSICIAN");
    await page.goto(chartPath + "?tab=courses");
    await page.getByRole("button", { name: "Plan new course" }).click();
    await page.getByLabel("Agent").selectOption({ label: "177Lu-DOTATATE (177Lu)" });
    await page.getByRole("button", { name: "Plan course" }).click();
    await expect(page.getByTestId("cycle-4")).toBeVisible();

    await page.getByRole("button", { name: "Record administration of cycle 1" }).click();
    const form = page.getByRole("form", { name: "Record administration of cycle 1" });
    const now = Date.now();
    const t0 = new Date(now - 3 * 3600_000); // calibration
    t0.setSeconds(0, 0);
    const tInf = new Date(t0.getTime() + 3600_000);
    const tEnd = new Date(t0.getTime() + 3600_000 + 30 * 60_000);
    const tRes = new Date(t0.getTime() + 2 * 3600_000);
    const live = form.getByTestId("net-activity");
    await expect(live).toContainText("appears here as you type");
    await form.getByLabel("Calibrated activity (MBq)").fill("7400");
    await form.getByLabel("Calibration time").fill(localInput(t0));
    await form.getByLabel("Infusion start").fill(localInput(tInf));
    await form.getByLabel("Infusion end").fill(localInput(tEnd));
    await form.getByLabel("Residue measured at").fill(localInput(tRes));
    await form.getByLabel("Residual activity (MBq)").fill("100");
    // A_net = A_cal·2^(−1 h/T½) − A_res·2^(+1 h/T½) (reference/radionuclides.md §3)
    const expected = 7400 * 2 ** (-3600 / LU177_HALF_LIFE_S) - 100 * 2 ** (3600 / LU177_HALF_LIFE_S);
    const shown = expected.toLocaleString("en-GB", { maximumFractionDigits: 1 });
    await expect(live).toContainText(`${shown} MBq`);
    // Typing changes it live.
    await form.getByLabel("Residual activity (MBq)").fill("9000");
    await expect(live).toContainText("Cannot compute");
    await form.getByLabel("Residual activity (MBq)").fill("100");
    await expect(live).toContainText(`${shown} MBq`);
    await snap(page, testInfo, "administration-live");

    await form.getByLabel("Lot number").fill("LOT-E2E-1");
    await form.getByLabel("Lot number").press("Enter");
    await expect(page.getByTestId("cycle-1")).toContainText("Administered");
    await expect(page.getByTestId("cycle-1")).toContainText(`${(expected / 1000).toLocaleString("en-GB", { maximumFractionDigits: 2 })} GBq`);

    await page.getByRole("tab", { name: "Timeline" }).click();
    await expect(page.getByRole("list", { name: "History" })).toContainText(/Cycle 1 administered — net 7\.\d+ GBq 177Lu-DOTATATE, lot LOT-E2E-1/);
    await expect(page.getByRole("list", { name: "History" })).toContainText("Platelets 80");
    await snap(page, testInfo, "chart-timeline");
  });

  test("imaging study and lesion measurement appear in the Imaging and Lesions tabs", async ({ page }, testInfo) => {
    await login(page, "PHYSICIAN");
    await page.goto(chartPath + "?tab=imaging");
    await expect(page.getByText(/PET\/SPECT viewer arrives with the imaging service/)).toBeVisible();
    await page.getByRole("button", { name: "Register study" }).click();
    await page.getByLabel("Tracer").selectOption({ label: "68Ga-DOTATATE (PET)" });
    await page.getByLabel("Injected activity (MBq)").fill("150");
    await page.getByRole("button", { name: "Register study" }).last().click();
    await expect(page.getByRole("table", { name: "Imaging studies" })).toContainText("68Ga-DOTATATE");
    await snap(page, testInfo, "chart-imaging");

    await page.getByRole("tab", { name: "Lesions" }).click();
    await page.getByRole("button", { name: "Add lesion" }).click();
    await page.getByLabel("Label").fill("L1");
    await page.getByLabel("Organ").fill("Liver");
    await page.getByRole("button", { name: "Add lesion" }).last().click();
    await expect(page.getByRole("table", { name: "Lesions across time points" })).toContainText("L1");
    await page.getByRole("button", { name: "Record measurement" }).click();
    await page.getByRole("combobox", { name: "Lesion" }).selectOption({ index: 1 });
    await page.getByRole("combobox", { name: "Study" }).selectOption({ index: 1 });
    await page.getByLabel("SUVmax").fill("18.4");
    await page.getByLabel("Long axis (mm)").fill("24");
    await page.getByLabel("Short axis (mm)").fill("17");
    await page.getByRole("button", { name: "Save measurement" }).click();
    await expect(page.getByRole("table", { name: "Lesions across time points" })).toContainText("SUVmax 18.4");
    await expect(page.getByRole("table", { name: "Lesions across time points" })).toContainText("24 × 17 mm");
    await snap(page, testInfo, "chart-lesions");
  });
});
