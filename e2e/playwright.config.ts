import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "@playwright/test";

/**
 * Journeys against the BUILT app, started as a user would: the API on a fresh temporary
 * PGlite database (seeded with the demo site on first start) and `next start` for the web
 * app, which proxies /graphql to that API. Build first: `npm run build -w @lutetia/web`
 * (turbo's `e2e` task depends on `build`).
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const API_PORT = Number(process.env.E2E_API_PORT ?? 4310);
const WEB_PORT = Number(process.env.E2E_WEB_PORT ?? 3310);
// Set once in the main process; workers inherit it.
process.env.E2E_DB_DIR ??= mkdtempSync(path.join(tmpdir(), "lutetia-e2e-"));

export default defineConfig({
  testDir: "tests",
  testMatch: "**/*.e2e.ts",
  outputDir: "test-results",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: process.env.CI ? 1 : 2,
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL: `http://127.0.0.1:${WEB_PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: [
    {
      name: "api",
      command: "npm start -w @lutetia/api",
      cwd: root,
      url: `http://127.0.0.1:${API_PORT}/healthz`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        DATABASE_URL: `pglite://${process.env.E2E_DB_DIR}`,
        API_PORT: String(API_PORT),
        HOST: "127.0.0.1",
        LOG_LEVEL: "warn",
        SEED_DEMO: "true",
        NODE_ENV: "development",
      },
    },
    {
      name: "web",
      command: "npm run start -w @lutetia/web",
      cwd: root,
      url: `http://127.0.0.1:${WEB_PORT}/login`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        LUTETIA_API_URL: `http://127.0.0.1:${API_PORT}`,
        WEB_PORT: String(WEB_PORT),
        NEXT_TELEMETRY_DISABLED: "1",
      },
    },
  ],
});
