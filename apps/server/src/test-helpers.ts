// Test helpers: fresh data directories copied from the template the global setup made.
import { spawn, type ChildProcess } from "node:child_process";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inject } from "vitest";
import { childEnv } from "./env.js";

// Test code reads JSON answers loosely; the assertions check their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const made: string[] = [];

/** A new data directory holding an empty, migrated embedded store (a copy: about a second faster than creating one). */
export async function freshDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "causeway-server-test-"));
  await cp(join(inject("storeTemplate"), "pg"), join(dir, "pg"), { recursive: true });
  made.push(dir);
  return dir;
}

/** Remove every directory `freshDataDir` made in this file. */
export async function removeDataDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/** A small series with a planted lag-1 link x0 → x1 (CSV text). */
export function plantedCsv(rows = 60, seed = 1): string {
  let s = seed >>> 0;
  const rand = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const x0: number[] = [];
  const x1: number[] = [];
  const x2: number[] = [];
  for (let t = 0; t < rows; t++) {
    x0.push(rand());
    x1.push(t > 0 ? 0.9 * x0[t - 1] + 0.1 * rand() : rand());
    x2.push(rand());
  }
  const lines = ["x0,x1,x2"];
  for (let t = 0; t < rows; t++) lines.push(`${x0[t].toFixed(6)},${x1[t].toFixed(6)},${x2[t].toFixed(6)}`);
  return lines.join("\n") + "\n";
}

/** JSON over HTTP: `{ status, body, headers }`, never throws on 4xx/5xx. */
export async function http(
  base: string,
  method: string,
  path: string,
  opts: { json?: unknown; text?: string; type?: string; token?: string } = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(opts.json);
  } else if (opts.text !== undefined) {
    headers["content-type"] = opts.type ?? "text/csv";
    body = opts.text;
  }
  const res = await fetch(base + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export interface SseEvent {
  event: string;
  data: Json;
}

/**
 * Read a Server-Sent Events stream until the server ends it (or `until` says stop, or `timeoutMs`).
 * `onEvent` sees each event as it arrives.
 */
export async function readSse(url: string, opts: { token?: string; onEvent?: (e: SseEvent) => void; timeoutMs?: number } = {}): Promise<SseEvent[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs ?? 30_000);
  const res = await fetch(url, { headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {}, signal: controller.signal });
  if (res.status !== 200) throw new Error(`SSE ${url}: HTTP ${res.status} ${await res.text()}`);
  const out: SseEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let i: number;
      while ((i = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        let event = "message";
        const data: string[] = [];
        for (const line of block.split("\n")) {
          if (line.startsWith("event: ")) event = line.slice(7);
          else if (line.startsWith("data: ")) data.push(line.slice(6));
        }
        if (data.length === 0) continue;
        const e = { event, data: JSON.parse(data.join("\n")) };
        out.push(e);
        opts.onEvent?.(e);
      }
    }
  } finally {
    clearTimeout(timer);
  }
  return out;
}

/** Poll `check` every `everyMs` until it returns a value other than undefined. */
export async function waitFor<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface ChildProcessServer {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
  stdout: () => string;
  stderr: () => string;
}

/**
 * Run `src/main.ts <args>` in a child process under tsx (as `pnpm causeway` does), and wait
 * for its "listening on URL" or "taking jobs" line.
 */
export async function spawnMain(args: string[], env: Record<string, string> = {}, ready = /listening on (http:\/\/\S+)|taking jobs/): Promise<ChildProcessServer> {
  const main = fileURLToPath(new URL("./main.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=@causeway/source", main, ...args], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    env: childEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  const exited = new Promise<number | string>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal ?? "?")));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child ${args[0]} not ready after 60 s; stderr: ${err}`)), 60_000);
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] ?? "");
      }
    });
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`child ${args[0]} exited (${code}) before it was ready; stderr: ${err}`));
    });
  });
  return { url, child, exited, stdout: () => out, stderr: () => err };
}
