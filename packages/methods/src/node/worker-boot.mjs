// Source mode (tests, `pnpm causeway` under tsx): worker threads do not inherit tsx's loader,
// so this plain-JavaScript entry registers it, then imports the TypeScript worker.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
