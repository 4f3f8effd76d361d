// The import layering of the workspace, as ARCHITECTURE.md draws it. Each row: which @causeway packages
// a package's source may import (`src`), and what its tests may import on top (`test`). Test code is a
// `*.test.*` file or anything under an `e2e/` or `test/` folder. Tooling (tsconfig, eslint and vitest
// configs) may be used by any package and imports no @causeway package itself.

/** Config packages: importable from anywhere (eslint.config.js, vitest.config.ts). */
export const TOOLING = ["@causeway/tsconfig", "@causeway/eslint-config", "@causeway/vitest-config"];

const core = "@causeway/core";
const testUtils = "@causeway/test-utils";
const backendWasm = "@causeway/backend-wasm";
const backendWebgpu = "@causeway/backend-webgpu";
const backendCuda = "@causeway/backend-cuda";
/** The backend packages: each registers its provider with core's registry when imported. */
const BACKENDS = [backendWasm, backendWebgpu, backendCuda];
const metrics = "@causeway/metrics";
const synth = "@causeway/synth";
const attention = "@causeway/attention";
const granger = "@causeway/granger";
const tcdf = "@causeway/tcdf";
const transformer = "@causeway/transformer";
const lcm = "@causeway/lcm";
const relevance = "@causeway/relevance-allocator";
const pcmci = "@causeway/pcmci";
const structural = "@causeway/structural";
const methods = "@causeway/methods";
const cli = "@causeway/cli";
const server = "@causeway/server";

/** What a method package's tests may use: helpers, synthetic data with known truth, the scores. */
const METHOD_TESTS = [testUtils, metrics, synth];
/** Every published library package, what apps and benchmarks build on. */
const LIBRARIES = [core, ...BACKENDS, metrics, synth, attention, granger, tcdf, transformer, lcm, relevance, pcmci, structural, methods];

/**
 * The layer table, bottom up: 0 core · 1 backends, data and scoring (metrics, synth) and test-utils ·
 * 2 building blocks (attention) · 3 method packages · 4 the methods registry · 5 apps and benchmarks.
 * @type {Record<string, { layer: number; src: string[]; test: string[] }>}
 */
export const LAYERS = {
  [core]: { layer: 0, src: [], test: [testUtils] },
  // backends register themselves with core; method packages never import them (their tests get them through test-utils)
  [backendWasm]: { layer: 1, src: [core], test: [testUtils] },
  // its tests run auto and cpu beside wasm in child processes
  [backendWebgpu]: { layer: 1, src: [core], test: [testUtils, backendWasm] },
  [backendCuda]: { layer: 1, src: [core], test: [testUtils] },
  // registers every backend, so that a test can ask for any by name
  [testUtils]: { layer: 1, src: [core, ...BACKENDS], test: [] },
  [metrics]: { layer: 1, src: [core], test: [testUtils] },
  [synth]: { layer: 1, src: [core], test: [testUtils] },
  [attention]: { layer: 2, src: [core], test: METHOD_TESTS },
  [granger]: { layer: 3, src: [core], test: METHOD_TESTS },
  [tcdf]: { layer: 3, src: [core], test: METHOD_TESTS },
  [transformer]: { layer: 3, src: [core, attention], test: METHOD_TESTS },
  // the Large Causal Model trains on synthetic series scored with metrics, and reuses granger's VAR features
  // and (v2) PCMCI's MCI statistics as injected features
  [lcm]: { layer: 3, src: [core, attention, granger, metrics, pcmci, synth], test: METHOD_TESTS },
  // attributions of a trained transformer
  [relevance]: { layer: 3, src: [core, transformer], test: METHOD_TESTS },
  // PCMCI, PCMCI+ and their conditional-independence tests
  [pcmci]: { layer: 3, src: [core], test: METHOD_TESTS },
  // VARLiNGAM and DYNOTEARS
  [structural]: { layer: 3, src: [core], test: METHOD_TESTS },
  [methods]: { layer: 4, src: [core, attention, granger, tcdf, transformer, lcm, relevance, pcmci, structural], test: METHOD_TESTS },
  [server]: { layer: 5, src: LIBRARIES, test: METHOD_TESTS },
  // `causeway serve` and `causeway worker` load the server on demand
  [cli]: { layer: 5, src: [...LIBRARIES, server], test: [testUtils, server] },
  // the viewer's browser tests drive the CLI and the server
  // a browser bundle: every library but the Node-only cuda backend (the worker imports wasm and webgpu)
  ["@causeway/web"]: { layer: 5, src: LIBRARIES.filter((p) => p !== backendCuda), test: [testUtils, cli, server] },
  ["@causeway/bench"]: { layer: 5, src: LIBRARIES, test: [testUtils] },
};

/** A package missing from the table is treated as a method package until it gets its own row. */
export const DEFAULT_ROW = { layer: 3, src: [core, attention], test: METHOD_TESTS };
