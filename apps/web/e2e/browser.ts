// Shared by the browser tests and the screenshot script: build the viewer once, serve it on
// loopback with `vite preview`, and drive Debian's Chromium with playwright-core (no downloads).
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CausalGraph } from "@causeway/core";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { build, preview, type PreviewServer } from "vite";

export const WEB_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Chromium to drive: CAUSEWAY_CHROMIUM, else Debian's (installed by .ci/setup-chromium.sh). */
export const CHROMIUM = process.env.CAUSEWAY_CHROMIUM ?? "/usr/bin/chromium";

/** Why the browser tests cannot run here, or null when they can. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `${CHROMIUM} not found: install Debian's chromium (as root: .ci/setup-chromium.sh) or set CAUSEWAY_CHROMIUM`;
}

/**
 * Flags for a headless Chromium on a machine without network: no background connections, no
 * sandbox (CI runs as root), WebGPU on (SwiftShader when there is no GPU).
 */
export const CHROMIUM_ARGS = [
  "--headless=new",
  "--no-sandbox",
  "--enable-unsafe-webgpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

export interface Viewer {
  url: string;
  /** The built files being served. */
  dir: string;
  close(): Promise<void>;
}

/** Build the app into a temporary folder and serve it on 127.0.0.1 (a free port). */
export async function serveViewer(): Promise<Viewer> {
  const outDir = mkdtempSync(join(tmpdir(), "causeway-web-"));
  // Unminified and without gzip size reports: the same modules, built in about half the time.
  await build({ root: WEB_ROOT, logLevel: "error", build: { outDir, emptyOutDir: true, minify: false, reportCompressedSize: false } });
  const server: PreviewServer = await preview({ root: WEB_ROOT, logLevel: "error", build: { outDir }, preview: { host: "127.0.0.1", port: 0, strictPort: false } });
  const address = server.httpServer.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    dir: outDir,
    close: async () => {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** A fresh headless Chromium profile and its first page; page errors are collected. */
export async function openBrowser(viewport = { width: 1280, height: 860 }): Promise<{ context: BrowserContext; page: Page; errors: string[]; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "causeway-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A page of its own in `context`, with its page errors collected; `close` closes the page only. */
export async function newPage(context: BrowserContext): Promise<{ page: Page; errors: string[]; close(): Promise<void> }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return { page, errors, close: () => page.close() };
}

/** What the test suites share: the built viewer and one Chromium. */
export interface Harness {
  viewer: Viewer;
  context: BrowserContext;
}

/** Pick an option of a Mantine Select by its visible label (or the start of it). */
export async function choose(page: Page, testId: string, option: string | RegExp): Promise<void> {
  await page.getByTestId(testId).click();
  await page.getByRole("option", { name: option, exact: typeof option === "string" }).click();
}

/** The bundled examples (public/examples/index.json). */
export const EXAMPLES = JSON.parse(readFileSync(join(WEB_ROOT, "public/examples/index.json"), "utf8")) as { id: string; title: string; csv: string; truth: string }[];

/** Path of a bundled example's file. */
export function examplePath(file: string): string {
  return join(WEB_ROOT, "public/examples", file);
}

/** Load a bundled example by id and wait until the page shows it. */
export async function loadExample(page: Page, id: string): Promise<void> {
  const ex = EXAMPLES.find((e) => e.id === id);
  if (!ex) throw new Error(`no bundled example "${id}"`);
  await choose(page, "example-select", ex.title);
  await page.getByTestId("dataset-summary").filter({ hasText: ex.csv }).waitFor();
  await page.getByTestId("truth-summary").waitFor();
}

export interface RunOptions {
  maxLag?: number;
  seed?: number;
  /** Method parameters typed into their inputs (numbers and free text). */
  params?: Record<string, string | number>;
}

/** Set the method, backend, lag, seed and parameters of the run panel. */
export async function setupRun(page: Page, method: string, backend: string | RegExp, options: RunOptions = {}): Promise<void> {
  await choose(page, "method-select", method);
  await choose(page, "backend-select", backend);
  if (options.maxLag !== undefined) await page.getByTestId("max-lag").fill(String(options.maxLag));
  if (options.seed !== undefined) await page.getByTestId("seed").fill(String(options.seed));
  if (options.params && Object.keys(options.params).length && (await page.getByTestId("params-toggle").getAttribute("data-open")) !== "true") {
    await page.getByTestId("params-toggle").click();
  }
  for (const [name, value] of Object.entries(options.params ?? {})) await page.getByTestId(`param-${name}`).fill(String(value));
}

/** Number of runs the run panel has finished (succeeded, failed or cancelled). */
export async function finishedRuns(page: Page): Promise<number> {
  return Number(await page.getByTestId("run-panel").getAttribute("data-runs"));
}

/** Click Run and wait for that run to end; throws with the viewer's message when it failed. */
export async function runAndWait(page: Page, timeout = 90_000): Promise<string> {
  const before = await finishedRuns(page);
  await page.getByTestId("run").click();
  await page.locator(`[data-testid=run-panel][data-runs="${before + 1}"]`).waitFor({ timeout });
  if (await page.getByTestId("run-error").count()) throw new Error(`the run failed in the browser: ${await page.getByTestId("run-error").innerText()}`);
  return page.getByTestId("run-status").innerText();
}

/** Run a method in the browser's worker and wait for the results view. */
export async function runMethod(page: Page, method: string, backend: string | RegExp, options: RunOptions = {}): Promise<string> {
  await setupRun(page, method, backend, options);
  const status = await runAndWait(page);
  await page.getByTestId("tab-heatmap").click();
  await page.getByTestId("heatmap").waitFor();
  return status;
}

/** The heatmap's cells at one lag (0: max over lags): `${effect}|${cause}` -> score. */
export async function heatmapCells(page: Page, lag: number): Promise<Map<string, number>> {
  await page.getByTestId("tab-heatmap").click();
  await page.getByTestId("lag-selector").getByText(lag === 0 ? "max over lags" : `lag ${lag}`, { exact: true }).click();
  await page.locator(`[data-testid=heatmap][data-lag="${lag}"]`).waitFor();
  const cells = await page.getByTestId("heat-cell").evaluateAll((els) => els.map((e) => [e.getAttribute("data-effect"), e.getAttribute("data-cause"), e.getAttribute("data-score")]));
  return new Map(cells.map(([e, c, s]) => [`${e}|${c}`, Number(s)]));
}

/** Every heatmap cell of every lag, as a `scores[effect][cause][lag - 1]` tensor in `variables` order. */
export async function heatmapTensor(page: Page, variables: string[], maxLag: number): Promise<number[][][]> {
  const out = variables.map(() => variables.map(() => new Array<number>(maxLag).fill(NaN)));
  for (let lag = 1; lag <= maxLag; lag++) {
    const cells = await heatmapCells(page, lag);
    variables.forEach((effect, e) => variables.forEach((cause, c) => (out[e][c][lag - 1] = cells.get(`${effect}|${cause}`) ?? NaN)));
  }
  return out;
}

export interface EdgeRow {
  cause: string;
  effect: string;
  lag: number;
  score: number;
}

/** The edge list as shown: cause, effect, lag, score, in order. */
export async function edgeRows(page: Page): Promise<EdgeRow[]> {
  await page.getByTestId("tab-edges").click();
  await page.getByTestId("edge-list").or(page.getByTestId("edge-list-empty")).waitFor();
  const rows = await page
    .getByTestId("edge-row")
    .evaluateAll((els) => els.map((e) => [e.getAttribute("data-cause"), e.getAttribute("data-effect"), e.getAttribute("data-lag"), e.getAttribute("data-score")]));
  return rows.map(([cause, effect, lag, score]) => ({ cause: cause ?? "", effect: effect ?? "", lag: Number(lag), score: Number(score) }));
}

/** A graph's edge list in the shape `edgeRows` reads. */
export function edgesOf(graph: CausalGraph): EdgeRow[] {
  return graph.edges.map((e) => ({ cause: e.cause, effect: e.effect, lag: e.lag, score: e.score }));
}
