import type { NextConfig } from "next";

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
  webpack: (config: { resolve: { extensionAlias?: Record<string, string[]>; fallback?: Record<string, string | false> } }, ctx: { isServer: boolean }) => {
    config.resolve.extensionAlias = { ".js": [".ts", ".tsx", ".js"], ".mjs": [".mts", ".mjs"] };
    if (!ctx.isServer) config.resolve.fallback = { ...(config.resolve.fallback ?? {}), fs: false, path: false };
    return config;
  },
};

export default nextConfig;
