// A MethodPool thread: imports the pool's extra modules (backend packages, which register their
// providers), registers every shipped method once, then runs what it is sent, one at a time, on its
// own tensor backend (the request's, activated before the first tensor method); a stage request runs
// one stage of a method's run (`Discoverer.stages`, awaited when it is async) and answers with its plain-data result.
import { parentPort, threadId, workerData } from "node:worker_threads";
import { getMethod, graphToJson, runStage, useBackend } from "@causeway/core";
import { registerAllMethods } from "../index.js";
import type { RunProgress, RunReply, RunRequest, StageRequest } from "./protocol.js";

const port = parentPort!;
const modules = ((workerData as { modules?: string[] } | null)?.modules ?? []).map((m) => import(m));
const ready = Promise.all(modules).then(() => void registerAllMethods());

port.on("message", (req: RunRequest | StageRequest) => {
  void (async () => {
    let reply: RunReply;
    try {
      await ready;
      const method = getMethod(req.method);
      if (req.kind === "stage") {
        // a tensor method's stage (transformer ensemble members) runs on this thread's own backend, the run's choice
        if (method.usesTensors) await useBackend(req.backend ?? "auto");
        port.postMessage({ id: req.id, value: await runStage(method, req.stage, req.series, req.payload) } satisfies RunReply);
        return;
      }
      if (method.usesTensors) await useBackend(req.options.backend ?? "auto");
      const onProgress = req.progress ? (progress: RunProgress["progress"]) => port.postMessage({ id: req.id, progress } satisfies RunProgress) : undefined;
      const graph = await method.discover(req.series, { ...req.options, ...(onProgress ? { onProgress } : {}) });
      graph.meta.thread = threadId; // which thread ran it (discoverSplit counts them)
      reply = { id: req.id, graph: graphToJson(graph) };
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      reply = { id: req.id, error: { name: err.name, message: err.message } };
    }
    port.postMessage(reply);
  })();
});
