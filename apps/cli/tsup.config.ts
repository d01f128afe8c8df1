import { defineConfig } from "tsup";

// One self-contained ESM file (workspace packages inlined) so `lutetia` starts fast with plain node.
export default defineConfig({
  entry: { lutetia: "src/bin.ts" },
  format: ["esm"],
  platform: "node",
  target: "node20",
  outDir: "dist",
  clean: true,
  sourcemap: true,
  noExternal: [/^@lutetia\//],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
