import { Checkbox, Group, SegmentedControl, Select, Stack, Switch } from "@mantine/core";
import type { CausalGraph, GroundTruth, ScoredEdge } from "@causeway/core";
import type { Ref } from "react";
import { COLOR_BY_LABELS, type ColorBy, type GraphFilters } from "../lib/graph-model.js";
import { graphSize, GraphView } from "./GraphView.js";
import { TimeSeriesGraph, timeSeriesSize } from "./TimeSeriesGraph.js";
import { useZoomPan } from "./ZoomPan.js";

export interface GraphPanelProps {
  graph: CausalGraph;
  /** The selected edges. */
  edges: ScoredEdge[];
  truth: GroundTruth | null;
  /** What the selection is, for the title (e.g. "threshold 0.5" or "q <= 0.05"). */
  selection: string;
  figure: Ref<SVGSVGElement>;
  filters: GraphFilters;
  onFilters(f: GraphFilters): void;
  /** Held by the parent, so that it survives switching tabs. */
  view: GraphViewState;
  onView(v: GraphViewState): void;
}

export interface GraphViewState {
  kind: "summary" | "time";
  /** Null: the first colouring offered (truth with a truth, else score). */
  colorBy: ColorBy | null;
  widthByStability: boolean;
}

export const GRAPH_START: GraphViewState = { kind: "summary", colorBy: null, widthByStability: true };

/** The colourings a graph can offer: truth with a truth, sign with signed scores, p-value and stability when it has them. */
export function colorChoices(graph: CausalGraph, edges: ScoredEdge[], truth: GroundTruth | null): ColorBy[] {
  const out: ColorBy[] = [];
  if (truth) out.push("truth");
  out.push("score");
  if (graph.scores.some((r) => r.some((c) => c.some((s) => s < 0))) || edges.some((e) => e.score < 0)) out.push("sign");
  if (graph.pvalues || edges.some((e) => e.pvalue !== undefined)) out.push("pvalue");
  if (graph.stability || edges.some((e) => e.stability !== undefined)) out.push("stability");
  return out;
}

/** The graph tab: summary (force-directed) or lag-unrolled time-series graph, with colour, width, focus and self-loop filters, zoom and pan. */
export function GraphPanel({ graph, edges, truth, selection, figure, filters, onFilters, view, onView }: GraphPanelProps) {
  const { kind, widthByStability: byStability } = view;
  const set = (patch: Partial<GraphViewState>) => onView({ ...view, ...patch });
  const choices = colorChoices(graph, edges, truth);
  const hasStability = choices.includes("stability");
  const color = view.colorBy && choices.includes(view.colorBy) ? view.colorBy : choices[0];
  const { W, H } = kind === "summary" ? graphSize(graph.variables.length) : timeSeriesSize(graph.variables, graph.maxLag);
  const zoom = useZoomPan(W, H, `${graph.method}|${graph.variables.join(",")}|${kind}`);
  const lagged = edges.filter((e) => e.lag > 0).length;
  const title = `${graph.method}: ${lagged} lagged edge${lagged === 1 ? "" : "s"}${edges.length > lagged ? ` + ${edges.length - lagged} at lag 0` : ""} at ${selection}`;
  return (
    <Stack gap="xs">
      <Group gap="md" align="end">
        <SegmentedControl
          size="xs"
          data-testid="graph-kind"
          value={kind}
          onChange={(v) => set({ kind: v as GraphViewState["kind"] })}
          data={[
            { value: "summary", label: "summary graph" },
            { value: "time", label: "time series graph" },
          ]}
        />
        <Select
          size="xs"
          w={130}
          label="colour by"
          data-testid="color-by"
          allowDeselect={false}
          value={color}
          onChange={(v) => v && set({ colorBy: v as ColorBy })}
          data={choices.filter((c) => kind === "summary" || c !== "truth").map((c) => ({ value: c, label: COLOR_BY_LABELS[c] }))}
        />
        <Select
          size="xs"
          w={140}
          label="focus on"
          placeholder="all variables"
          clearable
          searchable
          data-testid="focus-select"
          value={filters.focus}
          onChange={(v) => onFilters({ ...filters, focus: v })}
          data={graph.variables}
        />
        <Checkbox size="xs" label="hide self-loops" data-testid="hide-self" checked={filters.hideSelfLoops} onChange={(ev) => onFilters({ ...filters, hideSelfLoops: ev.currentTarget.checked })} />
        {hasStability && <Switch size="xs" label="width: stability" data-testid="width-by-stability" checked={byStability} onChange={(ev) => set({ widthByStability: ev.currentTarget.checked })} />}
        {zoom.controls}
      </Group>
      <div {...zoom.frameProps}>
        {kind === "summary" ? (
          <GraphView
            ref={figure}
            variables={graph.variables}
            edges={edges}
            layoutEdges={graph.edges}
            truth={truth}
            title={`${title} (labels: lags)`}
            colorBy={color}
            widthByStability={hasStability && byStability}
            filters={filters}
            transform={zoom.transform}
            onNodeClick={(v) => onFilters({ ...filters, focus: filters.focus === v ? null : v })}
          />
        ) : (
          <TimeSeriesGraph
            ref={figure}
            variables={graph.variables}
            maxLag={graph.maxLag}
            edges={edges}
            title={title}
            colorBy={color === "truth" ? "score" : color}
            widthByStability={hasStability && byStability}
            filters={filters}
            transform={zoom.transform}
          />
        )}
      </div>
    </Stack>
  );
}
