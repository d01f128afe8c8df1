import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import base from "../../packages/config/eslint.config.mjs";

/** The shared config plus React hooks and Next.js rules for the web app. */
export default [
  ...base,
  { ignores: ["src/graphql/generated.ts", ".next/**", "next-env.d.ts"] },
  {
    files: ["src/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks, "@next/next": nextPlugin },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
    },
  },
];
