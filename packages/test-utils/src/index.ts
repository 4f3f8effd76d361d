/**
 * Test helpers shared by Causeway's packages; private, never published. A package lists
 * `@causeway/test-utils` in its devDependencies and imports it from test files only.
 */
export { ALL_BACKENDS, CPU_BACKENDS, availableBackends, describeBackends, maxAbsDiff, probeBackends } from "./backends.js";
export { CROSS_ENGINE_RTOL, expectClose, firstMismatch } from "./close.js";
export { SCALE_TRANSFORMS, flatScores, transformSeries } from "./scale.js";
export { maskAtRandom } from "./missing.js";
