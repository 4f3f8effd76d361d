import { Alert, Button, Group, Menu, NumberInput, SegmentedControl, Slider, Stack, Tabs, Text } from "@mantine/core";
import type { CausalGraph, GroundTruth } from "@causeway/core";
import { scoreGraph } from "@causeway/metrics";
import { useMemo, useRef, useState } from "react";
import { edgesAt, graphAt, rocCurve, rocItems, scoreRange, summaryEdges } from "../lib/analysis.js";
import { download, svgText, svgToPng } from "../lib/download.js";
import { EdgeTable } from "./EdgeTable.js";
import { GraphView } from "./GraphView.js";
import { Heatmap } from "./Heatmap.js";
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

/** Heatmap, graph, edge list and ROC of one discovered graph, with the threshold slider and exports. */
export function Results({ graph, truth, threshold, onThreshold, tab, onTab }: ResultsProps) {
  const [lag, setLag] = useState(1);
  const [level, setLevel] = useState<"lagged" | "summary">("lagged");
  const figure = useRef<SVGSVGElement>(null);
  const range = useMemo(() => scoreRange(graph), [graph]);
  const edges = useMemo(() => edgesAt(graph, threshold), [graph, threshold]);
  const summary = useMemo(() => summaryEdges(edges), [edges]);
  const shownLag = Math.min(lag, graph.maxLag);

  const evaluation = useMemo(() => {
    if (!truth) return null;
    try {
      const lvl = truth.summaryOnly ? "summary" : level;
      const { scores, labels } = rocItems(graph, truth, lvl);
      const roc = rocCurve(scores, labels);
      // The edge list as shown counts (at the method's own threshold, the method's own list).
      const score = scoreGraph(truth, graphAt(graph, threshold));
      return { roc, score, level: lvl, error: null };
    } catch (e) {
      return { roc: null, score: null, level, error: (e as Error).message };
    }
  }, [graph, truth, threshold, level]);

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
            Threshold: <b data-testid="threshold-value">{threshold.toPrecision(4)}</b> · <span data-testid="edge-count">{edges.length}</span> lagged edges,{" "}
            {summary.length} arrows
            {threshold === graph.threshold ? " (the method's default)" : ""}
          </Text>
          <Slider thumbLabel="threshold" min={Math.min(range.min, graph.threshold)} max={Math.max(range.max, graph.threshold)} step={step} value={threshold} onChange={onThreshold} label={(v) => v.toPrecision(3)} data-testid="threshold-slider" aria-label="threshold" />
        </Stack>
        <NumberInput w={120} size="xs" label="exact" value={threshold} step={step} decimalScale={6} onChange={(v) => typeof v === "number" && onThreshold(v)} data-testid="threshold-input" />
        <Button size="xs" variant="subtle" onClick={() => onThreshold(graph.threshold)}>
          reset
        </Button>
        <Menu>
          <Menu.Target>
            <Button size="xs" data-testid="export">Export</Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item onClick={() => download(`${base}.json`, JSON.stringify(graphAt(graph, threshold), null, 2) + "\n")} data-testid="export-json">
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
          <Stack gap="xs">
            <SegmentedControl
              data-testid="lag-selector"
              value={String(shownLag)}
              onChange={(v) => setLag(Number(v))}
              data={[...Array.from({ length: graph.maxLag }, (_, i) => ({ value: String(i + 1), label: `lag ${i + 1}` })), { value: "0", label: "max over lags" }]}
              style={{ alignSelf: "start" }}
            />
            <Heatmap ref={figure} graph={graph} lag={shownLag} edges={edges} range={range} truth={truth} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="graph" pt="sm">
          <GraphView ref={figure} variables={graph.variables} edges={summary} truth={truth} title={`${graph.method}: ${summary.length} arrows at threshold ${threshold.toPrecision(3)} (labels: lags)`} />
        </Tabs.Panel>
        <Tabs.Panel value="edges" pt="sm">
          <EdgeTable edges={edges} truth={truth} />
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
