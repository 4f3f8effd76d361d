import { defineConfig, mergeConfig } from "vitest/config";
import { baseConfig } from "@causeway/vitest-config/base";

// One project (the root config runs every package's as one of its projects): component tests in
// src/ (happy-dom per file), browser tests in e2e/ (build the app with Vite, drive Debian's
// Chromium through playwright-core, compare with the CLI and a started apps/server).
export default mergeConfig(
  baseConfig,
  defineConfig({
    esbuild: { jsx: "automatic" },
    test: {
      include: ["src/**/*.test.{ts,tsx}", "e2e/**/*.test.ts"],
      testTimeout: 120_000,
      hookTimeout: 180_000,
    },
  }),
);
