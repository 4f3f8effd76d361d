// Shared by the browser tests and the screenshot script: build the viewer once, serve it on
// loopback with `vite preview`, and drive Debian's Chromium with playwright-core (no downloads).
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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
  close(): Promise<void>;
}

/** Build the app into a temporary folder and serve it on 127.0.0.1 (a free port). */
export async function serveViewer(): Promise<Viewer> {
  const outDir = mkdtempSync(join(tmpdir(), "causeway-web-"));
  await build({ root: WEB_ROOT, logLevel: "error", build: { outDir, emptyOutDir: true } });
  const server: PreviewServer = await preview({ root: WEB_ROOT, logLevel: "error", build: { outDir }, preview: { host: "127.0.0.1", port: 0, strictPort: false } });
  const address = server.httpServer.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}

/** A fresh headless Chromium profile and its first page; console errors are collected. */
export async function openBrowser(viewport = { width: 1280, height: 860 }): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "causeway-chromium-")), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return { context, page, errors };
}

/** Pick an option of a Mantine Select by its visible label. */
export async function choose(page: Page, testId: string, option: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

/** Load a bundled example by title. */
export async function loadExample(page: Page, title: string): Promise<void> {
  await choose(page, "example-select", title);
  await page.getByTestId("dataset-summary").waitFor();
}

/** Run a method in the browser's worker and wait for the results view. */
export async function runMethod(page: Page, method: string, backend: string, options: { maxLag?: number; seed?: number } = {}): Promise<void> {
  await choose(page, "method-select", method);
  await choose(page, "backend-select", backend);
  if (options.maxLag !== undefined) await page.getByTestId("max-lag").fill(String(options.maxLag));
  if (options.seed !== undefined) await page.getByTestId("seed").fill(String(options.seed));
  await page.getByTestId("run").click();
  await page.getByTestId("run-status").or(page.getByTestId("run-error")).waitFor({ timeout: 90_000 });
  const failed = await page.getByTestId("run-error").count();
  if (failed) throw new Error(`the run failed in the browser: ${await page.getByTestId("run-error").innerText()}`);
  await page.getByTestId("heatmap").waitFor();
}

/** The heatmap's cells at one lag: `${effect}|${cause}` -> score. */
export async function heatmapCells(page: Page, lag: number): Promise<Map<string, number>> {
  await page.getByTestId("lag-selector").getByText(lag === 0 ? "max over lags" : `lag ${lag}`, { exact: true }).click();
  await page.locator(`[data-testid=heatmap][data-lag="${lag}"]`).waitFor();
  const cells = await page.getByTestId("heat-cell").evaluateAll((els) => els.map((e) => [e.getAttribute("data-effect"), e.getAttribute("data-cause"), e.getAttribute("data-score")]));
  return new Map(cells.map(([e, c, s]) => [`${e}|${c}`, Number(s)]));
}

/** The edge list as shown: cause, effect, lag, score, in order. */
export async function edgeRows(page: Page): Promise<{ cause: string; effect: string; lag: number; score: number }[]> {
  await page.getByTestId("tab-edges").click();
  await page.getByTestId("edge-list").or(page.getByTestId("edge-list-empty")).waitFor();
  const rows = await page
    .getByTestId("edge-row")
    .evaluateAll((els) => els.map((e) => [e.getAttribute("data-cause"), e.getAttribute("data-effect"), e.getAttribute("data-lag"), e.getAttribute("data-score")]));
  return rows.map(([cause, effect, lag, score]) => ({ cause: cause ?? "", effect: effect ?? "", lag: Number(lag), score: Number(score) }));
}
