import { expect, test } from "@playwright/test";
import { USERS, login, snap } from "./helpers";

test.describe("sign-in and role-aware home", () => {
  test("coordinator sees cycles due and patients missing data", async ({ page }, testInfo) => {
    await login(page, "COORDINATOR");
    await expect(page.getByRole("heading", { name: /Overdue cycles/ })).toBeVisible();
    await expect(page.getByRole("heading", { name: /Cycles due today/ })).toBeVisible();
    await expect(page.getByRole("heading", { name: /Cycles due this week/ })).toBeVisible();
    await expect(page.getByRole("heading", { name: /Patients missing data/ })).toBeVisible();
    await expect(page.getByRole("status")).toHaveCount(0, { timeout: 20_000 }); // every card loaded
    await snap(page, testInfo, "home-coordinator");

    // One click from acting: a due cycle opens its reschedule form in the chart…
    const dueWeek = page.getByRole("region", { name: /Cycles due this week/ });
    await dueWeek.getByRole("link", { name: /^Open cycle/ }).first().click();
    await expect(page.getByRole("region", { name: /Reschedule or set status — cycle \d/ })).toBeVisible();
    await expect(page.locator("tr.highlight")).toHaveCount(1);
    // …and a missing-data badge opens the form that fixes it.
    await page.goto("/");
    const missing = page.getByRole("region", { name: /Patients missing data/ });
    await missing.getByRole("link", { name: /No labs/ }).first().click();
    await expect(page.getByRole("region", { name: "Record lab results" })).toBeVisible();
    await expect(page.getByRole("tab", { name: "Labs" })).toHaveAttribute("aria-selected", "true");
  });

  test("physician sees go / no-go and recent studies, with coming-soon cards", async ({ page }, testInfo) => {
    await login(page, "PHYSICIAN");
    await expect(page.getByRole("heading", { name: /Cycles awaiting go \/ no-go/ })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Recent studies (30 days)" })).toBeVisible();
    await expect(page.getByText(/Coming with issue “Imaging service and PET\/SPECT viewer”/)).toBeVisible();
    await snap(page, testInfo, "home-physician");
    // Review opens the administration form of that cycle.
    await page.getByRole("link", { name: /^Review cycle/ }).first().click();
    await expect(page.getByRole("region", { name: /Record administration — cycle \d/ })).toBeVisible();
  });

  test("physicist sees the dosimetry drafts awaiting sign-off", async ({ page }) => {
    await login(page, "PHYSICIST");
    await expect(page.getByRole("heading", { name: /Dosimetry awaiting your sign-off/ })).toBeVisible();
    // Seeded drafts (latest cycle of the active demo courses), linking to the cycle's workspace.
    await expect(page.getByRole("region", { name: /Dosimetry awaiting your sign-off/ }).getByRole("link").first()).toHaveAttribute("href", /tab=dosimetry&cycle=/);
  });

  test("board member sees the next meeting's cases", async ({ page }, testInfo) => {
    await login(page, "BOARD_MEMBER");
    await expect(page.getByRole("heading", { name: "Next tumour-board meeting" })).toBeVisible();
    // The next meeting (the demo seed's, or one a parallel journey scheduled sooner) lists its
    // cases: a patient by MRN and the board question.
    const card = page.getByRole("region", { name: "Next tumour-board meeting" });
    await expect(card.getByRole("columnheader", { name: "Question" })).toBeVisible();
    await expect(card.getByRole("row").filter({ hasText: /DEMO-\d{4}/ }).first()).toBeVisible();
    await snap(page, testInfo, "home-board");
  });

  test("admin sees the audit log and can filter it", async ({ page }, testInfo) => {
    await login(page, "ADMIN");
    await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
    // Filter by action: other journeys running in parallel fill the newest page with reads.
    await page.getByLabel("Action").fill("auth.login");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page.getByRole("cell", { name: "auth.login" }).first()).toBeVisible();
    await page.getByLabel("Outcome").selectOption("SUCCESS");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page.getByRole("cell", { name: "Failure" })).toHaveCount(0);
    await snap(page, testInfo, "home-admin");
    await page.getByRole("link", { name: "Administration", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Create a user at this site" })).toBeVisible();
  });

  test("wrong password is shown inline and focus moves to the problem", async ({ page }, testInfo) => {
    await page.goto("/login");
    await page.getByLabel("E-mail").fill(USERS.COORDINATOR.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByLabel("Password").press("Enter");
    await expect(page.getByText("E-mail or password is incorrect", { exact: false }).first()).toBeVisible();
    await expect(page.getByLabel("Password")).toBeFocused();
    await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
    await snap(page, testInfo, "login-error");
  });

  test("an expired session returns to the same chart after signing in again; sign-out works", async ({ page, context }) => {
    await login(page, "COORDINATOR");
    await page.goto("/patients");
    await page.getByRole("link", { name: /, Demo/ }).first().click();
    await expect(page.getByTestId("patient-mrn")).toBeVisible();
    await page.getByRole("tab", { name: "Labs" }).click();
    await expect(page).toHaveURL(/tab=labs/);
    const chartUrl = new URL(page.url());

    await context.clearCookies(); // the session is gone (expired or revoked)
    await page.reload();
    await expect(page).toHaveURL(/\/login\?next=/);
    const next = new URL(page.url()).searchParams.get("next") ?? "";
    expect(next).toBe(chartUrl.pathname + chartUrl.search); // opaque ID + tab, no PHI
    expect(next).not.toMatch(/DEMO-|Demo/);
    await expect(page.getByText("Your session has ended")).toBeVisible();

    await page.getByLabel("E-mail").fill(USERS.COORDINATOR.email);
    await page.getByLabel("Password").fill(USERS.COORDINATOR.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(chartUrl.toString());
    await expect(page.getByRole("tab", { name: "Labs" })).toHaveAttribute("aria-selected", "true");

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto("/patients");
    await expect(page).toHaveURL(/\/login\?next=%2Fpatients/);
  });
});
