import { defineConfig, mergeConfig } from "vitest/config";
import { baseConfig } from "@causeway/vitest-config/base";

// Component tests pick happy-dom per file (`// @vitest-environment happy-dom`); the browser tests
// (e2e/) build the app with Vite and drive Debian's Chromium through playwright-core.
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
