/**
 * Stages: the parts of one run that a method can hand to other threads or machines. A method that
 * declares `stages` (named pure functions of the series and a plain-data payload) and receives a
 * `StageExecutor` in `DiscoverOptions.executor` may run those parts there and assemble the result
 * itself, so the graph is built once, by the method's own `discover`, exactly as in a serial run.
 * Runners: `MethodPool.executor()` (@causeway/methods/node, worker threads) and the server's Redis
 * workers (`distribute: true` jobs).
 */
import type { Discoverer } from "./discoverer.js";
import { InputError } from "./errors.js";
import type { TimeSeries } from "./types.js";

/** One stage: a pure function of the series and a payload; payload and result are plain data (typed arrays allowed). */
export type MethodStage = (series: TimeSeries, payload: unknown) => unknown;

/** Runs a method's stages elsewhere: each payload once, results in payload order. */
export interface StageExecutor {
  /** Parts that run at once (threads, worker processes): a method splits its work into about this many. */
  readonly parallelism: number;
  run(method: string, stage: string, series: TimeSeries, payloads: readonly unknown[]): Promise<unknown[]>;
}

/** Runs `method`'s stage `stage` here (what a pool thread or a queue worker does with a stage request). */
export function runStage(method: Discoverer, stage: string, series: TimeSeries, payload: unknown): unknown {
  const fn = method.stages?.[stage];
  if (!fn) throw new InputError(`method "${method.name}" has no stage "${stage}"${method.stages ? `; its stages: ${Object.keys(method.stages).join(", ")}` : " (it runs in one piece)"}`);
  return fn(series, payload);
}
