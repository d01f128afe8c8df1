import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Test files share a worker process (module imports and the PGlite WASM compile happen once per
    // worker); each file still starts its own server on its own database.
    isolate: false,
    maxWorkers: 2,
  },
});
