// End-to-end: the built viewer in Debian's headless Chromium runs discovery in its Web Worker and
// shows the same scores and edges as the CLI for the same input, seed and threshold.
import { fileURLToPath } from "node:url";
import { run } from "@causeway/cli";
import { thresholdEdges, scoresFromNested, type CausalGraph } from "@causeway/core";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumMissing, edgeRows, heatmapCells, loadExample, openBrowser, runMethod, serveViewer, type Viewer } from "./browser.js";

const EXAMPLE_CSV = fileURLToPath(new URL("../public/examples/var-v5-l3-s1.csv", import.meta.url));
const EXAMPLE_TITLE = "Linear VAR(3), 5 variables";
const missing = chromiumMissing();
if (missing) console.warn(`viewer e2e skipped: ${missing}`);

/** `causeway discover <csv> --json` in process. */
async function cliGraph(method: string, seed: number): Promise<CausalGraph> {
  let out = "";
  let err = "";
  const code = await run(["discover", EXAMPLE_CSV, "-m", method, "-s", String(seed), "-l", "3", "-b", "cpu", "--json", "-q"], {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    isTTY: false,
  });
  expect(code, err).toBe(0);
  return JSON.parse(out) as CausalGraph;
}

describe.skipIf(missing !== null)("viewer in Chromium", () => {
  let viewer: Viewer;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    viewer = await serveViewer();
    ({ context, page, errors } = await openBrowser());
    await page.goto(viewer.url);
    await loadExample(page, EXAMPLE_TITLE);
  });

  afterAll(async () => {
    await context?.close();
    await viewer?.close();
  });

  for (const [method, backend] of [
    ["var", "wasm"],
    ["corr", "cpu"],
  ] as const) {
    it(`${method} on ${backend}: heatmap at every lag and the edge list match the CLI`, async () => {
      const want = await cliGraph(method, 0);
      await runMethod(page, method, backend, { maxLag: 3, seed: 0 });
      const V = want.variables.length;
      for (let lag = 1; lag <= want.maxLag; lag++) {
        const cells = await heatmapCells(page, lag);
        expect(cells.size).toBe(V * V);
        want.variables.forEach((effect, e) =>
          want.variables.forEach((cause, c) => expect(cells.get(`${effect}|${cause}`), `${cause}->${effect} lag ${lag}`).toBe(want.scores[e][c][lag - 1])),
        );
      }
      // The summary view is the max over lags.
      const summary = await heatmapCells(page, 0);
      expect(summary.get(`${want.variables[1]}|${want.variables[0]}`)).toBe(Math.max(...want.scores[1][0]));

      const rows = await edgeRows(page);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows).toEqual(want.edges.map((e) => ({ cause: e.cause, effect: e.effect, lag: e.lag, score: e.score })));
      await expect(page.getByTestId("threshold-value").innerText()).resolves.toBe(want.threshold.toPrecision(4));

      // The threshold input re-thresholds the scores: the count matches core's thresholdEdges.
      const sorted = want.scores.flat(2).sort((a, b) => b - a);
      const t = sorted[Math.floor(sorted.length / 3)];
      await page.getByTestId("threshold-input").fill(String(t));
      await page.getByTestId("threshold-input").blur();
      const expected = thresholdEdges(scoresFromNested(want.scores, V, want.maxLag), want.variables, t);
      await expect.poll(async () => (await edgeRows(page)).length).toBe(expected.length);
      await page.getByRole("button", { name: "reset" }).click();
      expect(errors).toEqual([]);
    });
  }

  it("shows the ROC curve and metrics with the example's ground truth", async () => {
    await page.getByTestId("tab-roc").click();
    const auc = Number(await page.getByTestId("roc-curve").getAttribute("data-auc"));
    expect(auc).toBeGreaterThan(0.5);
    expect(auc).toBeLessThanOrEqual(1);
    await expect(page.getByTestId("metrics").innerText()).resolves.toContain("AUROC lagged");
  });
});
