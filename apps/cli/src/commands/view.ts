import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { intFlag, parse } from "../args.js";
import { UsageError, type CliIO } from "../io.js";

export const viewHelp = `Usage: causeway view [options]

Serve the built web viewer (apps/web) and print its URL: load a series, run discovery in the
browser or on a \`causeway serve\` server, explore the heatmap, graph, edges and ROC.
Build it first with \`pnpm --filter @causeway/web build\`; to develop it, \`pnpm --filter @causeway/web dev\`.

Options:
      --host <addr>   address to listen on (default: 127.0.0.1, loopback only)
      --port <n>      port (default: 5173; 0 picks a free one)
      --dir <path>    the built viewer to serve (default: apps/web/dist of this repository)
  -h, --help          this help
`;

/** apps/web/dist beside this package (the same relative path from src/ and dist/). */
export const DEFAULT_VIEWER_DIR = fileURLToPath(new URL("../../../web/dist/", import.meta.url));

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".wasm": "application/wasm",
  ".bin": "application/octet-stream",
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serve the files under `dir` (GET and HEAD; `/` is index.html). A path that leaves `dir`, or a
 * file that is not there, is a 404; nothing outside `dir` is ever read.
 */
export async function serveStatic(dir: string, host: string, port: number): Promise<StaticServer> {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, { allow: "GET, HEAD" }).end();
        return;
      }
      let path: string;
      try {
        path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
      } catch {
        res.writeHead(400).end("bad path\n");
        return;
      }
      const file = normalize(join(root, path.endsWith("/") ? `${path}index.html` : path));
      if (file !== root && !file.startsWith(root + sep)) {
        res.writeHead(404).end("not found\n");
        return;
      }
      try {
        const body = await readFile(file);
        const type = TYPES[extname(file).toLowerCase()] ?? "application/octet-stream";
        res.writeHead(200, { "content-type": type, "content-length": body.length, "cache-control": file.endsWith(".html") ? "no-cache" : "max-age=3600" });
        res.end(req.method === "HEAD" ? undefined : body);
      } catch {
        res.writeHead(404).end("not found\n");
      }
    })();
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => ok());
  });
  const address = server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${actual}/`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/** Resolves on the first SIGINT or SIGTERM. */
function untilSignal(): Promise<void> {
  return new Promise((done) => {
    const on = () => {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
      done();
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  });
}

export async function viewCommand(argv: string[], io: CliIO, stop: () => Promise<void> = untilSignal): Promise<number> {
  const { values, positionals } = parse(argv, { host: { type: "string" }, port: { type: "string" }, dir: { type: "string" } }, "view");
  if (values.help) return void io.out(viewHelp), 0;
  if (positionals.length) throw new UsageError(`view takes no arguments, got "${positionals[0]}" (see \`causeway view --help\`)`);
  const dir = resolve(values.dir ?? DEFAULT_VIEWER_DIR);
  if (!existsSync(join(dir, "index.html")) || !statSync(dir).isDirectory())
    throw new UsageError(`no built viewer in ${dir}: run \`pnpm --filter @causeway/web build\` first (or \`pnpm --filter @causeway/web dev\` to develop it)`);
  const server = await serveStatic(dir, values.host ?? "127.0.0.1", intFlag(values.port, "port", 5173, 0, 65535));
  io.out(`causeway viewer: ${server.url} (serving ${dir}; Ctrl-C stops)\n`);
  await stop();
  await server.close();
  return 0;
}
