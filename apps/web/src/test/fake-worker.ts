// A stand-in for the discovery Web Worker in component tests: the real message handler, in process.
import { createHandler } from "../worker/handler.js";
import type { FromWorker, ToWorker } from "../worker/protocol.js";

/** Messages cross as structured clones, a task later, as they do between threads. */
export class InProcessWorker {
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  terminated = false;
  readonly received: ToWorker[] = [];
  private readonly handle = createHandler((message) => {
    if (!this.terminated) setTimeout(() => this.onmessage?.({ data: structuredClone(message) } as MessageEvent<FromWorker>));
  });

  postMessage(message: ToWorker): void {
    if (this.terminated) return;
    this.received.push(message);
    setTimeout(() => this.handle(structuredClone(message)));
  }

  terminate(): void {
    this.terminated = true;
  }

  /** As a `Worker` for `LocalRunner`. */
  asWorker(): Worker {
    return this as unknown as Worker;
  }
}
