import type { BackendStatus, CausalGraph, ProgressEvent } from "@causeway/core";
import type { MethodInfo } from "../worker/protocol.js";

/** Where the server is and its bearer token (empty = none). */
export interface ServerTarget {
  url: string;
  token: string;
}

/** The fields of a server job the viewer reads (apps/server `JobView`). */
export interface ServerJob {
  id: string;
  state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
  method: string;
  error?: string | null;
  progress?: { fraction: number; stage?: string };
}

export interface JobRequest {
  dataset: string;
  method: string;
  maxLag: number;
  seed: number;
  backend: string;
  threshold?: number;
  params?: Record<string, unknown>;
  /** Training budget of a method that trains: fast, default, thorough, or seconds. */
  budget?: string | number;
}

function endpoint(target: ServerTarget, path: string): string {
  return `${target.url.replace(/\/+$/, "")}${path}`;
}

function headers(target: ServerTarget, extra: Record<string, string> = {}): Record<string, string> {
  return target.token ? { ...extra, authorization: `Bearer ${target.token}` } : extra;
}

async function call<T>(target: ServerTarget, path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(endpoint(target, path), { ...init, headers: headers(target, (init.headers as Record<string, string>) ?? {}) });
  } catch (e) {
    throw new Error(`cannot reach ${target.url}: ${e instanceof Error ? e.message : String(e)} (is \`causeway serve\` running, with CORS allowed?)`);
  }
  const text = await res.text();
  if (!res.ok) {
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      // not JSON: keep the text
    }
    throw new Error(`${res.status} ${res.statusText}: ${message}`);
  }
  return JSON.parse(text) as T;
}

/** Upload the raw CSV text; returns the dataset id. */
export async function uploadDataset(target: ServerTarget, csv: string, name: string): Promise<string> {
  const body = await call<{ id: string }>(target, `/v1/datasets?name=${encodeURIComponent(name)}`, {
    method: "POST",
    headers: { "content-type": "text/csv" },
    body: csv,
  });
  return body.id;
}

export function submitJob(target: ServerTarget, job: JobRequest): Promise<ServerJob> {
  return call<ServerJob>(target, "/v1/jobs", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(job) });
}

export function fetchGraph(target: ServerTarget, jobId: string): Promise<CausalGraph> {
  return call<CausalGraph>(target, `/v1/jobs/${jobId}/graph`);
}

export async function cancelJob(target: ServerTarget, jobId: string): Promise<void> {
  await call<unknown>(target, `/v1/jobs/${jobId}`, { method: "DELETE" }).catch(() => undefined);
}

/** The server's methods (with their parameters) and backends, as `GET /v1/methods` and `/v1/backends` list them. */
export async function describeServer(target: ServerTarget): Promise<{ methods: MethodInfo[]; backends: BackendStatus[] }> {
  const [methods, backends] = await Promise.all([call<MethodInfo[]>(target, "/v1/methods"), call<BackendStatus[]>(target, "/v1/backends")]);
  return { methods, backends };
}

/** One Server-Sent Event. */
export interface SseEvent {
  event: string;
  data: string;
}

/** Split a Server-Sent Events text stream into events; returns the parsed events and the unparsed rest. */
export function parseSse(buffer: string): { events: SseEvent[]; rest: string } {
  const events: SseEvent[] = [];
  const blocks = buffer.replace(/\r\n?/g, "\n").split("\n\n");
  const rest = blocks.pop() ?? "";
  for (const block of blocks) {
    let event = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
    }
    if (data.length) events.push({ event, data: data.join("\n") });
  }
  return { events, rest };
}

/**
 * Follow a job's event stream (read with `fetch`, since `EventSource` cannot send a token) until
 * it ends; returns the final job.
 */
export async function followJob(
  target: ServerTarget,
  jobId: string,
  onProgress: (event: ProgressEvent) => void,
  signal?: AbortSignal,
): Promise<ServerJob> {
  const res = await fetch(endpoint(target, `/v1/jobs/${jobId}/events`), { headers: headers(target, { accept: "text/event-stream" }), signal });
  if (!res.ok || !res.body) throw new Error(`${res.status} ${res.statusText}: cannot follow job ${jobId}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let last: ServerJob | null = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const parsed = parseSse(buffer + value);
    buffer = parsed.rest;
    for (const e of parsed.events) {
      if (e.event === "progress") onProgress(JSON.parse(e.data) as ProgressEvent);
      else if (e.event === "state") last = JSON.parse(e.data) as ServerJob;
    }
  }
  if (!last) throw new Error(`the event stream of job ${jobId} ended without a state`);
  return last;
}
