/**
 * House rule (house-style.md §1): `@lutetia/dicom` is a leaf that runs unchanged in Node and the
 * browser. Non-test sources must not import `node:` modules, Node built-ins or other workspace
 * packages, nor touch `process` / `Buffer`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const srcDir = dirname(fileURLToPath(import.meta.url));
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory()
      ? sources(join(dir, d.name))
      : d.name.endsWith(".ts") && !d.name.endsWith(".test.ts")
        ? [join(dir, d.name)]
        : [],
  );
}

describe("package purity", () => {
  const files = sources(srcDir);
  it("finds the sources", () => {
    expect(files.length).toBeGreaterThan(10);
  });
  it.each(files.map((f) => [f.slice(srcDir.length + 1), f]))(
    "%s imports no Node or workspace module",
    (_rel, file) => {
      const text = readFileSync(file, "utf8");
      const imports = [...text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map(
        (m) => m[1] ?? "",
      );
      const bad = imports.filter(
        (s) =>
          s.startsWith("node:") ||
          s.startsWith("@lutetia/") ||
          ["fs", "path", "os", "zlib", "crypto", "url", "module"].includes(s),
      );
      expect(bad).toEqual([]);
      expect(/\bprocess\.|\bBuffer\./.test(text.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, ""))).toBe(
        false,
      );
    },
  );
});
