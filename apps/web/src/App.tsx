import { Alert, AppShell, Divider, Group, ScrollArea, Stack, Tabs, Text, Title } from "@mantine/core";
import type { CausalGraph, GroundTruth } from "@causeway/core";
import { useCallback, useEffect, useMemo, useState } from "react";
import { DataPanel } from "./components/DataPanel.js";
import { Results, type ResultTab } from "./components/Results.js";
import { RunPanel } from "./components/RunPanel.js";
import { SeriesPlot } from "./components/SeriesPlot.js";
import type { Dataset } from "./lib/dataset.js";
import { LocalRunner } from "./lib/worker-client.js";

/** Starts the discovery worker (Vite bundles it from this `new URL(...)`). */
const createWorker = () => new Worker(new URL("./worker/discover.worker.ts", import.meta.url), { type: "module" });

export function App({ runner: given }: { runner?: LocalRunner }) {
  const runner = useMemo(() => given ?? new LocalRunner(createWorker), [given]);
  useEffect(() => () => runner.dispose(), [runner]);
  const [dataset, setDataset] = useState<Dataset | null>(null);
  const [truth, setTruth] = useState<GroundTruth | null>(null);
  const [graph, setGraph] = useState<CausalGraph | null>(null);
  const [threshold, setThreshold] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [view, setView] = useState<"data" | "results">("data");
  const [tab, setTab] = useState<ResultTab>("heatmap");

  const onDataset = useCallback((d: Dataset, t: GroundTruth | null) => {
    setDataset(d);
    setTruth(t);
    setGraph(null);
    setView("data");
  }, []);
  const onGraph = useCallback((g: CausalGraph) => {
    setGraph(g);
    setThreshold(g.threshold);
    setView("results");
  }, []);

  return (
    <AppShell navbar={{ width: 340, breakpoint: "sm" }} header={{ height: 52 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Title order={4}>Causeway viewer</Title>
          <Text size="xs" c="dimmed">temporal causal discovery: which variables drive which, at which lag</Text>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar>
        <AppShell.Section grow component={ScrollArea} p="md" type="auto" offsetScrollbars scrollbarSize={8}>
          <Stack gap="sm">
            <Text fw={600} size="sm">1. Data</Text>
            <DataPanel dataset={dataset} truth={truth} onDataset={onDataset} onTruth={setTruth} onError={setError} />
            <Divider />
            <Text fw={600} size="sm">2. Discovery</Text>
            <RunPanel dataset={dataset} runner={runner} onGraph={onGraph} />
          </Stack>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        {error && (
          <Alert color="red" mb="sm" withCloseButton onClose={() => setError(null)} data-testid="load-error">
            {error}
          </Alert>
        )}
        <Tabs value={view} onChange={(v) => setView((v ?? "data") as "data" | "results")}>
          <Tabs.List mb="sm">
            <Tabs.Tab value="data" data-testid="view-data">Series</Tabs.Tab>
            <Tabs.Tab value="results" disabled={!graph} data-testid="view-results">Results</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="data">
            {dataset ? <SeriesPlot key={dataset.name} series={dataset.series} /> : <Text c="dimmed">Pick an example or drop a CSV on the left.</Text>}
          </Tabs.Panel>
          <Tabs.Panel value="results">
            {graph && <Results graph={graph} truth={truth} threshold={threshold} onThreshold={setThreshold} tab={tab} onTab={setTab} />}
          </Tabs.Panel>
        </Tabs>
      </AppShell.Main>
    </AppShell>
  );
}
