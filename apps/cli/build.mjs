// Bundles the CLI into one ESM file (workspace packages inlined) so `lutetia` starts fast on plain node.
import { build } from "esbuild";

await build({
  entryPoints: { lutetia: "src/bin.ts" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outdir: "dist",
  sourcemap: true,
  splitting: true,
  logLevel: "warning",
  // Some bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __lutetiaRequire } from 'node:module'; const require = __lutetiaRequire(import.meta.url);" },
});
