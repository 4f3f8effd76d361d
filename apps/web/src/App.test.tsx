// @vitest-environment happy-dom
import { AbortError, buildGraph, corrMethod, createScores, defineMethod, getMethod, param, parseSeriesCsv, registerMethod, type Discoverer } from "@causeway/core";
import { act, cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import exampleCsv from "../public/examples/var-v5-l3-s1.csv?raw";
import exampleIndex from "../public/examples/index.json?raw";
import exampleTruth from "../public/examples/var-v5-l3-s1.truth.json?raw";
import { App } from "./App.js";
import { LocalRunner } from "./lib/worker-client.js";
import { InProcessWorker } from "./test/fake-worker.js";
import { renderUi } from "./test/render.js";

/** Waits on timers for `steps` × 20 ms unless cancelled (for the cancel test). */
const slowMethod: Discoverer = {
  name: "test-slow",
  description: "test-only: slow, cancellable",
  usesTensors: false,
  lagResolved: true,
  defaultThreshold: 0.5,
  params: [{ name: "steps", type: "integer", default: 500, description: "steps of 20 ms" }],
  async discover(series, options) {
    const steps = Number(options.params?.steps ?? 500);
    for (let i = 0; i < steps; i++) {
      options.onProgress?.({ method: "test-slow", stage: "wait", fraction: i / steps, step: i, total: steps });
      await new Promise((r) => setTimeout(r, 20));
      if (options.signal?.aborted) throw new AbortError("stopped");
    }
    return buildGraph({ method: "test-slow", variables: series.variables, scores: createScores(series.variables.length, options.maxLag), threshold: 0.5, meta: { backend: "none", seconds: 0, seed: 0, params: {} } });
  },
};
/** A method that trains: its budgets set `epochs`; the score of x1 <- x0 is epochs / 100 (so the heatmap shows what the run got). */
const budgetedMethod = defineMethod({
  name: "test-budget",
  description: "test-only: declares budgets",
  usesTensors: false,
  lagResolved: true,
  defaultThreshold: 0.5,
  params: { epochs: param.integer({ default: 40, min: 1, max: 1000, description: "epochs" }), rate: param.number({ default: 0.1, min: 0, max: 1, description: "rate" }) },
  budgets: { fast: { epochs: 5 }, thorough: { epochs: 400 } },
  run: ({ series, maxLag, params }) => {
    const scores = createScores(series.variables.length, maxLag);
    scores.data[(1 * series.variables.length + 0) * maxLag] = params.epochs / 100;
    return { scores };
  },
});
registerMethod(corrMethod);
registerMethod(slowMethod);
registerMethod(budgetedMethod);

const files: Record<string, string> = {
  "index.json": exampleIndex,
  "var-v5-l3-s1.csv": exampleCsv,
  "var-v5-l3-s1.truth.json": exampleTruth,
};

beforeEach(() => {
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
    const name = String(input).split("/").pop() ?? "";
    return name in files ? new Response(files[name]) : new Response("not found", { status: 404, statusText: "Not Found" });
  });
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function renderApp() {
  const runner = new LocalRunner(() => new InProcessWorker().asWorker());
  renderUi(<App runner={runner} />);
  return runner;
}

/** Pick an option of a Mantine Select by its label. */
async function choose(testId: string, label: string): Promise<void> {
  fireEvent.click(screen.getByTestId(testId));
  fireEvent.click(await screen.findByRole("option", { name: label, hidden: true }));
}

function drop(file: File): void {
  fireEvent.drop(screen.getByTestId("dropzone"), { dataTransfer: { files: [file] } });
}

describe("App", () => {
  it("a bad CSV dropped on the page gives an error that names the file, row and column", async () => {
    renderApp();
    drop(new File(["a,b\n1,2\n3,oops\n5,6\n"], "bad.csv", { type: "text/csv" }));
    const alert = await screen.findByTestId("load-error");
    expect(alert.textContent).toMatch(/^bad\.csv: line 3 \(row 2\), column "b" \(#2\): the cell "oops" is not a number/);
    expect(screen.queryByTestId("dataset-summary")).toBeNull();
  });

  it("a good CSV dropped shows its summary and one line per variable", async () => {
    renderApp();
    drop(new File(["t,a,b\n0,1,2\n1,3,1\n2,5,6\n3,2,2\n"], "ok.csv"));
    expect((await screen.findByTestId("dataset-summary")).textContent).toBe("ok.csv: 2 variables × 4 steps");
    expect(screen.getByTestId("series-plot").querySelectorAll("polyline")).toHaveLength(2);
    expect(screen.queryByTestId("load-error")).toBeNull();
  });

  it("an example, then corr in the worker: the heatmap shows the method's scores and the ROC uses the bundled truth", async () => {
    renderApp();
    await choose("example-select", "Linear VAR(3), 5 variables");
    expect((await screen.findByTestId("dataset-summary")).textContent).toContain("5 variables × 500 steps");
    expect((await screen.findByTestId("truth-summary")).textContent).toMatch(/truth: \d+ edges, max lag 3/);
    await waitFor(() => expect(screen.getByTestId("run").hasAttribute("disabled")).toBe(false));
    await choose("method-select", "corr");
    fireEvent.click(screen.getByTestId("run"));
    expect((await screen.findByTestId("run-status", {}, { timeout: 10_000 })).textContent).toMatch(/^corr \(no tensors\): \d+ edges in/);

    // The same scores as corr run here directly.
    const want = await getMethod("corr").discover(parseSeriesCsv(exampleCsv, { file: "x.csv" }), { maxLag: 3, seed: 0 });
    const cells = screen.getAllByTestId("heat-cell");
    expect(cells).toHaveLength(25);
    for (const c of cells) {
      const e = want.variables.indexOf(c.getAttribute("data-effect")!);
      const k = want.variables.indexOf(c.getAttribute("data-cause")!);
      expect(Number(c.getAttribute("data-score"))).toBe(want.scores[e][k][0]);
    }
    expect(screen.getByTestId("edge-count").textContent).toBe(String(want.edges.length));
    fireEvent.click(screen.getByTestId("tab-roc"));
    expect(Number(screen.getByTestId("roc-curve").getAttribute("data-auc"))).toBeGreaterThan(0.5);
  });

  it("the training budget select shows for a method with budgets only; fast sets the params left at their defaults", async () => {
    renderApp();
    drop(new File(["a,b\n1,2\n3,1\n5,6\n2,2\n4,4\n6,1\n"], "small.csv"));
    await screen.findByTestId("dataset-summary");
    await waitFor(() => expect(screen.getByTestId("run").hasAttribute("disabled")).toBe(false));
    await choose("method-select", "corr");
    expect(screen.queryByTestId("budget-select")).toBeNull();
    await choose("method-select", "test-budget");
    await choose("budget-select", "fast");
    fireEvent.change(screen.getByTestId("max-lag"), { target: { value: "1" } });
    fireEvent.click(screen.getByTestId("run"));
    await screen.findByTestId("run-status", {}, { timeout: 10_000 });
    const cell = screen.getAllByTestId("heat-cell").find((c) => c.getAttribute("data-effect") === "b" && c.getAttribute("data-cause") === "a")!;
    expect(Number(cell.getAttribute("data-score"))).toBe(0.05); // epochs 5: the fast preset, not the default 40
  });

  it("cancel stops a run mid-way; the progress bar shows while it runs", async () => {
    renderApp();
    drop(new File(["a,b\n1,2\n3,1\n5,6\n2,2\n4,4\n"], "small.csv"));
    await screen.findByTestId("dataset-summary");
    await waitFor(() => expect(screen.getByTestId("run").hasAttribute("disabled")).toBe(false));
    await choose("method-select", "test-slow");
    fireEvent.change(screen.getByTestId("max-lag"), { target: { value: "1" } });
    fireEvent.click(screen.getByTestId("run"));
    await screen.findByTestId("progress");
    await waitFor(() => expect(screen.getByText(/^wait \d+% \(\d+\/500\) · \d+s elapsed(, eta \d+(m\d\d)?s)?$/)).toBeTruthy());
    act(() => void fireEvent.click(screen.getByTestId("cancel")));
    expect((await screen.findByTestId("run-status", {}, { timeout: 5000 })).textContent).toMatch(/^cancelled/);
    expect(screen.queryByTestId("progress")).toBeNull();
    expect(screen.getByTestId("view-results").hasAttribute("disabled") || screen.getByTestId("view-results").getAttribute("data-disabled") === "true").toBe(true);
  });
});
