import { fileURLToPath } from "node:url";
import { defaultClientConditions, defineConfig } from "vite";

const stub = fileURLToPath(new URL("./src/worker/node-only-stub.ts", import.meta.url));

/** Node-only modules replaced by a stub in browser code (also used by the component tests). */
export const browserAliases = [
  { find: /^webgpu$/, replacement: stub },
  { find: /^@tensorflow\/tfjs-node-gpu$/, replacement: stub },
  // Node built-ins that core imports lazily for file I/O and driver checks (never called here).
  { find: /^node:(fs|fs\/promises|path|module)$/, replacement: stub },
];

/**
 * The viewer resolves workspace packages to their TypeScript sources (the `@causeway/source`
 * condition), so `dev` and `build` need no prior build of the packages. Node-only optional
 * modules that core loads lazily (Dawn's `webgpu` bindings, tfjs-node-gpu) are replaced by a stub
 * that throws: in a browser core reaches WebGPU through `navigator.gpu` and never calls them.
 */
export default defineConfig({
  base: "./",
  resolve: {
    conditions: ["@causeway/source", ...defaultClientConditions],
    alias: browserAliases,
  },
  esbuild: { jsx: "automatic" },
  worker: { format: "es" },
  build: {
    target: "es2022",
    // TensorFlow.js with its gradients is one large chunk, loaded by the worker only.
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      // Mantine marks its modules "use client" (for React Server Components); meaningless in this bundle.
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
    },
  },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});
