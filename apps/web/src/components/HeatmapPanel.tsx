import { Group, SegmentedControl, Select, Stack } from "@mantine/core";
import type { CausalGraph, GroundTruth, ScoredEdge } from "@causeway/core";
import { useMemo, type Ref } from "react";
import { Heatmap, heatmapOrder, type HeatValue } from "./Heatmap.js";

export interface HeatmapPanelProps {
  graph: CausalGraph;
  edges: ScoredEdge[];
  range: { min: number; max: number };
  truth: GroundTruth | null;
  figure: Ref<SVGSVGElement>;
  /** Held by the parent, so that it survives switching tabs. */
  view: HeatmapViewState;
  onView(v: HeatmapViewState): void;
}

export interface HeatmapViewState {
  /** "1".."maxLag", "0" (summary) or "lag0". */
  lag: string;
  value: HeatValue;
  sort: "file" | "name" | "driver";
}

export const HEATMAP_START: HeatmapViewState = { lag: "1", value: "score", sort: "file" };

/** The heatmap tab: per-lag, summary and lag-0 views, scores / p-values / stability, variables sorted as asked. */
export function HeatmapPanel({ graph, edges, range, truth, figure, view, onView }: HeatmapPanelProps) {
  const { lag, sort } = view;
  const set = (patch: Partial<HeatmapViewState>) => onView({ ...view, ...patch });
  const order = useMemo(() => heatmapOrder(graph, sort), [graph, sort]);
  const reach = graph.meta.reach?.maxLag;
  const lags = [
    ...(graph.contemporaneous ? [{ value: "lag0", label: "lag 0" }] : []),
    ...Array.from({ length: graph.maxLag }, (_, i) => ({ value: String(i + 1), label: reach !== undefined && i + 1 > reach ? `lag ${i + 1} ⚠` : `lag ${i + 1}` })),
    { value: "0", label: "max over lags" },
  ];
  // A lag this graph lacks (the previous run's maxLag was larger) shows its last lag.
  const shown = lags.some((l) => l.value === lag) ? lag : Number(lag) > graph.maxLag ? String(graph.maxLag) : "1";
  const values: { value: HeatValue; label: string }[] = [
    { value: "score", label: "score" },
    ...(graph.pvalues ? [{ value: "pvalue" as const, label: "p-value" }] : []),
    ...(graph.stability ? [{ value: "stability" as const, label: "stability" }] : []),
  ];
  const value = values.some((v) => v.value === view.value) ? view.value : "score";
  return (
    <Stack gap="xs">
      <Group gap="md" align="end">
        <SegmentedControl data-testid="lag-selector" value={shown} onChange={(v) => set({ lag: v })} data={lags} style={{ alignSelf: "end" }} />
        {values.length > 1 && (
          <SegmentedControl data-testid="heat-value" size="xs" value={value} onChange={(v) => set({ value: v as HeatValue })} data={values} style={{ alignSelf: "end" }} />
        )}
        <Select
          size="xs"
          w={150}
          label="order variables"
          data-testid="heat-sort"
          allowDeselect={false}
          value={sort}
          onChange={(v) => v && set({ sort: v as HeatmapViewState["sort"] })}
          data={[
            { value: "file", label: "as in the file" },
            { value: "name", label: "by name" },
            { value: "driver", label: "drivers first" },
          ]}
        />
      </Group>
      <Heatmap ref={figure} graph={graph} lag={shown === "lag0" ? "lag0" : Number(shown)} edges={edges} range={range} truth={truth} value={value} order={order} />
    </Stack>
  );
}
