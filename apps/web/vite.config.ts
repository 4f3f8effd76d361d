import { existsSync, readFileSync } from "node:fs";
import { dirname, posix, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultClientConditions, defineConfig, type Plugin } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));
/** A model shipped by a package (e.g. @causeway/lcm's `models/<name>/model.json`). */
const MODEL_JSON = /(?:^|\/)models\/([^/]+)\/model\.json$/;

/**
 * Models found through `new URL("../models/<name>/model.json", import.meta.url)` (the lcm method's
 * shipped model) keep their name, `assets/models/<name>/model.json`, and get the weight files their
 * manifest lists copied beside them, where the loader fetches them (relative to model.json).
 */
function modelAssetName(info: { names?: string[]; originalFileNames?: string[] }): string {
  const m = info.originalFileNames?.map((f) => f.replace(/\\/g, "/").match(MODEL_JSON)).find(Boolean);
  return m ? `assets/models/${m[1]}/model.json` : "assets/[name]-[hash][extname]";
}

function shipModelWeights(): Plugin {
  return {
    name: "causeway-web:model-weights",
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        const source = file.type === "asset" ? file.originalFileNames.find((f) => MODEL_JSON.test(f.replace(/\\/g, "/"))) : undefined;
        if (file.type !== "asset" || !source) continue;
        const manifest = JSON.parse(String(file.source)) as { weightsManifest?: { paths: string[] }[] };
        for (const path of (manifest.weightsManifest ?? []).flatMap((g) => g.paths)) {
          const from = resolve(root, dirname(source), path);
          if (!existsSync(from)) {
            this.warn(`${source} lists ${path}, which is missing: that model will not load in the browser`);
            continue;
          }
          this.emitFile({ type: "asset", fileName: posix.join(posix.dirname(file.fileName), path), source: readFileSync(from) });
        }
      }
    },
  };
}

/**
 * The viewer resolves workspace packages to their TypeScript sources (the `@causeway/source`
 * condition), so `dev` and `build` need no prior build of the packages. Nothing is stubbed: the
 * worker imports only the browser's backends (@causeway/backend-wasm, @causeway/backend-webgpu,
 * which reaches Dawn in Node only, through an import bundlers leave alone), core's file I/O is in
 * @causeway/core/node, and @causeway/lcm reads model files through process.getBuiltinModule.
 */
export default defineConfig({
  base: "./",
  resolve: {
    conditions: ["@causeway/source", ...defaultClientConditions],
  },
  esbuild: { jsx: "automatic" },
  worker: { format: "es", plugins: () => [shipModelWeights()], rollupOptions: { output: { assetFileNames: modelAssetName } } },
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
