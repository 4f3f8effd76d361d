import { defineConfig, mergeConfig, type Plugin } from "vitest/config";
import { baseConfig } from "@causeway/vitest-config/base";
import { browserAliases } from "./vite.config.js";

/**
 * The bundle's stubs for Node-only modules (vite.config.ts), applied to browser code only: the
 * component tests (happy-dom, `// @vitest-environment happy-dom`, transformed for the web) get them,
 * while the browser tests (e2e/, in Node) keep the real modules for the CLI and the server they run.
 */
function stubNodeOnlyInWeb(): Plugin {
  return {
    name: "causeway-web:stub-node-only",
    enforce: "pre",
    resolveId(id, _importer, options) {
      if (options?.ssr) return null;
      const hit = browserAliases.find((a) => a.find.test(id));
      return hit ? hit.replacement : null;
    },
  };
}

// One project (the root config runs every package's as one of its projects): component tests in
// src/ (happy-dom per file), browser tests in e2e/ (build the app with Vite, drive Debian's
// Chromium through playwright-core, compare with the CLI and a started apps/server).
export default mergeConfig(
  baseConfig,
  defineConfig({
    plugins: [stubNodeOnlyInWeb()],
    esbuild: { jsx: "automatic" },
    test: {
      include: ["src/**/*.test.{ts,tsx}", "e2e/**/*.test.ts"],
      testTimeout: 120_000,
      hookTimeout: 180_000,
    },
  }),
);
