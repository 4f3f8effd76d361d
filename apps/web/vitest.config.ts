import { defineConfig, mergeConfig } from "vitest/config";
import { baseConfig } from "@causeway/vitest-config/base";
import { browserAliases } from "./vite.config.js";

// Two projects: component tests in happy-dom (browser code, Node-only modules stubbed as in the
// bundle), and the browser tests (e2e/, in Node) that build the app with Vite, drive Debian's
// Chromium through playwright-core and compare with the CLI and a started apps/server.
export default mergeConfig(
  baseConfig,
  defineConfig({
    esbuild: { jsx: "automatic" },
    test: {
      projects: [
        {
          extends: true,
          resolve: { alias: browserAliases },
          test: { name: "components", include: ["src/**/*.test.{ts,tsx}"], environment: "happy-dom" },
        },
        {
          extends: true,
          test: { name: "e2e", include: ["e2e/**/*.test.ts"], globalSetup: ["./e2e/global-setup.ts"], testTimeout: 120_000, hookTimeout: 180_000 },
        },
      ],
    },
  }),
);
