// The upload parser's worker thread: decodes and parses uploaded CSV/JSON text off the API's
// event loop (a 50 MB file takes seconds), then hands the values back without a copy.
import { parentPort } from "node:worker_threads";
import { parseSeriesCsv, parseSeriesJson } from "@causeway/core";
import type { ParseReply, ParseRequest } from "./upload-parser.js";

const port = parentPort!;

port.on("message", (req: ParseRequest) => {
  try {
    const text = Buffer.from(req.body).toString("utf8");
    const series = req.json ? parseSeriesJson(text, req.options) : parseSeriesCsv(text, req.options);
    const reply: ParseReply = { id: req.id, ok: true, series };
    port.postMessage(reply, [series.data.buffer as ArrayBuffer]);
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    port.postMessage({ id: req.id, ok: false, name: err.name, message: err.message } satisfies ParseReply);
  }
});
port.postMessage({ id: 0, ok: true, ready: true } satisfies ParseReply);
