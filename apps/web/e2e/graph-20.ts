// Browser tests, 20 variables: the built viewer in Chromium lays out Lorenz-96 (V = 20) legibly
// (every node apart, inside the figure as drawn), zooms, filters, draws the time-series graph, and
// its alpha control re-selects the CLI's p-values as core's selectByPvalue does. Registered by
// viewer.e2e.test.ts.
import { scoresFromNested, selectByPvalue, type CausalGraph } from "@causeway/core";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { choose, edgeRows, examplePath, loadExample, newPage, runMethod, type Harness } from "./browser.js";
import { cliGraph } from "./cli.js";

const L96 = "lorenz96-v20-f40-s1";

export function graph20Suite(harness: () => Harness): void {
  describe("viewer in Chromium: a 20-variable graph", () => {
    let page: Page;
    let errors: string[];
    let close: () => Promise<void>;
    let want: CausalGraph;

    beforeAll(async () => {
      ({ page, errors, close } = await newPage(harness().context));
      await page.goto(harness().viewer.url);
      await loadExample(page, L96);
      want = await cliGraph(examplePath(`${L96}.csv`), "var", { maxLag: 2, seed: 0, backend: "cpu" });
      await runMethod(page, "var", "wasm", { maxLag: 2, seed: 0 });
    });
    afterAll(async () => {
      await close?.();
    });

    it("the nodes are drawn apart and inside the figure, and the arrows are those of the edge list", async () => {
      await page.getByTestId("tab-graph").click();
      const svg = (await page.getByTestId("graph-view").boundingBox())!;
      const circles = await page.locator("[data-testid=graph-node] circle").evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2, r: r.width / 2 })));
      expect(circles).toHaveLength(20);
      for (const c of circles) {
        expect(c.x - c.r).toBeGreaterThanOrEqual(svg.x - 0.5);
        expect(c.x + c.r).toBeLessThanOrEqual(svg.x + svg.width + 0.5);
        expect(c.y - c.r).toBeGreaterThanOrEqual(svg.y - 0.5);
        expect(c.y + c.r).toBeLessThanOrEqual(svg.y + svg.height + 0.5);
      }
      for (let i = 0; i < circles.length; i++)
        for (let j = i + 1; j < circles.length; j++) expect(Math.hypot(circles[i].x - circles[j].x, circles[i].y - circles[j].y)).toBeGreaterThan(circles[i].r + circles[j].r);
      const arrows = await page.getByTestId("graph-edge").evaluateAll((els) => els.map((e) => `${e.getAttribute("data-cause")}>${e.getAttribute("data-effect")}`));
      expect(arrows.sort()).toEqual([...new Set(want.edges.map((e) => `${e.cause}>${e.effect}`))].sort());
      expect(errors).toEqual([]);
    });

    it("the wheel zooms about the pointer and a drag pans; focus and hide self-loops filter the arrows", async () => {
      const viewport = page.getByTestId("graph-viewport");
      const box = (await page.getByTestId("graph-view").boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.wheel(0, -400);
      await expect.poll(async () => Number((await viewport.getAttribute("transform"))?.match(/scale\(([\d.]+)\)/)?.[1])).toBeGreaterThan(1.2);
      const before = await viewport.getAttribute("transform");
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 40, { steps: 5 });
      await page.mouse.up();
      await expect.poll(() => viewport.getAttribute("transform")).not.toBe(before);
      await page.getByTestId("zoom-fit").click();
      await expect(viewport.getAttribute("transform")).resolves.toBe("translate(0 0) scale(1)");

      const arrows = () => page.getByTestId("graph-edge").evaluateAll((els) => els.map((e) => [e.getAttribute("data-cause")!, e.getAttribute("data-effect")!]));
      const all = await arrows();
      await page.getByTestId("hide-self").check();
      await expect.poll(async () => (await arrows()).length).toBe(all.filter(([c, e]) => c !== e).length);
      await choose(page, "focus-select", "x7");
      const focused = await arrows();
      expect(focused.sort()).toEqual(all.filter(([c, e]) => c !== e && (c === "x7" || e === "x7")).sort());
      await page.getByTestId("hide-self").uncheck();
      await page.getByTestId("graph-kind").getByText("time series graph").click();
      await expect(page.getByTestId("ts-node").count()).resolves.toBe(20 * 3);
      await page.getByTestId("graph-kind").getByText("summary graph").click();
      expect(errors).toEqual([]);
    });

    it("the alpha control re-selects the edges as core's selectByPvalue does on the CLI's p-values", async () => {
      expect(want.pvalues, "var reports p-values").toBeDefined();
      const V = want.variables.length;
      const scores = scoresFromNested(want.scores, V, want.maxLag);
      const pvalues = scoresFromNested(want.pvalues!, V, want.maxLag);
      const key = (e: { cause: string; effect: string; lag: number }) => `${e.cause}>${e.effect}@${e.lag}`;
      for (const alpha of [1e-6, 0.01]) {
        await page.getByTestId("alpha-input").fill(String(alpha));
        await page.getByTestId("alpha-input").blur();
        const expected = selectByPvalue(scores, pvalues, want.variables, alpha, "fdr_bh").edges;
        await expect.poll(async () => (await edgeRows(page)).length).toBe(expected.length);
        // Scores computed in Chromium and in Node may differ in the last bit: compare the sets.
        expect((await edgeRows(page)).map(key).sort()).toEqual(expected.map(key).sort());
      }
      await page.getByRole("button", { name: "reset" }).click();
      expect(errors).toEqual([]);
    });
  });
}
