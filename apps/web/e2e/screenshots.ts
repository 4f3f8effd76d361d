// Screenshots of the viewer's main views into docs/ (run: pnpm --filter @causeway/web screenshots).
// Builds the app, serves it on loopback, starts an apps/server for the server view, and drives
// Debian's headless Chromium; deterministic inputs (bundled examples, seed 0).
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readConfig, startServer } from "@causeway/server";
import { choose, chromiumMissing, loadExample, openBrowser, runMethod, serveViewer, setupRun, WEB_ROOT } from "./browser.js";

const missing = chromiumMissing();
if (missing) {
  console.error(`screenshots: ${missing}`);
  process.exit(2);
}
const out = join(WEB_ROOT, "docs");
mkdirSync(out, { recursive: true });
const viewer = await serveViewer();
const dataDir = mkdtempSync(join(tmpdir(), "causeway-screenshots-"));
const server = await startServer(readConfig({ host: "127.0.0.1", port: 0, dataDir, workers: 1, logLevel: "silent", corsOrigin: "*" }, {}));
const { page, close, errors } = await openBrowser({ width: 1360, height: 900 });
const shot = async (name: string) => {
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(out, name) });
  console.log(`wrote docs/${name}`);
};

try {
  await page.goto(viewer.url);
  await loadExample(page, "var-v5-l3-s1");
  await shot("series.png");

  // A long TCDF run, caught mid-way with its progress bar.
  await setupRun(page, "tcdf", "wasm", { maxLag: 3, seed: 0, params: { epochs: 20000 } });
  await page.getByTestId("params-toggle").click(); // folded again, the progress bar in view
  await page.getByTestId("run").click();
  await page.waitForFunction(() => Number(document.querySelector("[data-testid=progress]")?.getAttribute("data-fraction")) > 0.05);
  await shot("running.png");
  await page.getByTestId("cancel").click();
  await page.locator("[data-testid=run-panel][data-state=idle]").waitFor();

  await runMethod(page, "var", "wasm", { maxLag: 3, seed: 0 });
  await shot("heatmap.png");
  await page.getByTestId("tab-graph").click();
  await shot("graph.png");
  await page.getByTestId("tab-edges").click();
  await shot("edges.png");

  // The ROC of a baseline on nonlinear data (a curve more telling than VAR's perfect one there).
  await loadExample(page, "nonlinear-v5-l3-s1");
  await runMethod(page, "corr", "cpu", { maxLag: 3, seed: 0 });
  await page.getByTestId("tab-roc").click();
  await shot("roc.png");

  // Lorenz-96 (10 variables, summary-only truth): corr's summary graph against the truth.
  await loadExample(page, "lorenz96-v10-f10-s1");
  await runMethod(page, "corr", "cpu", { maxLag: 2, seed: 0 });
  await page.getByTestId("tab-graph").click();
  await shot("lorenz96-graph.png");

  // Lorenz-96 with 20 variables: var's p-values (selected at q <= .05), the force-directed graph,
  // a focus on one variable, a zoom, the time-series graph of that variable's links, the heatmap's p-values, the edge table.
  await loadExample(page, "lorenz96-v20-f40-s1");
  await runMethod(page, "var", "wasm", { maxLag: 2, seed: 0 });
  await page.getByTestId("tab-graph").click();
  await shot("graph-20.png");
  await choose(page, "color-by", "p-value");
  await page.getByTestId("hide-self").check();
  await choose(page, "focus-select", "x7");
  await shot("graph-20-focus.png");
  await page.getByTestId("zoom-in").click();
  await page.getByTestId("zoom-in").click();
  await shot("graph-20-zoom.png");
  await page.getByTestId("zoom-fit").click();
  await page.getByTestId("hide-self").uncheck();
  // The lag-unrolled graph of x7's links (all 20 variables' links at once are a thicket).
  await page.getByTestId("graph-kind").getByText("time series graph").click();
  await shot("time-series-graph-20.png");
  await page.getByTestId("graph-kind").getByText("summary graph").click();
  await page.getByTestId("tab-heatmap").click();
  await page.getByTestId("heat-value").getByText("p-value").click();
  await page.getByTestId("lag-selector").getByText("max over lags").click();
  await shot("heatmap-20.png");
  await page.getByTestId("tab-edges").click();
  await shot("edges-20.png");

  // Server mode, connected to a started `causeway serve`, after a job.
  await loadExample(page, "nonlinear-v5-l3-s1");
  await page.getByTestId("mode").getByText("On a server").click();
  await page.getByTestId("server-url").fill(server.url);
  await page.getByTestId("connect").click();
  await page.getByTestId("run-status").waitFor();
  await runMethod(page, "var", "auto", { maxLag: 3, seed: 0 });
  await shot("server.png");
  if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
} finally {
  await close();
  await server.close();
  await viewer.close();
  rmSync(dataDir, { recursive: true, force: true });
}
