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

/**
 * Mean, standard deviation, coloured fraction (channel spread > 40) and warmth (mean red − blue:
 * 0 for grey CT, positive where the hot PET colour map shows) of a PNG screenshot, decoded by the
 * browser.
 */
export async function pixelStats(
  page: Page,
  png: Buffer,
): Promise<{ mean: number; sd: number; coloured: number; warmth: number }> {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement("canvas");
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext("2d")!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let s = 0;
    let s2 = 0;
    let coloured = 0;
    let warmth = 0;
    const n = d.length / 4;
    for (let i = 0; i < d.length; i += 4) {
      const v = (d[i]! + d[i + 1]! + d[i + 2]!) / 3;
      s += v;
      s2 += v * v;
      warmth += d[i]! - d[i + 2]!;
      if (Math.max(d[i]!, d[i + 1]!, d[i + 2]!) - Math.min(d[i]!, d[i + 1]!, d[i + 2]!) > 40)
        coloured++;
    }
    const mean = s / n;
    return {
      mean,
      sd: Math.sqrt(Math.max(0, s2 / n - mean * mean)),
      coloured: coloured / n,
      warmth: warmth / n,
    };
  }, png.toString("base64"));
}
