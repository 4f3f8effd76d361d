// Browser tests, server mode: the viewer in Chromium uploads the series to a started apps/server
// (real HTTP on loopback, bearer token, CORS), follows the job over Server-Sent Events, and shows
// the same scores and edges as the CLI and as the server's own GET /v1/jobs/:id/graph; a job
// cancelled from the viewer ends cancelled on the server. Registered by viewer.e2e.test.ts.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CausalGraph } from "@causeway/core";
import { readConfig, startServer, type RunningServer } from "@causeway/server";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { choose, edgeRows, edgesOf, examplePath, heatmapTensor, loadExample, newPage, setupRun } from "./browser.js";
import type { Harness } from "./browser.js";
import { cliGraph } from "./cli.js";

const TOKEN = "e2e-secret-token";
const VAR = "var-v5-l3-s1";

/** The suite, against the viewer served at `viewerUrl()`. */
export function serverModeSuite(harness: () => Harness): void {
  const viewer = () => harness().viewer;
  describe("viewer in Chromium: jobs on a started apps/server", () => {
    let server: RunningServer;
    let dataDir: string;
    let page: Page;
    let errors: string[];
    let close: () => Promise<void>;

    const api = async <T,>(path: string, init: RequestInit = {}): Promise<T> => {
      const res = await fetch(server.url + path, { ...init, headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status, `${path}: ${res.status}`).toBe(200);
      return (await res.json()) as T;
    };

    /** Runs the panel's current settings on the server; returns the status text and the job id. */
    const runOnServer = async (): Promise<{ status: string; jobId: string }> => {
      const before = Number(await page.getByTestId("run-panel").getAttribute("data-runs"));
      let jobId = "";
      const seen = page.waitForResponse((r) => r.url().endsWith("/v1/jobs") && r.request().method() === "POST").then(async (r) => (jobId = ((await r.json()) as { id: string }).id));
      await page.getByTestId("run").click();
      await page.locator(`[data-testid=run-panel][data-runs="${before + 1}"]`).waitFor({ timeout: 90_000 });
      await seen.catch(() => undefined);
      const error = await page.getByTestId("run-error").count();
      return { status: await page.getByTestId(error ? "run-error" : "run-status").innerText(), jobId };
    };

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), "causeway-web-e2e-server-"));
      server = await startServer(readConfig({ host: "127.0.0.1", port: 0, dataDir, workers: 1, token: TOKEN, corsOrigin: "*", logLevel: "silent", cancelGraceMs: 1000 }, {}));
      ({ page, errors, close } = await newPage(harness().context));
      await page.goto(viewer().url);
      await loadExample(page, VAR);
      await page.getByTestId("mode").getByText("On a server").click();
      await page.getByTestId("server-url").fill(server.url);
    });
    afterAll(async () => {
      await close?.();
      await server?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it("a wrong token gets the server's 401 shown, and nothing runs", async () => {
      await page.getByTestId("server-token").fill("wrong");
      await page.getByTestId("connect").click();
      await expect(page.getByTestId("run-error").innerText()).resolves.toMatch(/^401 /);
      await expect(page.getByTestId("run").isDisabled()).resolves.toBe(true);
    });

    it("var on the server: the heatmap and edge list equal the CLI's and the server's graph", async () => {
      await page.getByTestId("server-token").fill(TOKEN);
      await page.getByTestId("connect").click();
      await expect(page.getByTestId("run-status").innerText()).resolves.toMatch(/^connected to http:\/\/127\.0\.0\.1:\d+: \d+ methods/);
      await setupRun(page, "var", "auto", { maxLag: 3, seed: 0 });
      const { status, jobId } = await runOnServer();
      expect(status).toMatch(/^var \(no tensors\) at http:\/\/127\.0\.0\.1:\d+: \d+ edges in/);
      const want = await cliGraph(examplePath(`${VAR}.csv`), "var", { maxLag: 3, seed: 0, backend: "cpu" });
      const served = await api<CausalGraph>(`/v1/jobs/${jobId}/graph`);
      expect(served.scores).toEqual(want.scores);
      await page.getByTestId("tab-heatmap").click();
      await expect(heatmapTensor(page, want.variables, want.maxLag)).resolves.toEqual(want.scores);
      await expect(edgeRows(page)).resolves.toEqual(edgesOf(want));
      const job = await api<{ state: string; progress: { fraction: number } }>(`/v1/jobs/${jobId}`);
      expect(job.state).toBe("succeeded");
      expect(job.progress.fraction).toBe(1);
    });

    it("a long job cancelled from the viewer ends cancelled on the server", async () => {
      await setupRun(page, "tcdf", "auto", { maxLag: 3, seed: 0, params: { epochs: 100000 } });
      await choose(page, "backend-select", /^wasm/);
      const before = Number(await page.getByTestId("run-panel").getAttribute("data-runs"));
      const posted = page.waitForResponse((r) => r.url().endsWith("/v1/jobs") && r.request().method() === "POST");
      await page.getByTestId("run").click();
      const jobId = ((await (await posted).json()) as { id: string }).id;
      // Progress arrives over the job's event stream.
      await expect.poll(async () => Number(await page.getByTestId("progress").getAttribute("data-fraction")), { timeout: 30_000 }).toBeGreaterThan(0);
      await page.getByTestId("cancel").click();
      await page.locator(`[data-testid=run-panel][data-runs="${before + 1}"]`).waitFor({ timeout: 10_000 });
      await expect(page.getByTestId("run-status").innerText()).resolves.toBe(`cancelled: job ${jobId} cancelled`);
      await expect.poll(async () => (await api<{ state: string }>(`/v1/jobs/${jobId}`)).state, { timeout: 10_000 }).toBe("cancelled");
      expect(errors).toEqual([]);
    });
  });
}
