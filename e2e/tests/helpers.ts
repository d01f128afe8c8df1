import { expect, type Page, type TestInfo } from "@playwright/test";

/** Demo logins (README.md "Demo logins", DEMO ONLY). */
export const USERS = {
  ADMIN: { email: "admin@demo.lutetia.test", password: "demo-admin-lutetia" },
  COORDINATOR: { email: "coordinator@demo.lutetia.test", password: "demo-coordinator-lutetia" },
  PHYSICIAN: { email: "physician@demo.lutetia.test", password: "demo-physician-lutetia" },
  PHYSICIST: { email: "physicist@demo.lutetia.test", password: "demo-physicist-lutetia" },
  BOARD_MEMBER: { email: "board@demo.lutetia.test", password: "demo-board-lutetia" },
  VIEWER: { email: "viewer@demo.lutetia.test", password: "demo-viewer-lutetia" },
} as const;

export type DemoRole = keyof typeof USERS;

/** Signs in through the login form (Enter submits) and waits for the signed-in shell. */
export async function login(page: Page, role: DemoRole, path = "/login"): Promise<void> {
  await page.goto(path);
  await page.getByLabel("E-mail").fill(USERS[role].email);
  await page.getByLabel("Password").fill(USERS[role].password);
  await page.getByLabel("Password").press("Enter");
  await expect(page.getByTestId("viewer")).toBeVisible();
}

/** A fresh MRN in the demo site's format (^DEMO-\d{4}$), outside the seeded DEMO-0001…0030. */
export function freshMrn(): string {
  return `DEMO-${5000 + Math.floor(Math.random() * 4999)}`;
}

/** Saves a full-page screenshot of a main screen as a test artefact (test-results/…). */
export async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

/** `datetime-local` value for an instant, in the browser's (= this process's) zone. */
export function localInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Creates a patient through the UI as the signed-in user; returns the chart URL path. */
export async function createPatient(page: Page, p: { mrn: string; family: string; given: string }): Promise<string> {
  await page.goto("/patients/new");
  await page.getByLabel("MRN").fill(p.mrn);
  await page.getByLabel("Family name").fill(p.family);
  await page.getByLabel("Given name").fill(p.given);
  await page.getByLabel("Birth date").fill("1961-04-12");
  await page.getByLabel("Sex").selectOption("FEMALE");
  await page.getByLabel("Height (cm)").fill("168");
  await page.getByRole("button", { name: "Create patient" }).click();
  await expect(page.getByTestId("patient-mrn")).toHaveText(p.mrn);
  return new URL(page.url()).pathname;
}
