import { createRequire } from "node:module";
import path from "node:path";
import type { NextConfig } from "next";

const require = createRequire(import.meta.url);
/**
 * @cornerstonejs/metadata and @cornerstonejs/utils each get their own nested copy of dcmjs 0.52.0
 * (the workspace root has 0.52.2 for the server), and webpack bundled both: ~650 kB of duplicate
 * JavaScript parsed before the viewer's first image (bench:web). One copy — the version
 * Cornerstone pins — serves both.
 */
const dcmjsEntry = require.resolve("dcmjs", { paths: [path.dirname(require.resolve("@cornerstonejs/metadata/package.json"))] });
const cornerstoneDcmjs = dcmjsEntry.slice(0, dcmjsEntry.lastIndexOf(`${path.sep}dcmjs${path.sep}`) + `${path.sep}dcmjs`.length);

/**
 * The API is reached same-origin through route handlers (src/app/graphql/route.ts), which
 * read LUTETIA_API_URL at run time, so the HttpOnly SameSite=Strict session cookie works
 * without CORS.
 */
const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  allowedDevOrigins: ["127.0.0.1"],
  transpilePackages: ["@lutetia/quantification", "@lutetia/protocols"],
  // The workspace packages import their own TypeScript files with NodeNext-style ".js"
  // specifiers ("../internal/validate.js"); Turbopack cannot alias extensions, so the web
  // app builds and develops with webpack and maps ".js" to the ".ts" source here.
  // Cornerstone3D's codec glue does require("fs"): stubbed in the browser bundle (stack notes).
  webpack: (
    config: { resolve: { extensionAlias?: Record<string, string[]>; fallback?: Record<string, string | false>; alias?: Record<string, string | false | string[]> } },
    ctx: { isServer: boolean },
  ) => {
    config.resolve.extensionAlias = { ".js": [".ts", ".tsx", ".js"], ".mjs": [".mts", ".mjs"] };
    if (!ctx.isServer) {
      config.resolve.fallback = { ...(config.resolve.fallback ?? {}), fs: false, path: false };
      config.resolve.alias = { ...(config.resolve.alias ?? {}), dcmjs$: cornerstoneDcmjs };
    }
    return config;
  },
};

export default nextConfig;
