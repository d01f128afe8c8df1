import { expect, test } from "@playwright/test";
import { extractText, getDocumentProxy } from "unpdf";
import { login, snap } from "./helpers";

/**
 * Dosimetry workspace journey (README "Dosimetry workspace"): the physicist opens a seeded
 * draft from the home list (DEMO-0009: cycle 1 administered, SPECT/CT at 4/24/96/168 h),
 * corrects an activity, fits, switches the kidney model and sees the dose change, checks the
 * what-if after signing, and downloads the PDF report with the patient's numbers.
 */
test("a physicist fits, switches models, signs and downloads the dosimetry report", async ({ page }, testInfo) => {
  await login(page, "PHYSICIST");
  const card = page.getByRole("region", { name: /Dosimetry awaiting your sign-off/ });
  await expect(card).toBeVisible();
  await card.getByRole("row").filter({ hasText: "DEMO-0009" }).getByRole("link").click();
  await expect(page.getByRole("tab", { name: "Dosimetry" })).toHaveAttribute("aria-selected", "true");
  const ws = page.getByLabel("Dosimetry workspace");
  await expect(ws.getByTestId("record-status")).toHaveText("Draft – not signed");
  // Hours post-injection are computed from the administration time.
  await expect(ws.getByTestId("hours-0")).toHaveText("4");
  await expect(ws.getByTestId("hours-3")).toHaveText("168");

  // Enter a corrected value (keyboard), save and fit.
  const cell = ws.getByLabel("Kidney left activity at SPECT/CT 96 h");
  await cell.fill("-3");
  await ws.getByRole("button", { name: "Save and fit" }).click();
  await expect(ws.getByRole("alert").filter({ hasText: "must be ≥ 0 MBq" }).first()).toBeVisible();
  await cell.fill("30");
  await ws.getByRole("button", { name: "Save and fit" }).click();
  await expect(ws.getByText("Saved; fits and doses recomputed.")).toBeVisible();
  const dose = ws.getByTestId("dose-kl");
  await expect(dose).toContainText("Gy");
  const monoDose = (await dose.textContent()) ?? "";
  await expect(ws.getByTestId("bed-kl")).toContainText("Gy");
  await expect(ws.getByLabel("Time–activity curve of Kidney left")).toBeVisible();

  // Switch the model: single time point → the dose changes.
  await ws.getByLabel("Model for Kidney left").selectOption("SINGLE_TIME_POINT");
  await expect(ws.getByText("Model of Kidney left switched to Single time point (Hänscheid).")).toBeVisible();
  await expect(dose).not.toHaveText(monoDose);
  await ws.getByLabel("Model for Kidney left").selectOption("TRAPEZOID_TAIL");
  await expect(ws.getByText("Model of Kidney left switched to Trapezoid + tail.")).toBeVisible();
  await ws.getByLabel("Model for Kidney left").selectOption("MONO_EXP");
  await expect(ws.getByText("Model of Kidney left switched to Mono-exponential.")).toBeVisible();
  await expect(dose).toHaveText(monoDose);
  const kidneyDose = (await ws.getByTestId("organ-dose-KIDNEYS").textContent())!.trim();
  await snap(page, testInfo, "dosimetry-workspace");

  // Sign: immutable afterwards; the ledger of record and the what-if now use it.
  await ws.getByRole("button", { name: "Sign dosimetry" }).click();
  await expect(ws.getByTestId("record-status")).toHaveText("Signed");
  await expect(ws.getByRole("button", { name: "Save and fit" })).toBeDisabled();
  await expect(page.getByTestId("ledger-dose-KIDNEYS")).toContainText(Number(kidneyDose).toFixed(2));
  await expect(page.getByTestId("max-next")).toContainText(/at most [\d.]+ GBq/);
  const number = page.getByLabel("Activity in GBq");
  await number.fill("7.4");
  await expect(page.getByTestId("whatif-result")).toContainText(/7\.4 GBq next cycle → kidneys absorbed [\d.]+ of 23 Gy .* BED [\d.]+ of 28 Gy/);
  // Keyboard on the slider moves the projection.
  await page.getByLabel("Activity (GBq)").focus();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByTestId("whatif-result")).toContainText("7.5 GBq next cycle");

  // The PDF report downloads and carries the patient's numbers.
  const download = page.waitForEvent("download");
  await ws.getByRole("link", { name: "Download PDF report" }).click();
  const file = await (await download).path();
  const { readFile } = await import("node:fs/promises");
  const pdf = await getDocumentProxy(new Uint8Array(await readFile(file)));
  const { text } = await extractText(pdf, { mergePages: true });
  expect(text).toContain("DEMO-0009");
  expect(text).toContain(Number(kidneyDose).toFixed(3));
  expect(text).toContain("Signed by medical physicist Demo Physicist");
  await snap(page, testInfo, "dosimetry-signed");
});
