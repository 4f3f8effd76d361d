import { defineConfig } from "vitest/config";

// One run over every workspace project; each project's own vitest.config.ts applies.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "tooling/eslint"],
  },
});
