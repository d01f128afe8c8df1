import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as api from "./index.js";

// House style §1: quantification is a leaf package – no workspace imports, no node: modules, no I/O in src.
const srcDir = dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith(".ts") && !p.endsWith(".test.ts") ? [p] : [];
  });
}

describe("package rules", () => {
  const files = sourceFiles(srcDir);
  it("finds the source files", () => {
    expect(files.length).toBeGreaterThan(10);
  });
  it.each(files.map((f) => [relative(srcDir, f), f]))(
    "%s imports no node: module, workspace package or I/O global",
    (_name, file) => {
      const text = readFileSync(file, "utf8");
      const imports = [...text.matchAll(/from\s+["']([^"']+)["']/g)].map((m) => m[1]!);
      for (const spec of imports) {
        expect(spec.startsWith("node:"), spec).toBe(false);
        expect(spec.startsWith("@lutetia/"), spec).toBe(false);
        expect(
          ["fs", "path", "os", "child_process", "http", "https", "net"].includes(spec),
          spec,
        ).toBe(false);
      }
      expect(
        /\b(fetch|XMLHttpRequest|process\.env|require)\s*\(/.test(
          text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ""),
        ),
      ).toBe(false);
    },
  );
  it("index exports the core API", () => {
    for (const name of [
      "computeSuvFactors",
      "netAdministeredActivity",
      "decayFactor",
      "segmentLesions",
      "labelComponents26",
      "sphereVoiStats",
      "spectBqPerMl",
      "lbmJamesKg",
    ]) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe("function");
    }
  });
  it("index re-exports the response-criteria and dosimetry modules", () => {
    const text = readFileSync(join(srcDir, "index.ts"), "utf8");
    expect(text).toContain('export * from "./response/index.js";');
    expect(text).toContain('export * from "./dosimetry/index.js";');
    const names = Object.keys(api);
    for (const fn of ["assessRecist", "assessPercist", "fitMonoExponential", "buildDoseLedger", "bedGy"]) {
      expect(names, fn).toContain(fn);
    }
  });
});
