import { Alert, Button, Group, Menu, NumberInput, SegmentedControl, Select, Slider, Stack, Tabs, Text } from "@mantine/core";
import { CORRECTIONS, DEFAULT_ALPHA, DEFAULT_CORRECTION, type CausalGraph, type Correction, type GroundTruth } from "@causeway/core";
import { scoreGraph } from "@causeway/metrics";
import { useEffect, useMemo, useRef, useState } from "react";
import { rocCurve, rocItems, scoreRange } from "../lib/analysis.js";
import { download, svgText, svgToPng } from "../lib/download.js";
import { NO_FILTERS, type GraphFilters } from "../lib/graph-model.js";
import { graphFor, isOwnSelection, ownSelection, reachLag, type Selection } from "../lib/trust.js";
import { EdgeTable } from "./EdgeTable.js";
import { GRAPH_START, GraphPanel, type GraphViewState } from "./GraphPanel.js";
import { HEATMAP_START, HeatmapPanel, type HeatmapViewState } from "./HeatmapPanel.js";
import { MetricsTable, RocCurve } from "./RocView.js";
import { Warnings } from "./Warnings.js";

export type ResultTab = "heatmap" | "graph" | "edges" | "roc";

export interface ResultsProps {
  graph: CausalGraph;
  truth: GroundTruth | null;
  threshold: number;
  onThreshold(threshold: number): void;
  tab: ResultTab;
  onTab(tab: ResultTab): void;
}

/**
 * Heatmap, graph, edge list and ROC of one discovered graph, with the selection (score threshold,
 * or alpha and correction when the graph has p-values) and exports.
 */
export function Results({ graph, truth, threshold, onThreshold, tab, onTab }: ResultsProps) {
  const [level, setLevel] = useState<"lagged" | "summary">("lagged");
  const own = ownSelection(graph);
  const [byAlpha, setByAlpha] = useState(own.by === "alpha");
  const [alpha, setAlpha] = useState(own.by === "alpha" ? own.alpha : DEFAULT_ALPHA);
  const [correction, setCorrection] = useState<Correction>(own.by === "alpha" ? own.correction : DEFAULT_CORRECTION);
  const [filters, setFilters] = useState<GraphFilters>(NO_FILTERS);
  const [heatView, setHeatView] = useState<HeatmapViewState>(HEATMAP_START);
  const [graphView, setGraphView] = useState<GraphViewState>(GRAPH_START);
  // A new graph starts at its own selection; a focus on a variable it lacks is dropped.
  useEffect(() => {
    const o = ownSelection(graph);
    setByAlpha(o.by === "alpha");
    if (o.by === "alpha") {
      setAlpha(o.alpha);
      setCorrection(o.correction);
    }
    setFilters((f) => (f.focus !== null && !graph.variables.includes(f.focus) ? { ...f, focus: null } : f));
  }, [graph]);
  const figure = useRef<SVGSVGElement>(null);
  const range = useMemo(() => scoreRange(graph), [graph]);
  const selection: Selection = byAlpha && graph.pvalues ? { by: "alpha", alpha, correction } : { by: "score", threshold };
  const selected = useMemo(() => graphFor(graph, selection), [graph, byAlpha, alpha, correction, threshold]);
  const edges = selected.edges;
  const lagged = edges.filter((e) => e.lag > 0).length;
  const pairs = new Set(edges.map((e) => `${e.cause}\u0000${e.effect}\u0000${e.lag === 0 ? 0 : 1}`)).size;
  const selectionText = selection.by === "alpha" ? `${correction === "none" ? "p" : "q"} ≤ ${alpha} (${correction})` : `threshold ${threshold.toPrecision(3)}`;
  const setScoreThreshold = (t: number) => {
    setByAlpha(false);
    onThreshold(t);
  };
  const reset = () => {
    setByAlpha(own.by === "alpha");
    if (own.by === "alpha") {
      setAlpha(own.alpha);
      setCorrection(own.correction);
    }
    onThreshold(graph.threshold);
  };

  const evaluation = useMemo(() => {
    if (!truth) return null;
    try {
      const lvl = truth.summaryOnly ? "summary" : level;
      const { scores, labels } = rocItems(graph, truth, lvl);
      const roc = rocCurve(scores, labels);
      // The edge list as shown counts (at the method's own threshold, the method's own list).
      // formats.md: scoring ignores lag 0 (unless the truth is contemporaneous); metrics refuses lag-0 edges.
      const score = scoreGraph(truth, { ...selected, edges: selected.edges.filter((e) => e.lag > 0) });
      return { roc, score, level: lvl, error: null };
    } catch (e) {
      return { roc: null, score: null, level, error: (e as Error).message };
    }
  }, [graph, truth, selected, level]);

  const step = (range.max - range.min) / 500 || 0.001;
  const base = `${graph.method}-graph`;
  const exportSvg = () => figure.current && download(`${base}-${tab}.svg`, svgText(figure.current), "image/svg+xml");
  const exportPng = async () => figure.current && download(`${base}-${tab}.png`, await svgToPng(figure.current));

  return (
    <Stack gap="sm">
      <Warnings warnings={graph.warnings} />
      <Group align="end" gap="md" wrap="nowrap">
        <Stack gap={2} style={{ flex: 1 }}>
          <Text size="sm">
            Threshold: <b data-testid="threshold-value">{selected.threshold.toPrecision(4)}</b> · <span data-testid="edge-count">{lagged}</span> lagged edges
            {edges.length > lagged ? ` + ${edges.length - lagged} at lag 0` : ""}, {pairs} arrows ·{" "}
            <span data-testid="selection-mode" data-by={selection.by}>
              selected by {selection.by === "alpha" ? `adjusted p ≤ α` : "score ≥ threshold"}
            </span>
            {isOwnSelection(graph, selection) ? " (the method's default)" : ""}
          </Text>
          <Slider thumbLabel="threshold" min={Math.min(range.min, graph.threshold)} max={Math.max(range.max, graph.threshold)} step={step} value={selection.by === "score" ? threshold : selected.threshold} onChange={setScoreThreshold} label={(v) => v.toPrecision(3)} data-testid="threshold-slider" aria-label="threshold" />
        </Stack>
        <NumberInput w={120} size="xs" label="exact" value={threshold} step={step} decimalScale={6} onChange={(v) => typeof v === "number" && setScoreThreshold(v)} data-testid="threshold-input" />
        {graph.pvalues && (
          <>
            <NumberInput
              w={90}
              size="xs"
              label="alpha"
              min={0}
              max={1}
              step={0.01}
              decimalScale={6}
              value={alpha}
              onChange={(v) => {
                if (typeof v === "number" && v > 0 && v <= 1) {
                  setAlpha(v);
                  setByAlpha(true);
                }
              }}
              data-testid="alpha-input"
            />
            <Select
              w={120}
              size="xs"
              label="correction"
              allowDeselect={false}
              value={correction}
              data={[...CORRECTIONS]}
              onChange={(v) => {
                if (v) {
                  setCorrection(v as Correction);
                  setByAlpha(true);
                }
              }}
              data-testid="correction-select"
            />
          </>
        )}
        <Button size="xs" variant="subtle" onClick={reset}>
          reset
        </Button>
        <Menu>
          <Menu.Target>
            <Button size="xs" data-testid="export">Export</Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item onClick={() => download(`${base}.json`, JSON.stringify(selected, null, 2) + "\n")} data-testid="export-json">
              Graph JSON (causeway.graph/v1)
            </Menu.Item>
            <Menu.Item onClick={exportSvg} disabled={tab === "edges"} data-testid="export-svg">Figure as SVG</Menu.Item>
            <Menu.Item onClick={() => void exportPng()} disabled={tab === "edges"} data-testid="export-png">Figure as PNG</Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Group>
      <Tabs value={tab} onChange={(v) => onTab((v ?? "heatmap") as ResultTab)} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="heatmap" data-testid="tab-heatmap">Heatmap</Tabs.Tab>
          <Tabs.Tab value="graph" data-testid="tab-graph">Graph</Tabs.Tab>
          <Tabs.Tab value="edges" data-testid="tab-edges">Edges ({edges.length})</Tabs.Tab>
          <Tabs.Tab value="roc" disabled={!truth} data-testid="tab-roc">ROC &amp; metrics</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="heatmap" pt="sm">
          <HeatmapPanel figure={figure} graph={graph} edges={edges} range={range} truth={truth} view={heatView} onView={setHeatView} />
        </Tabs.Panel>
        <Tabs.Panel value="graph" pt="sm">
          <GraphPanel figure={figure} graph={graph} edges={edges} truth={truth} selection={selectionText} filters={filters} onFilters={setFilters} view={graphView} onView={setGraphView} />
        </Tabs.Panel>
        <Tabs.Panel value="edges" pt="sm">
          <EdgeTable edges={edges} truth={truth} reach={reachLag(graph)} />
        </Tabs.Panel>
        <Tabs.Panel value="roc" pt="sm">
          {evaluation?.error && <Alert color="red">{evaluation.error}</Alert>}
          {evaluation && !evaluation.error && (
            <Group align="start" gap="xl">
              <Stack gap="xs">
                {!truth?.summaryOnly && (
                  <SegmentedControl
                    value={level}
                    onChange={(v) => setLevel(v as "lagged" | "summary")}
                    data={[
                      { value: "lagged", label: "lagged" },
                      { value: "summary", label: "summary" },
                    ]}
                    style={{ alignSelf: "start" }}
                  />
                )}
                {evaluation.roc ? (
                  <RocCurve ref={figure} points={evaluation.roc.points} auc={evaluation.roc.auc} level={evaluation.level} threshold={threshold} />
                ) : (
                  <Text c="dimmed">No ROC curve: the labels are all of one class.</Text>
                )}
              </Stack>
              {evaluation.score && <MetricsTable score={evaluation.score} />}
            </Group>
          )}
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
