import { expect, test } from "@playwright/test";
import { createPatient, freshMrn, login, snap } from "./helpers";

test("client and server validation errors are shown inline and focus the first one", async ({ page }, testInfo) => {
  await login(page, "COORDINATOR");
  await page.goto("/patients/new");
  // Nothing filled: client-side required checks, focus on the first invalid field.
  await page.getByRole("button", { name: "Create patient" }).click();
  await expect(page.getByLabel("MRN")).toBeFocused();
  await expect(page.getByText("MRN is required")).toHaveCount(2); // summary + inline
  // Server-side (userErrors → fields): MRN format and height range.
  await page.getByLabel("MRN").fill("BAD");
  await page.getByLabel("Family name").fill("Invalid-Demo");
  await page.getByLabel("Given name").fill("Demo");
  await page.getByLabel("Birth date").fill("1970-01-01");
  await page.getByLabel("Sex").selectOption("MALE");
  await page.getByLabel("Height (cm)").fill("999");
  await page.getByLabel("Height (cm)").press("Enter");
  await expect(page.getByLabel("Height (cm)")).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator(".field-error").filter({ hasText: "must be between 30 and 250 cm" })).toBeVisible();
  await expect(page.getByLabel("Height (cm)")).toBeFocused();
  await expect(page.getByLabel("MRN")).not.toHaveAttribute("aria-invalid", "true");
  await snap(page, testInfo, "validation-errors");
  // Fix the height: now the site's MRN format is refused, inline on the MRN field.
  await page.getByLabel("Height (cm)").fill("180");
  await page.getByLabel("Height (cm)").press("Enter");
  await expect(page.getByLabel("MRN")).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator(".field-error").filter({ hasText: "MRN format" })).toBeVisible();
  await expect(page.getByLabel("MRN")).toBeFocused();
  await expect(page.getByLabel("Height (cm)")).not.toHaveAttribute("aria-invalid", "true");
  await snap(page, testInfo, "validation-errors");
  await expect(page).toHaveURL(/\/patients\/new$/);
});

test("two pages editing the same patient: the second save is refused as a conflict", async ({ browser }, testInfo) => {
  const a = await browser.newPage();
  const b = await browser.newPage(); // separate context = separate session
  await login(a, "COORDINATOR");
  const chart = await createPatient(a, { mrn: freshMrn(), family: "Conflict-Demo", given: "Demo Pat" });
  await login(b, "PHYSICIAN");
  await b.goto(chart + "?tab=diagnosis");

  await a.getByRole("button", { name: "Edit patient" }).click();
  await b.getByRole("button", { name: "Edit patient" }).click();

  await a.getByLabel("Given name").fill("Demo Pat A");
  await a.getByRole("button", { name: "Save changes" }).click();
  await expect(a.getByRole("region", { name: "Patient summary" })).toContainText("Demo Pat A");

  await b.getByLabel("Given name").fill("Demo Pat B");
  await b.getByRole("button", { name: "Save changes" }).click();
  const alert = b.locator(".alert-conflict");
  await expect(alert).toContainText("Someone else changed this record; reload.");
  await expect(alert).toBeFocused();
  await snap(b, testInfo, "conflict");
  await b.getByRole("button", { name: "Reload the latest version" }).click();
  await expect(b.getByLabel("Given name")).toHaveValue("Demo Pat A");
  await expect(b.getByRole("region", { name: "Patient summary" })).toContainText("Demo Pat A");
  await a.close();
  await b.close();
});

test("patient list: search, filter, sort and paginate", async ({ page }, testInfo) => {
  await login(page, "COORDINATOR");
  await page.goto("/patients");
  const table = page.getByRole("table", { name: "Patients" });
  await expect(table.getByRole("row")).toHaveCount(16); // header + first page of 15
  await page.getByRole("button", { name: "Show more" }).click();
  await expect(table.getByRole("row")).not.toHaveCount(16);
  await page.getByRole("button", { name: /^MRN/ }).click();
  await expect(page.getByRole("columnheader", { name: /MRN/ })).toHaveAttribute("aria-sort", "ascending");
  await snap(page, testInfo, "patient-list");
  await page.getByLabel("Name or MRN").fill("DEMO-0001");
  await page.getByLabel("Name or MRN").press("Enter");
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(page).toHaveURL(/\/patients$/); // the search term never enters the URL
  await page.getByRole("button", { name: "Clear" }).click();
  await page.getByLabel("Status").selectOption("ON_TREATMENT");
  await page.getByLabel("On an active course").check();
  await page.getByRole("button", { name: "Search" }).click();
  await expect(table.getByRole("cell", { name: "Referred" })).toHaveCount(0);
  await expect(table.getByRole("cell", { name: "On treatment" }).first()).toBeVisible();
});

test("a VIEWER can read charts but sees no edit actions", async ({ page }, testInfo) => {
  await login(page, "VIEWER");
  await expect(page.getByRole("heading", { name: "Read-only access" })).toBeVisible();
  await page.goto("/patients");
  await expect(page.getByRole("link", { name: "New patient" })).toHaveCount(0);
  await page.getByRole("link", { name: /, Demo/ }).first().click();
  await expect(page.getByTestId("patient-mrn")).toBeVisible();
  for (const tab of ["Timeline", "Diagnosis", "Courses & cycles", "Labs", "Imaging", "Lesions", "Response"]) {
    await page.getByRole("tab", { name: tab }).click();
    await expect(page.getByRole("tab", { name: tab })).toHaveAttribute("aria-selected", "true");
    await expect(
      page.getByRole("tabpanel").getByRole("button", { name: /edit|record|add|plan|register|reschedule|save|correct|close|update/i }),
    ).toHaveCount(0);
  }
  await snap(page, testInfo, "viewer-chart");
  await page.goto("/patients/new");
  await expect(page.getByText("Your role cannot register patients.")).toBeVisible();
});
