import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { extractText, getDocumentProxy } from "unpdf";
import { localInput, login, snap } from "./helpers";

/**
 * Tumour board: the board member's home lists the next (seeded) meeting; a coordinator schedules
 * a meeting and builds its agenda; the chair freezes a one-pager, records and signs the decision;
 * presentation mode moves between cases with the keyboard; the one-pager PDF downloads and has
 * the patient's numbers.
 */
test.describe.serial("tumour board: agenda to signed decision", () => {
  const title = `E2E board ${Math.floor(Math.random() * 1e6)}`;
  let meetingPath = "";

  test("the board member's home shows the next meeting's cases", async ({ page }) => {
    await login(page, "BOARD_MEMBER");
    const home = page.getByRole("region", { name: "Next tumour-board meeting" });
    await expect(home).toContainText("NET tumour board");
    await expect(home.getByRole("table", { name: "Cases of the next meeting" })).toContainText("Eligibility");
    await expect(home.getByRole("table", { name: "Cases of the next meeting" })).toContainText("DEMO-");
  });

  test("a coordinator schedules a meeting and builds the agenda (inline errors, ordering)", async ({ page }, testInfo) => {
    await login(page, "COORDINATOR");
    await page.getByRole("link", { name: "Boards" }).click();
    await expect(page.getByRole("heading", { name: "Tumour boards" })).toBeVisible();
    await page.getByRole("button", { name: "Schedule a meeting" }).click();
    const form = page.getByRole("form", { name: "Schedule a meeting" });
    await form.getByLabel("Title").fill(title);
    await form.getByLabel("Date and time").fill(localInput(new Date(Date.now() + 3_600_000)));
    await form.getByLabel("Room / link").fill("Room 4");
    await form.getByRole("button", { name: "Schedule meeting" }).click();
    await expect(form.getByText("Chair is required").first()).toBeVisible();
    await form.getByLabel("Chair").selectOption({ label: "Demo Board Member" });
    await form.getByLabel("Demo Physician").check();
    await form.getByRole("button", { name: "Schedule meeting" }).click();
    await expect(page.getByRole("heading", { name: title })).toBeVisible();
    meetingPath = new URL(page.url()).pathname;

    for (const [mrn, question] of [["DEMO-0003", "CONTINUE_OR_MODIFY"], ["DEMO-0005", "OTHER"]] as const) {
      await page.getByRole("button", { name: "Add case" }).click();
      const add = page.getByRole("form", { name: "Add a case" });
      await add.getByLabel("Find patient (name or MRN)").fill(mrn);
      const patient = add.locator("select[name=patientId]");
      await expect(patient).toContainText(mrn);
      await patient.selectOption({ index: 1 });
      await add.locator("select[name=question]").selectOption(question);
      await add.getByRole("button", { name: "Add case" }).click();
      if (question === "OTHER") {
        await expect(add.locator(".field-error")).toContainText("required when the question is OTHER");
        await add.getByLabel("Question details").fill("Response after four cycles");
        await add.getByRole("button", { name: "Add case" }).click();
      }
      await expect(page.getByRole("region", { name: "Agenda", exact: true })).toContainText(mrn);
    }
    const agenda = page.getByRole("region", { name: "Agenda", exact: true });
    await agenda.getByRole("button", { name: "Move case 2 up" }).click();
    await expect(agenda.getByRole("row").nth(1)).toContainText("DEMO-0005");
    await agenda.getByRole("button", { name: "Move case 1 down" }).click();
    await expect(agenda.getByRole("row").nth(1)).toContainText("DEMO-0003");
    await page.getByRole("button", { name: "Start meeting" }).click();
    await expect(page.getByRole("button", { name: "Close meeting" })).toBeVisible();
    await snap(page, testInfo, "board-meeting-agenda");
  });

  test("the chair freezes the one-pager, records the decision (field errors) and signs it", async ({ page }, testInfo) => {
    await login(page, "BOARD_MEMBER");
    await page.goto(meetingPath);
    const panel = page.getByTestId("case-panel");
    await expect(panel).toContainText("Continue or modify");
    await expect(panel.getByTestId("one-pager")).toContainText("DEMO-0003");
    await panel.getByRole("button", { name: "Freeze one-pager" }).click();
    await expect(panel.getByTestId("snapshot-badge")).toContainText("Frozen");

    await panel.getByRole("button", { name: "Record decision" }).click();
    const form = panel.getByRole("form", { name: "Record the board's decision" });
    await form.getByLabel("Outcome").selectOption("MODIFY_ACTIVITY");
    await form.getByLabel("New activity per cycle (GBq)").fill("40");
    await form.getByRole("button", { name: "Save decision (draft)" }).click();
    await expect(form.getByText(/between 1 and 15 GBq \(got 40\)/).first()).toBeVisible();
    await expect(form.getByText(/rationale is required/).first()).toBeVisible();
    await form.getByLabel("New activity per cycle (GBq)").fill("5.55");
    await form.getByLabel("Rationale").fill("Grade 2 thrombocytopenia after cycle 1: continue at 75 % activity.");
    await form.getByLabel("Votes for").fill("5");
    await form.getByLabel("Votes against").fill("1");
    await form.getByRole("button", { name: "Save decision (draft)" }).click();
    const decision = panel.getByTestId("decision").first();
    await expect(decision).toContainText("Modify activity");
    await expect(decision).toContainText("new activity 5.55 GBq");
    await expect(decision).toContainText("Draft");
    await decision.getByRole("button", { name: "Sign as chair" }).click();
    await expect(decision).toContainText("Signed");
    await expect(decision).toContainText("sha256");
    await expect(decision.getByRole("button", { name: "Amend" })).toBeVisible();
    await snap(page, testInfo, "board-signed-decision");
  });

  test("a physician applies the signed decision to the patient's running course", async ({ page }) => {
    await login(page, "PHYSICIAN");
    await page.goto(meetingPath);
    const decision = page.getByTestId("case-panel").getByTestId("decision").first();
    await expect(decision).toContainText("Signed");
    await decision.getByRole("button", { name: "Apply to course" }).click();
    const form = decision.getByRole("form", { name: "Apply the decision to the course" });
    await expect(form).toContainText("to 5.55 GBq");
    await form.getByRole("button", { name: "Update the course" }).click();
    await expect(decision.getByTestId("decision-applied")).toContainText("5.55 GBq per cycle");
    await expect(decision.getByRole("button", { name: "Apply to course" })).toHaveCount(0);
  });

  test("presentation mode: one case at a time, keyboard navigation, Esc leaves", async ({ page }, testInfo) => {
    await login(page, "BOARD_MEMBER");
    await page.goto(meetingPath);
    await page.getByRole("link", { name: "Presentation mode" }).click();
    const counter = page.getByTestId("case-counter");
    await expect(counter).toHaveText("Case 1 of 2");
    await expect(page.getByTestId("presentation")).toContainText("DEMO-0003");
    await expect(page.getByTestId("presentation")).toContainText("What the board saw");
    await page.keyboard.press("ArrowRight");
    await expect(counter).toHaveText("Case 2 of 2");
    await expect(page.getByTestId("presentation")).toContainText("DEMO-0005");
    await expect(page.getByTestId("presentation")).toContainText("Live data — not frozen");
    await page.keyboard.press("ArrowRight");
    await expect(counter).toHaveText("Case 2 of 2");
    await page.keyboard.press("PageUp");
    await expect(counter).toHaveText("Case 1 of 2");
    await page.keyboard.press("PageDown");
    await expect(counter).toHaveText("Case 2 of 2");
    await snap(page, testInfo, "board-presentation");
    await page.keyboard.press("Escape");
    await expect(page).toHaveURL(new RegExp(`${meetingPath}\\?case=`));
    await expect(page.getByRole("heading", { name: title })).toBeVisible();
  });

  test("the one-pager PDF downloads and has the patient's numbers", async ({ page }) => {
    await login(page, "VIEWER");
    await page.goto(meetingPath);
    const panel = page.getByTestId("case-panel");
    await expect(panel.getByTestId("snapshot-badge")).toBeVisible();
    const [download] = await Promise.all([page.waitForEvent("download"), panel.getByTestId("pdf-link").click()]);
    expect(download.suggestedFilename()).toMatch(/^one-pager-[A-Za-z0-9_-]+\.pdf$/);
    const bytes = new Uint8Array(readFileSync((await download.path())!));
    const { text } = await extractText(await getDocumentProxy(bytes), { mergePages: true });
    expect(text).toContain("MRN DEMO-0003");
    expect(text).toContain("Tumour board — case one-pager");
    expect(text).toContain("7.40"); // prescribed GBq per cycle of the seeded standard course
    expect(text).toMatch(/new activity 5\.55 GBq/);
    expect(text).toMatch(/snapshot \(what the board saw\)/);
    expect(text).toMatch(/content sha256 [0-9a-f]{64}/);
  });
});
