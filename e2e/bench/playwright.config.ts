import { defineConfig } from "@playwright/test";
import base from "../playwright.config";

/**
 * `npm run bench:web`: the viewer benchmark (bench/*.bench.ts), NOT part of the e2e test run.
 * Same servers as the e2e suite (built app, fresh embedded database; E2E_API_PORT / E2E_WEB_PORT).
 */
export default defineConfig({
  ...base,
  testDir: ".",
  testMatch: "**/*.bench.ts",
  outputDir: "../test-results/bench",
  timeout: 15 * 60_000,
  retries: 0,
  workers: 1,
  reporter: [["list"]],
  webServer: (Array.isArray(base.webServer) ? base.webServer : []).map((w) => ({
    ...w,
    cwd: w.cwd,
  })),
});
