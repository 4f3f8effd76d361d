import { Button, FileButton, Group, Select, Stack, Text } from "@mantine/core";
import { useEffect, useState, type DragEvent } from "react";
import type { GroundTruth } from "@causeway/core";
import { exampleUrl, fetchText, parseDataset, parseTruth, type Dataset, type ExampleInfo } from "../lib/dataset.js";

export interface DataPanelProps {
  dataset: Dataset | null;
  truth: GroundTruth | null;
  onDataset(dataset: Dataset, truth: GroundTruth | null): void;
  onTruth(truth: GroundTruth | null): void;
  onError(message: string | null): void;
}

/** Pick a bundled example, or drop / choose a CSV (and optionally its ground truth). */
export function DataPanel({ dataset, truth, onDataset, onTruth, onError }: DataPanelProps) {
  const [examples, setExamples] = useState<ExampleInfo[]>([]);
  const [example, setExample] = useState<string | null>(null);
  const [over, setOver] = useState(false);

  useEffect(() => {
    fetchText(exampleUrl("index.json"))
      .then((t) => setExamples(JSON.parse(t) as ExampleInfo[]))
      .catch((e: Error) => onError(`cannot list the examples: ${e.message}`));
  }, [onError]);

  const loadExample = async (id: string | null) => {
    setExample(id);
    const ex = examples.find((e) => e.id === id);
    if (!ex) return;
    try {
      const d = parseDataset(ex.csv, await fetchText(exampleUrl(ex.csv)));
      onDataset(d, parseTruth(ex.truth, await fetchText(exampleUrl(ex.truth)), d.series.variables));
      onError(null);
    } catch (e) {
      onError((e as Error).message);
    }
  };

  const loadFile = async (file: File | null) => {
    if (!file) return;
    try {
      onDataset(parseDataset(file.name, await file.text()), null);
      setExample(null);
      onError(null);
    } catch (e) {
      onError((e as Error).message);
    }
  };

  const loadTruth = async (file: File | null) => {
    if (!file || !dataset) return;
    try {
      onTruth(parseTruth(file.name, await file.text(), dataset.series.variables));
      onError(null);
    } catch (e) {
      onError((e as Error).message);
    }
  };

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    void loadFile(e.dataTransfer.files[0] ?? null);
  };

  return (
    <Stack gap="xs">
      <Select
        label="Example"
        placeholder="pick a bundled example"
        data={examples.map((e) => ({ value: e.id, label: e.title }))}
        value={example}
        onChange={(v) => void loadExample(v)}
        data-testid="example-select"
        allowDeselect={false}
        comboboxProps={{ withinPortal: true }}
      />
      <div
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        style={{ border: `2px dashed ${over ? "#1c7ed6" : "#ced4da"}`, borderRadius: 8, padding: 12, textAlign: "center", background: over ? "#e7f5ff" : undefined }}
      >
        <Text size="sm">Drop a CSV or JSON series here</Text>
        <FileButton onChange={(f) => void loadFile(f)} accept=".csv,.json,.txt,text/csv,application/json">
          {(props) => (
            <Button {...props} variant="light" size="xs" mt={6}>
              or choose a file
            </Button>
          )}
        </FileButton>
      </div>
      {dataset && (
        <Text size="xs" data-testid="dataset-summary">
          <b>{dataset.name}</b>: {dataset.series.variables.length} variables × {dataset.series.length} steps
        </Text>
      )}
      <Group gap="xs">
        <FileButton onChange={(f) => void loadTruth(f)} accept=".json,.csv,.txt">
          {(props) => (
            <Button {...props} variant="default" size="xs" disabled={!dataset}>
              Load ground truth
            </Button>
          )}
        </FileButton>
        {truth && (
          <Button variant="subtle" size="xs" onClick={() => onTruth(null)}>
            clear
          </Button>
        )}
      </Group>
      {truth && (
        <Text size="xs" c="dimmed" data-testid="truth-summary">
          truth: {truth.edges.length} edges, max lag {truth.maxLag}
          {truth.summaryOnly ? " (summary only)" : ""}
        </Text>
      )}
    </Stack>
  );
}
