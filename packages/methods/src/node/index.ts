// Node-only helpers of @causeway/methods (`@causeway/methods/node`): a worker-thread pool that runs
// any shipped method by name, for the bootstrap and the surrogate test.
export { type MethodPoolOptions, MethodPool } from "./pool.js";
export type { PoolDiscoverOptions } from "./protocol.js";
export { discoverSplit, mergeByTargets, splitsByTargets, targetChunks } from "./split.js";
