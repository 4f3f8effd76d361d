// The discovery worker: runs any registered method off the page's thread, with progress and cancel.
import { getMethod, listBackends, listMethods } from "@causeway/core";
import { registerAllMethods } from "@causeway/methods";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import wasmPlain from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url";
import wasmSimd from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url";
import wasmThreaded from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url";
import type { FromWorker, MethodInfo, ToWorker } from "./protocol.js";

// The bundler gives each .wasm binary its own URL; tfjs-backend-wasm fetches the one it needs.
setWasmPaths({
  "tfjs-backend-wasm.wasm": wasmPlain,
  "tfjs-backend-wasm-simd.wasm": wasmSimd,
  "tfjs-backend-wasm-threaded-simd.wasm": wasmThreaded,
});
registerAllMethods();

/** The worker's global scope, typed for what is used here. */
const scope = self as unknown as {
  postMessage(message: FromWorker): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};

const running = new Map<number, AbortController>();

function describeMethods(): MethodInfo[] {
  return listMethods().map((m) => ({
    name: m.name,
    description: m.description,
    usesTensors: m.usesTensors,
    lagResolved: m.lagResolved,
    defaultThreshold: m.defaultThreshold,
    params: m.params,
  }));
}

async function run(msg: Extract<ToWorker, { type: "run" }>): Promise<void> {
  const controller = new AbortController();
  running.set(msg.id, controller);
  try {
    const method = getMethod(msg.method);
    const series = { variables: msg.series.variables, length: msg.series.length, data: msg.series.data };
    const graph = await method.discover(series, {
      maxLag: msg.maxLag,
      seed: msg.seed,
      backend: msg.backend,
      threshold: msg.threshold,
      params: msg.params,
      signal: controller.signal,
      onProgress: (event) => scope.postMessage({ type: "progress", id: msg.id, event }),
    });
    scope.postMessage({ type: "result", id: msg.id, graph });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    scope.postMessage({ type: "error", id: msg.id, message: err.message, aborted: err.name === "AbortError" || controller.signal.aborted });
  } finally {
    running.delete(msg.id);
  }
}

scope.onmessage = (event) => {
  const msg = event.data;
  if (msg.type === "describe") {
    void listBackends().then((backends) => scope.postMessage({ type: "described", methods: describeMethods(), backends }));
  } else if (msg.type === "run") {
    void run(msg);
  } else if (msg.type === "cancel") {
    running.get(msg.id)?.abort(new DOMException("cancelled from the viewer", "AbortError"));
  }
};
