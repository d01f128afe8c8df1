import { expect, test, type Page } from "@playwright/test";
import { createPatient, freshMrn, localInput, login, snap } from "./helpers";

/** YYYY-MM-DDT09:00 `days` from today (typed as the site's wall-clock time). */
function dayAt9(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${localInput(d).slice(0, 10)}T09:00`;
}

async function openCourses(page: Page, chartPath: string) {
  await page.goto(chartPath + "?tab=courses");
  await expect(page.getByRole("table", { name: "Care events" })).toBeVisible();
}

test.describe.serial("care pathway: template course, booking, reschedule, go/no-go", () => {
  const mrn = freshMrn();
  let chartPath = "";

  test("coordinator plans a course from the standard template, books it and reschedules a cycle", async ({
    page,
  }, testInfo) => {
    await login(page, "COORDINATOR");
    chartPath = await createPatient(page, { mrn, family: "Pathway-Demo", given: "Demo Pathway" });
    await page.getByRole("button", { name: "Record weight" }).click();
    await page.getByLabel("Weight (kg)").fill("70");
    await page.getByLabel("Weight (kg)").press("Enter");
    await expect(page.getByRole("region", { name: "Patient summary" })).toContainText("70 kg");

    // Plan from the shipped standard template; first administration in 3 days, 09:00 site time.
    await page.getByRole("tab", { name: "Courses & cycles" }).click();
    const eligibility = page.getByRole("region", { name: "Eligibility" });
    await eligibility.getByRole("button", { name: "Check eligibility" }).click();
    await expect(eligibility.getByRole("table", { name: "Eligibility criteria" })).toBeVisible();
    await expect(eligibility.getByTestId("eligibility-overall")).toContainText("Overall:");
    await page.getByRole("button", { name: "Plan from protocol template" }).click();
    const plan = page.getByRole("form", { name: "Plan a course from a protocol template" });
    await expect(plan.getByLabel("Protocol template").locator("option:checked")).toContainText(
      "177Lu-DOTATATE standard",
    );
    await plan.getByLabel("Agent").selectOption({ label: "177Lu-DOTATATE (177Lu)" });
    await plan.getByLabel("First administration (site local time)").fill(dayAt9(3));
    await plan.getByRole("button", { name: "Plan course from template" }).click();
    await expect(page.getByTestId("cycle-4")).toBeVisible();
    const events = page.getByRole("table", { name: "Care events" });
    await expect(events).toContainText(`${dayAt9(3).replace("T", " ")}`);
    await expect(events.getByRole("row").filter({ hasText: "Planned" }).first()).toBeVisible();
    await snap(page, testInfo, "pathway-course-events");

    // Per-event action: cancel the end-of-treatment restaging with a reason.
    const restaging = events.getByRole("row").filter({ hasText: "End-of-treatment restaging" });
    await restaging.getByRole("button", { name: /^Cancel/ }).click();
    const cancel = page.getByRole("form", { name: /^Cancel event/ });
    await cancel.getByLabel("Reason (no names)").fill("E2E: restaging at the referring hospital");
    await cancel.getByRole("button", { name: "Cancel event" }).click();
    await expect(restaging).toContainText("Cancelled");
    await expect(restaging).toContainText("E2E: restaging at the referring hospital");

    // Worklist: this week's cycle of this patient, bulk-booked on a resource.
    await page.goto("/");
    await page.getByRole("link", { name: "Care pathway worklist" }).click();
    await expect(page.getByRole("heading", { name: "Care pathway worklist" })).toBeVisible();
    await page.getByLabel("Patient (MRN)").fill(mrn);
    await page.getByLabel("Type").selectOption("CYCLE");
    await page.getByRole("tab", { name: /This week/ }).click();
    const wl = page.getByRole("table", { name: "Worklist" });
    await expect(wl.getByRole("row")).toHaveCount(2);
    await wl.getByRole("checkbox", { name: "Select all" }).check();
    await page.getByRole("button", { name: "Book selected (1)" }).click();
    const book = page.getByRole("form", { name: /^Book/ });
    await book.getByLabel("Resource").fill("Lu-room 1");
    await book.getByRole("button", { name: "Book", exact: true }).click();
    const close = page.getByRole("button", { name: "Close" });
    if (await close.isVisible().catch(() => false)) await close.click();
    await expect(wl).toContainText("Lu-room 1");
    await expect(wl).toContainText("Booked");
    await snap(page, testInfo, "pathway-worklist");

    // Reschedule cycle 2 only 4 weeks after cycle 1: what moved + the interval flag (ERROR), never hidden.
    await openCourses(page, chartPath);
    await page.getByRole("button", { name: "Reschedule administration of cycle 2" }).click();
    const resched = page.getByRole("form", { name: "Reschedule cycle 2" });
    await resched.getByLabel(/New administration time/).fill(dayAt9(3 + 28));
    await resched.getByLabel("Reason (no names)").fill("E2E: slot moved");
    await resched.getByRole("button", { name: "Reschedule cycle" }).click();
    const result = page.getByTestId("reschedule-result");
    await expect(result.getByRole("table", { name: "What moved" })).toContainText("Moved");
    const flags = result.getByRole("list", { name: "Constraint flags after reschedule" });
    await expect(flags).toContainText("CYCLE_INTERVAL_TOO_SHORT");
    await expect(flags.locator('li[data-severity="ERROR"]').first()).toBeVisible();
    await snap(page, testInfo, "pathway-reschedule");
    await page.getByRole("button", { name: "Close" }).click();
    await expect(page.getByRole("region", { name: "Schedule flags" })).toContainText(
      "CYCLE_INTERVAL_TOO_SHORT",
    );

    // The worklist's conflicts tab lists the course with its flag.
    await page.goto("/worklist");
    await page.getByRole("tab", { name: /Conflicts/ }).click();
    await expect(page.getByRole("region", { name: `Conflicts ${mrn}` })).toContainText(
      "CYCLE_INTERVAL_TOO_SHORT",
    );

    // Calendar (month view) shows the booked cycle 1; a feed URL is shown once and can be revoked.
    await page.goto("/calendar");
    await expect(page.getByRole("table", { name: /^Calendar/ })).toBeVisible();
    await page.getByRole("button", { name: "Month" }).click();
    const cycleDay = dayAt9(3).slice(0, 10);
    if (cycleDay.slice(0, 7) !== dayAt9(0).slice(0, 7))
      await page.getByRole("button", { name: "Next" }).click();
    await expect(page.locator(`td[data-day="${cycleDay}"]`)).toContainText(mrn);
    await page.getByRole("button", { name: "Create feed URL" }).click();
    await expect(page.getByLabel("Feed URL")).toHaveValue(/^https?:\/\//);
    await page
      .getByRole("button", { name: /^Revoke/ })
      .first()
      .click();
    await expect(page.getByRole("table", { name: "Your calendar feeds" })).toContainText("Revoked");
    await snap(page, testInfo, "pathway-calendar");
  });

  test("physician runs the go/no-go, records GO and administers without an override", async ({
    page,
  }, testInfo) => {
    await login(page, "PHYSICIAN");
    await openCourses(page, chartPath);
    const gonogo = page.getByRole("region", { name: "Go/no-go — cycle 1" });
    await gonogo.getByRole("button", { name: "Run go/no-go check for cycle 1" }).click();
    await expect(gonogo.getByTestId("gonogo-recommendation")).toContainText("Recommendation:");
    await expect(gonogo.getByTestId("latest-decision")).toContainText("No decision recorded yet.");
    await gonogo.getByRole("button", { name: "Record decision for cycle 1" }).click();
    const decision = page.getByRole("form", { name: "Physician decision" });
    await decision.getByLabel("Decision").selectOption("GO");
    await decision.getByLabel("Reason (no names)").fill("E2E: labs reviewed, fit for cycle 1");
    await decision.getByRole("button", { name: "Record decision" }).click();
    await expect(gonogo.getByTestId("latest-decision")).toContainText("GO");
    await snap(page, testInfo, "pathway-gonogo");

    await page.getByRole("button", { name: "Record administration of cycle 1" }).click();
    const form = page.getByRole("form", { name: "Record administration of cycle 1" });
    const t0 = new Date(Date.now() - 3 * 3600_000);
    t0.setSeconds(0, 0);
    await form.getByLabel("Calibrated activity (MBq)").fill("7400");
    await form.getByLabel("Calibration time").fill(localInput(t0));
    await form.getByLabel("Infusion start").fill(localInput(new Date(t0.getTime() + 3600_000)));
    await form.getByLabel("Infusion end").fill(localInput(new Date(t0.getTime() + 5400_000)));
    await form
      .getByLabel("Residue measured at")
      .fill(localInput(new Date(t0.getTime() + 7200_000)));
    await form.getByLabel("Residual activity (MBq)").fill("100");
    await form.getByLabel("Lot number").fill("LOT-E2E-PATHWAY");
    await expect(form.getByLabel(/Go\/no-go override reason/)).toHaveValue("");
    await form.getByLabel("Lot number").press("Enter");
    await expect(page.getByTestId("cycle-1")).toContainText("Administered");
    // The cycle's care event is fulfilled by the administration; the go/no-go moves to cycle 2.
    await expect(
      page
        .getByRole("table", { name: "Care events" })
        .getByRole("row")
        .filter({ hasText: "Cycle 1: 177Lu-DOTATATE" }),
    ).toContainText("Done");
    await expect(page.getByRole("region", { name: "Go/no-go — cycle 2" })).toBeVisible();
    await snap(page, testInfo, "pathway-administered");
  });
});
