// Parses large uploads on a worker thread, so that a big file never stalls the API's event loop
// (health checks, SSE, other requests); small ones are parsed inline, which is quicker.
import { Worker } from "node:worker_threads";
import { InputError, parseSeriesCsv, parseSeriesJson, type TimeSeries } from "@causeway/core";

/** Uploads up to this size are parsed on the event loop (well under 50 ms). */
export const INLINE_PARSE_BYTES = 256 * 1024;

export interface ParseOptions {
  file: string;
  impute: "none" | "ffill";
  header?: boolean;
}

export interface ParseRequest {
  id: number;
  json: boolean;
  /** The raw upload (UTF-8), transferred to the thread. */
  body: ArrayBuffer;
  options: ParseOptions;
}

export type ParseReply =
  | { id: number; ok: true; ready: true }
  | { id: number; ok: true; series: TimeSeries; ready?: undefined }
  | { id: number; ok: false; name: string; message: string };

const HERE = import.meta.url;
const SOURCE_MODE = HERE.endsWith(".ts");

function spawn(): Worker {
  if (SOURCE_MODE)
    return new Worker(new URL("./worker-boot.mjs", HERE), { workerData: { entry: new URL("./upload-thread.ts", HERE).href }, execArgv: ["--conditions=@causeway/source"] });
  return new Worker(new URL("./upload-thread.js", HERE));
}

interface Pending {
  resolve(s: TimeSeries): void;
  reject(e: Error): void;
}

/** One thread, started on the first large upload and kept; requests queue on it in order. */
export class UploadParser {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  /** Parse an upload's bytes: CSV (core's parser) or JSON `{variables, data}`; InputErrors name the file, line and column. */
  async parse(body: Buffer, json: boolean, options: ParseOptions): Promise<TimeSeries> {
    if (body.byteLength <= INLINE_PARSE_BYTES) {
      const text = body.toString("utf8");
      return json ? parseSeriesJson(text, options) : parseSeriesCsv(text, options);
    }
    if (this.closed) throw new Error("the upload parser is closed");
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    // A copy the thread owns (the request's buffer may share memory with others).
    const copy = new Uint8Array(body.byteLength);
    copy.set(body);
    return new Promise<TimeSeries>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const req: ParseRequest = { id, json, body: copy.buffer, options };
      worker.postMessage(req, [copy.buffer]);
    });
  }

  /** Large uploads handed to the thread and not parsed yet (for /healthz). */
  stats(): { parsing: number } {
    return { parsing: this.pending.size };
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    this.failAll(new Error("the server is stopping"));
    if (w) await w.terminate();
  }

  private start(): Worker {
    const worker = spawn();
    worker.unref();
    worker.on("message", (msg: ParseReply) => {
      const p = this.pending.get(msg.id);
      if (!p) return; // the "ready" message, or a request already failed
      this.pending.delete(msg.id);
      if (!msg.ok) p.reject(msg.name === "InputError" ? new InputError(msg.message) : new Error(`${msg.name}: ${msg.message}`));
      else if (!msg.ready) p.resolve(msg.series);
    });
    const died = (why: string) => {
      if (this.worker === worker) this.worker = null; // the next upload starts a new thread
      this.failAll(new Error(`the upload parser thread ${why}`));
    };
    worker.on("error", (err) => died(`failed: ${err.message}`));
    worker.on("exit", (code) => died(`exited with code ${code}`));
    return worker;
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
