// Shared flat ESLint config for every @causeway package (after create-t3-turbo's tooling/eslint).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { layering } from "./layering.js";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/.turbo/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { causeway: { rules: { layering } } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "off",
      // which @causeway package may import which: ARCHITECTURE.md, tooling/eslint/layers.js
      "causeway/layering": "error",
    },
  },
);
