// Component-test helpers: render inside Mantine's provider in happy-dom.
import { MantineProvider } from "@mantine/core";
import { render, type RenderResult } from "@testing-library/react";
import type { ReactElement } from "react";
import type { CausalGraph, GroundTruth } from "@causeway/core";

/** Render `ui` inside a MantineProvider (the app's only context). */
export function renderUi(ui: ReactElement): RenderResult {
  return render(<MantineProvider>{ui}</MantineProvider>);
}

/**
 * A hand-made graph over a, b, c with maxLag 2 (scores[effect][cause][lag - 1]):
 * a → b at lag 1 (0.9), b → c at lag 2 (0.8), a → c at lag 1 (0.4), the rest small.
 */
export function handGraph(): CausalGraph {
  const scores = [
    // effect a
    [[0.05, 0.01], [0.02, 0.03], [0.1, 0.0]],
    // effect b
    [[0.9, 0.2], [0.3, 0.06], [0.04, 0.07]],
    // effect c
    [[0.4, 0.15], [0.12, 0.8], [0.08, 0.09]],
  ];
  return {
    format: "causeway.graph/v1",
    variables: ["a", "b", "c"],
    maxLag: 2,
    method: "hand",
    scores,
    edges: [
      { cause: "a", effect: "b", lag: 1, score: 0.9 },
      { cause: "b", effect: "c", lag: 2, score: 0.8 },
    ],
    threshold: 0.5,
    meta: { backend: "cpu", seconds: 0, seed: 0, params: {} },
  };
}

/** The truth of `handGraph`: a → b at lag 1, b → c at lag 2, and c → a at lag 1 (missed by the scores). */
export function handTruth(): GroundTruth {
  return {
    variables: ["a", "b", "c"],
    maxLag: 2,
    edges: [
      { cause: "a", effect: "b", lag: 1 },
      { cause: "b", effect: "c", lag: 2 },
      { cause: "c", effect: "a", lag: 1 },
    ],
    summaryOnly: false,
  };
}
