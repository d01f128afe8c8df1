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
  transpilePackages: ["@lutetia/quantification"],
};

export default nextConfig;
