import { defineConfig, mergeConfig } from "vitest/config";
import { baseConfig } from "@causeway/vitest-config/base";

export default mergeConfig(
  baseConfig,
  defineConfig({
    test: {
      // Creates one embedded database (several seconds) that every test copies (about one).
      globalSetup: ["./src/test-global-setup.ts"],
    },
  }),
);
