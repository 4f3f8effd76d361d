// A pool worker thread: registers the methods once, then runs one task at a time with its own AbortSignal.
import { parentPort, workerData } from "node:worker_threads";
import { getMethod, graphToJson, listMethods, useBackend, type ProgressEvent, type StageExecutor } from "@causeway/core";
import { registerAllMethods } from "@causeway/methods";
import "./backends.js";
import { loadMethodModules } from "./method-modules.js";
import { resolveModelParams } from "./models.js";
import type { FromWorker, ToWorker, WorkerBoot } from "./protocol.js";
import { addJobTrust, trustDiscoverOptions } from "./trust.js";

const port = parentPort!;
const boot = workerData as WorkerBoot;
const cancelFlag = new Int32Array(boot.cancelFlag);
const send = (m: FromWorker) => port.postMessage(m);

registerAllMethods();
await loadMethodModules(boot.methodModules);

let current: { jobId: string; controller: AbortController } | null = null;

/** Parts a `distribute` job's method splits each phase into (stage jobs on the Redis queue). */
const DISTRIBUTE_PARTS = 8;
/** Stage requests waiting for the main thread's answer. */
const pendingStages = new Map<number, { resolve(r: { values: unknown[]; workers: string[] }): void; reject(e: Error): void }>();
let nextStageRequest = 0;

/** An executor that sends a job's stages to the main thread (which queues them for every worker) and records who ran them. */
function queueExecutor(jobId: string, ran: { parts: number; workers: Set<string> }): StageExecutor {
  return {
    parallelism: DISTRIBUTE_PARTS,
    run: (method, stage, series, payloads) =>
      new Promise<{ values: unknown[]; workers: string[] }>((resolve, reject) => {
        const request = nextStageRequest++;
        pendingStages.set(request, { resolve, reject });
        const { variables, length, data, time } = series;
        send({ type: "stages", jobId, request, method, stage, series: { variables: [...variables], length, data, ...(time ? { time: [...time] } : {}) }, payloads: [...payloads] });
      }).then(({ values, workers }) => {
        ran.parts += values.length;
        for (const w of workers) ran.workers.add(w);
        return values;
      }),
  };
}

async function run(task: Extract<ToWorker, { type: "run" }>): Promise<void> {
  const controller = new AbortController();
  current = { jobId: task.jobId, controller };
  // A busy method may not return to the event loop for a while; progress callbacks read the shared flag.
  const checkCancel = () => {
    if (Atomics.load(cancelFlag, 0) === 1 && !controller.signal.aborted) controller.abort("the job was cancelled");
  };
  try {
    const method = getMethod(task.method);
    const { maxLag, seed, backend, threshold } = task.options;
    // A model name becomes a path here, inside the server; the graph keeps the name.
    const params = await resolveModelParams(method, task.options.params, boot.modelsDir);
    // the job's backend (its request, else "auto") is this thread's choice, made
    // before the run: methods never switch backends themselves
    if (method.usesTensors) await useBackend(backend);
    const options = {
      maxLag,
      seed,
      threshold,
      params,
      ...trustDiscoverOptions(task.options),
      signal: controller.signal,
      onProgress: (event: ProgressEvent) => {
        checkCancel();
        send({ type: "progress", jobId: task.jobId, event });
      },
    };
    const ran = { parts: 0, workers: new Set<string>() };
    const executor = task.options.distribute ? { executor: queueExecutor(task.jobId, ran) } : {};
    const observed = await method.discover(task.series, { ...options, ...executor });
    // which queue workers ran the stages of a distributed run
    if (task.options.distribute) observed.meta.distributed = { parts: ran.parts, workers: [...ran.workers].sort() };
    const graph = await addJobTrust(method, task.series, observed, options, task.options);
    for (const [k, v] of Object.entries(params ?? {})) if (v !== task.options.params?.[k] && k in graph.meta.params) graph.meta.params[k] = task.options.params?.[k];
    send({ type: "done", jobId: task.jobId, graph: graphToJson(graph) });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    send({ type: "error", jobId: task.jobId, name: controller.signal.aborted ? "AbortError" : err.name, message: err.message });
  } finally {
    current = null;
  }
}

port.on("message", (msg: ToWorker) => {
  if (msg.type === "cancel") {
    if (current?.jobId === msg.jobId) current.controller.abort(msg.reason);
  } else if (msg.type === "run") {
    void run(msg);
  } else if (msg.type === "stages-done" || msg.type === "stages-failed") {
    const pending = pendingStages.get(msg.request);
    pendingStages.delete(msg.request);
    if (msg.type === "stages-done") pending?.resolve({ values: msg.values, workers: msg.workers });
    else pending?.reject(new Error(`a distributed stage failed: ${msg.message}`));
  }
});
send({ type: "ready", methods: listMethods().map((m) => m.name) });
