// The discovery worker's message handling, apart from the worker's global scope (so that a test
// can drive it in process): runs any registered method with progress and cancel.
import { describeMethod, getMethod, listBackends, listMethods, useBackend, type MethodInfo } from "@causeway/core";
// The viewer's backends: cpu is built into core; wasm and webgpu register when imported (no Dawn,
// no tfjs-node-gpu: in a browser webgpu runs on navigator.gpu).
import "@causeway/backend-wasm";
import "@causeway/backend-webgpu";
import type { FromWorker, ToWorker } from "./protocol.js";

function describeMethods(): MethodInfo[] {
  return listMethods().map(describeMethod);
}

/** A handler for the page's messages that answers through `post`. */
export function createHandler(post: (message: FromWorker) => void): (message: ToWorker) => void {
  const running = new Map<number, AbortController>();

  async function run(msg: Extract<ToWorker, { type: "run" }>): Promise<void> {
    const controller = new AbortController();
    running.set(msg.id, controller);
    try {
      const method = getMethod(msg.method);
      const series = { variables: msg.series.variables, length: msg.series.length, data: msg.series.data };
      // the viewer's backend toggle is the choice: activated here, before the run (methods never switch backends)
      if (method.usesTensors) await useBackend(msg.backend);
      const graph = await method.discover(series, {
        maxLag: msg.maxLag,
        seed: msg.seed,
        threshold: msg.threshold,
        params: msg.params,
        ...(msg.budget !== undefined ? { budget: msg.budget } : {}),
        signal: controller.signal,
        onProgress: (event) => post({ type: "progress", id: msg.id, event }),
      });
      post({ type: "result", id: msg.id, graph });
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      post({ type: "error", id: msg.id, message: err.message, aborted: err.name === "AbortError" || controller.signal.aborted });
    } finally {
      running.delete(msg.id);
    }
  }

  return (msg) => {
    if (msg.type === "describe") {
      void listBackends().then((backends) => post({ type: "described", methods: describeMethods(), backends }));
    } else if (msg.type === "run") {
      void run(msg);
    } else if (msg.type === "cancel") {
      running.get(msg.id)?.abort(new DOMException("cancelled from the viewer", "AbortError"));
    }
  };
}
