import { Alert, Button, Group, NumberInput, PasswordInput, Progress, SegmentedControl, Select, Stack, Switch, Text, TextInput } from "@mantine/core";
import type { BackendName, BackendStatus, CausalGraph, ParamSpec, ProgressEvent } from "@causeway/core";
import { useEffect, useRef, useState } from "react";
import type { Dataset } from "../lib/dataset.js";
import { cancelJob, fetchGraph, followJob, submitJob, uploadDataset, type ServerTarget } from "../lib/server-client.js";
import { CancelledError, type LocalRunner } from "../lib/worker-client.js";
import type { MethodInfo } from "../worker/protocol.js";

/** Backends in the order the viewer offers them: the GPU first. */
const BACKEND_ORDER: readonly BackendName[] = ["webgpu", "wasm", "cpu"];

export interface RunPanelProps {
  dataset: Dataset | null;
  runner: LocalRunner;
  onGraph(graph: CausalGraph): void;
}

function ParamInput({ spec, value, onChange }: { spec: ParamSpec; value: unknown; onChange(v: unknown): void }) {
  const label = spec.name;
  if (spec.type === "boolean") return <Switch label={label} description={spec.description} checked={Boolean(value)} onChange={(e) => onChange(e.currentTarget.checked)} />;
  if (spec.type === "string" && spec.choices) return <Select label={label} description={spec.description} data={spec.choices} value={String(value)} onChange={(v) => onChange(v)} />;
  if (spec.type === "string") return <TextInput label={label} description={spec.description} value={String(value)} onChange={(e) => onChange(e.currentTarget.value)} />;
  return (
    <NumberInput
      label={label}
      description={spec.description}
      value={value as number}
      min={spec.min}
      max={spec.max}
      allowDecimal={spec.type === "number"}
      onChange={(v) => onChange(typeof v === "number" ? v : Number(v))}
    />
  );
}

/** Choose a method, backend and settings; run in the browser's worker or on a server. */
export function RunPanel({ dataset, runner, onGraph }: RunPanelProps) {
  const [methods, setMethods] = useState<MethodInfo[]>([]);
  const [backends, setBackends] = useState<BackendStatus[]>([]);
  const [mode, setMode] = useState<"browser" | "server">("browser");
  const [method, setMethod] = useState<string | null>("var");
  const [backend, setBackend] = useState<BackendName | null>(null);
  const [maxLag, setMaxLag] = useState(3);
  const [seed, setSeed] = useState(0);
  const [params, setParams] = useState<Record<string, unknown>>({});
  const [server, setServer] = useState<ServerTarget>({ url: "http://127.0.0.1:8080", token: "" });
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<ProgressEvent | null>(null);
  const [status, setStatus] = useState<{ kind: "error" | "info"; text: string } | null>(null);
  const cancelRef = useRef<(() => void) | null>(null);

  useEffect(() => {
    void runner.describe().then(({ methods: m, backends: b }) => {
      setMethods(m);
      setBackends(b);
      // The fastest available backend, in the viewer's order (a software WebGPU adapter still counts).
      const first = BACKEND_ORDER.find((n) => b.some((s) => s.name === n && s.available && s.fast !== false)) ?? "cpu";
      setBackend((cur) => cur ?? first);
    });
  }, [runner]);

  const spec = methods.find((m) => m.name === method);
  useEffect(() => {
    setParams(Object.fromEntries((spec?.params ?? []).map((p) => [p.name, p.default])));
  }, [spec]);

  const start = async () => {
    if (!dataset || !method || !backend) return;
    setRunning(true);
    setProgress(null);
    setStatus(null);
    const t0 = performance.now();
    try {
      let graph: CausalGraph;
      if (mode === "browser") {
        const handle = runner.run({ series: dataset.series, method, backend, maxLag, seed, params }, setProgress);
        cancelRef.current = handle.cancel;
        graph = await handle.result;
      } else {
        const controller = new AbortController();
        setStatus({ kind: "info", text: `uploading ${dataset.name}…` });
        const datasetId = await uploadDataset(server, dataset.text, dataset.name);
        const job = await submitJob(server, { dataset: datasetId, method, maxLag, seed, backend, params });
        cancelRef.current = () => {
          void cancelJob(server, job.id);
          controller.abort();
        };
        setStatus({ kind: "info", text: `job ${job.id} ${job.state}` });
        const final = await followJob(server, job.id, setProgress, controller.signal).catch((e: Error) => {
          if (controller.signal.aborted) throw new CancelledError(`job ${job.id} cancelled`);
          throw e;
        });
        if (final.state !== "succeeded") throw new Error(`job ${job.id} ${final.state}${final.error ? `: ${final.error}` : ""}`);
        graph = await fetchGraph(server, job.id);
      }
      onGraph(graph);
      setStatus({ kind: "info", text: `${graph.method} on ${graph.meta.backend}: ${graph.edges.length} edges in ${((performance.now() - t0) / 1000).toFixed(2)} s` });
    } catch (e) {
      const err = e as Error;
      setStatus({ kind: err instanceof CancelledError ? "info" : "error", text: err instanceof CancelledError ? `cancelled: ${err.message}` : err.message });
    } finally {
      cancelRef.current = null;
      setRunning(false);
    }
  };

  const backendOptions = BACKEND_ORDER.map((name) => {
    const s = backends.find((b) => b.name === name);
    const why = s && !s.available ? ` — unavailable: ${s.reason ?? "unknown"}` : s?.fast === false ? " (software adapter, slow)" : "";
    return { value: name, label: `${name}${why}`, disabled: mode === "browser" && !!s && !s.available };
  });

  return (
    <Stack gap="xs">
      <SegmentedControl
        value={mode}
        onChange={(v) => setMode(v as "browser" | "server")}
        data={[
          { value: "browser", label: "In this browser" },
          { value: "server", label: "On a server" },
        ]}
        data-testid="mode"
      />
      {mode === "server" && (
        <>
          <TextInput label="Server URL" value={server.url} onChange={(e) => setServer({ ...server, url: e.currentTarget.value })} data-testid="server-url" />
          <PasswordInput label="Token" placeholder="none" value={server.token} onChange={(e) => setServer({ ...server, token: e.currentTarget.value })} data-testid="server-token" />
        </>
      )}
      <Select
        label="Method"
        data={methods.map((m) => ({ value: m.name, label: m.name }))}
        value={method}
        onChange={setMethod}
        data-testid="method-select"
        allowDeselect={false}
        comboboxProps={{ withinPortal: true }}
      />
      {spec && <Text size="xs" c="dimmed">{spec.description}</Text>}
      <Select label="Backend" data={backendOptions} value={backend} onChange={(v) => setBackend(v as BackendName | null)} data-testid="backend-select" allowDeselect={false}
        comboboxProps={{ withinPortal: true }} />
      <Group grow>
        <NumberInput label="Max lag" min={1} max={50} value={maxLag} onChange={(v) => setMaxLag(Number(v) || 1)} data-testid="max-lag" />
        <NumberInput label="Seed" min={0} value={seed} onChange={(v) => setSeed(Number(v) || 0)} data-testid="seed" />
      </Group>
      {spec?.params.map((p) => <ParamInput key={p.name} spec={p} value={params[p.name] ?? p.default} onChange={(v) => setParams({ ...params, [p.name]: v })} />)}
      <Group grow>
        <Button onClick={() => void start()} loading={running} disabled={!dataset || !method || !backend} data-testid="run">
          Run
        </Button>
        <Button variant="outline" color="red" onClick={() => cancelRef.current?.()} disabled={!running} data-testid="cancel">
          Cancel
        </Button>
      </Group>
      {running && (
        <Stack gap={2}>
          <Progress value={(progress?.fraction ?? 0) * 100} animated data-testid="progress" />
          <Text size="xs" c="dimmed">
            {progress ? `${progress.stage} ${Math.round(progress.fraction * 100)}%${progress.total ? ` (${progress.step}/${progress.total})` : ""}` : "starting…"}
          </Text>
        </Stack>
      )}
      {status && (
        <Alert color={status.kind === "error" ? "red" : "blue"} p="xs" data-testid={status.kind === "error" ? "run-error" : "run-status"}>
          <Text size="xs">{status.text}</Text>
        </Alert>
      )}
    </Stack>
  );
}
