// Shared vitest settings: resolve workspace packages to their TypeScript sources.
import { defineConfig } from "vitest/config";

export const baseConfig = defineConfig({
  resolve: { conditions: ["@causeway/source"] },
  ssr: { resolve: { conditions: ["@causeway/source"] } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
