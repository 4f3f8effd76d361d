// The discovery worker: runs any registered method off the page's thread, with progress and cancel.
import { registerAllMethods } from "@causeway/methods";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import wasmPlain from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url";
import wasmSimd from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url";
import wasmThreaded from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url";
import { createHandler } from "./handler.js";
import type { FromWorker, ToWorker } from "./protocol.js";

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

const handle = createHandler((message) => scope.postMessage(message));
scope.onmessage = (event) => handle(event.data);
