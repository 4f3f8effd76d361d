import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveStatic, viewCommand, type StaticServer } from "./view.js";

/** A raw GET (fetch would normalise `..` away): status, content type and body. */
function get(url: string, path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((ok, fail) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, path, method: "GET" }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => ok({ status: res.statusCode ?? 0, type: String(res.headers["content-type"] ?? ""), body }));
    });
    req.on("error", fail);
    req.end();
  });
}

describe("causeway view", () => {
  let dir: string;
  let server: StaticServer;

  beforeAll(async () => {
    const base = await mkdtemp(join(tmpdir(), "causeway-view-"));
    dir = join(base, "dist");
    await mkdir(join(dir, "assets"), { recursive: true });
    await writeFile(join(dir, "index.html"), "<!doctype html><title>viewer</title>");
    await writeFile(join(dir, "assets", "a.wasm"), Buffer.from([0, 0x61, 0x73, 0x6d]));
    await writeFile(join(dir, "assets", "x.js"), "export {};");
    await writeFile(join(base, "secret.txt"), "outside");
    server = await serveStatic(dir, "127.0.0.1", 0);
  });
  afterAll(async () => {
    await server?.close();
    await rm(join(dir, ".."), { recursive: true, force: true });
  });

  it("serves index.html at / and assets with their types (wasm as application/wasm)", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const index = await get(server.url, "/");
    expect([index.status, index.type, index.body]).toEqual([200, "text/html; charset=utf-8", "<!doctype html><title>viewer</title>"]);
    expect((await get(server.url, "/assets/a.wasm")).type).toBe("application/wasm");
    expect((await get(server.url, "/assets/x.js")).type).toBe("text/javascript; charset=utf-8");
  });

  it("never reads outside its folder, and answers 404 for what is not there", async () => {
    expect((await get(server.url, "/../secret.txt")).status).toBe(404);
    expect((await get(server.url, "/%2e%2e/secret.txt")).status).toBe(404);
    expect((await get(server.url, "/assets/missing.js")).status).toBe(404);
  });

  it("prints the URL, serves until stopped; without a build it says how to make one", async () => {
    let out = "";
    let servedUrl = "";
    const code = await viewCommand(["--dir", dir, "--port", "0"], { out: (t) => void (out += t), err: () => undefined, isTTY: false }, async () => {
      servedUrl = out.match(/http:\/\/\S+\//)?.[0] ?? "";
      expect((await get(servedUrl, "/")).status).toBe(200);
    });
    expect(code).toBe(0);
    expect(servedUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    await expect(viewCommand(["--dir", join(dir, "assets")], { out: () => undefined, err: () => undefined, isTTY: false })).rejects.toThrow(/no built viewer in .*pnpm --filter @causeway\/web build/);
  });
});
