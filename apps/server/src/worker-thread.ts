// A pool worker thread: registers the methods once, then runs one task at a time with its own AbortSignal.
import { parentPort, workerData } from "node:worker_threads";
import { getMethod, graphToJson, listMethods, useBackend, type ProgressEvent } from "@causeway/core";
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
    const graph = await addJobTrust(method, task.series, await method.discover(task.series, options), options, task.options);
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
  }
});
send({ type: "ready", methods: listMethods().map((m) => m.name) });
