export { default } from "./packages/config/eslint.config.mjs";
