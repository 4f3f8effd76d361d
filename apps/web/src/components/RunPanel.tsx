import { Alert, Button, Collapse, Group, NumberInput, PasswordInput, Progress, SegmentedControl, Select, Stack, Switch, Text, TextInput } from "@mantine/core";
import type { BackendChoice, BackendStatus, Budget, BudgetName, CausalGraph, ParamSpec, ProgressEvent } from "@causeway/core";
import { timeText } from "../lib/progress-text.js";
import { useEffect, useRef, useState } from "react";
import type { Dataset } from "../lib/dataset.js";
import { cancelJob, describeServer, fetchGraph, followJob, submitJob, uploadDataset, type ServerTarget } from "../lib/server-client.js";
import { CancelledError, type LocalRunner } from "../lib/worker-client.js";
import type { MethodInfo } from "../worker/protocol.js";

/** Backends in the order the viewer offers them in the browser: the GPU first. */
const BROWSER_BACKENDS: readonly BackendChoice[] = ["webgpu", "wasm", "cpu"];
/** On a server: its own choice first, then each backend it reports. */
const SERVER_BACKENDS: readonly BackendChoice[] = ["auto", "cuda", "webgpu", "wasm", "cpu"];

export interface RunPanelProps {
  dataset: Dataset | null;
  runner: LocalRunner;
  onGraph(graph: CausalGraph): void;
}

function ParamInput({ spec, value, onChange }: { spec: ParamSpec; value: unknown; onChange(v: unknown): void }) {
  const common = { label: spec.name, description: spec.description, "data-testid": `param-${spec.name}` };
  if (spec.type === "boolean") return <Switch {...common} checked={Boolean(value)} onChange={(e) => onChange(e.currentTarget.checked)} />;
  if (spec.type === "string" && spec.choices) return <Select {...common} data={spec.choices} value={String(value)} onChange={(v) => onChange(v)} allowDeselect={false} />;
  if (spec.type === "string") return <TextInput {...common} value={String(value)} onChange={(e) => onChange(e.currentTarget.value)} />;
  return (
    <NumberInput
      {...common}
      value={value as number}
      min={spec.min}
      max={spec.max}
      allowDecimal={spec.type === "number"}
      onChange={(v) => onChange(typeof v === "number" ? v : Number(v))}
    />
  );
}

/** How many parameters differ from their defaults. */
function changed(specs: ParamSpec[], values: Record<string, unknown>): number {
  return specs.filter((p) => values[p.name] !== undefined && values[p.name] !== p.default).length;
}

/** One line about a finished run: "tcdf on wasm: 7 edges", "var (no tensors) on http://...: 13 edges". */
export function runSummary(graph: CausalGraph, serverUrl: string | null): string {
  const backend = graph.meta.backend === "none" ? " (no tensors)" : ` on ${graph.meta.backend}`;
  return `${graph.method}${backend}${serverUrl ? ` at ${serverUrl}` : ""}: ${graph.edges.length} edges`;
}

/** The option list of the backend select, with why a backend is unavailable. */
function backendOptions(order: readonly BackendChoice[], statuses: BackendStatus[]) {
  return order
    .map((name) => ({ name, s: statuses.find((b) => b.name === name) }))
    .filter(({ name, s }) => name === "auto" || s || order === BROWSER_BACKENDS)
    .map(({ name, s }) => {
      const why = s && !s.available ? ` — unavailable: ${s.reason ?? "unknown"}` : s?.fast === false ? " (software adapter, slow)" : "";
      return { value: name, label: `${name}${why}`, disabled: !!s && !s.available };
    });
}

/** The budget select's choices (a method that trains only): none, the named presets, a few wall-clock budgets. */
const BUDGET_CHOICES = [
  { value: "", label: "none (the params as set)" },
  { value: "fast", label: "fast" },
  { value: "default", label: "default" },
  { value: "thorough", label: "thorough" },
  { value: "30", label: "30 s" },
  { value: "120", label: "2 min" },
  { value: "600", label: "10 min" },
];

/** A budget choice as the run takes it: a name, seconds, or none. */
function budgetOf(choice: string): Budget | undefined {
  return choice === "" ? undefined : /^\d+$/.test(choice) ? Number(choice) : (choice as BudgetName);
}

/**
 * The params a run sends: with a budget, only those changed from their defaults, so the budget's
 * preset sets the rest (a param sent explicitly wins over the preset).
 */
function sentParams(specs: ParamSpec[], params: Record<string, unknown>, budget: Budget | undefined): Record<string, unknown> {
  if (budget === undefined) return params;
  return Object.fromEntries(Object.entries(params).filter(([k, v]) => v !== specs.find((p) => p.name === k)?.default));
}

/** Choose a method, backend and settings; run in the browser's worker or on a server. */
export function RunPanel({ dataset, runner, onGraph }: RunPanelProps) {
  const [local, setLocal] = useState<{ methods: MethodInfo[]; backends: BackendStatus[] }>({ methods: [], backends: [] });
  const [remote, setRemote] = useState<{ methods: MethodInfo[]; backends: BackendStatus[] } | null>(null);
  const [mode, setMode] = useState<"browser" | "server">("browser");
  const [method, setMethod] = useState<string | null>("var");
  const [backend, setBackend] = useState<BackendChoice | null>(null);
  const [maxLag, setMaxLag] = useState(3);
  const [seed, setSeed] = useState(0);
  const [params, setParams] = useState<Record<string, unknown>>({});
  const [budgetChoice, setBudgetChoice] = useState("");
  const [server, setServer] = useState<ServerTarget>({ url: "http://127.0.0.1:8080", token: "" });
  const [connecting, setConnecting] = useState(false);
  const [showParams, setShowParams] = useState(false);
  const [running, setRunning] = useState(false);
  const [runs, setRuns] = useState(0);
  const [progress, setProgress] = useState<ProgressEvent | null>(null);
  const [status, setStatus] = useState<{ kind: "error" | "info"; text: string } | null>(null);
  const cancelRef = useRef<(() => void) | null>(null);
  const startedRef = useRef(0); // when the current run started (ms), for the ETA

  useEffect(() => {
    void runner.describe().then(setLocal);
  }, [runner]);

  const lists = mode === "server" ? (remote ?? { methods: [], backends: [] }) : local;
  const order = mode === "server" ? SERVER_BACKENDS : BROWSER_BACKENDS;
  const options = backendOptions(order, lists.backends);

  // Keep the method and backend valid for the lists shown; by default the fastest available
  // backend in the viewer's order (a software WebGPU adapter is offered, not picked).
  useEffect(() => {
    const names = lists.methods.map((m) => m.name);
    if (names.length && !names.includes(method ?? "")) setMethod(names.includes("var") ? "var" : names[0]);
    const usable = (name: BackendChoice) => name === "auto" || lists.backends.some((s) => s.name === name && s.available && s.fast !== false);
    if (lists.backends.length && !options.some((o) => o.value === backend && !o.disabled)) setBackend(order.find(usable) ?? "cpu");
  }, [lists, mode]);

  const spec = lists.methods.find((m) => m.name === method);
  useEffect(() => {
    setParams(Object.fromEntries((spec?.params ?? []).map((p) => [p.name, p.default])));
    if (!spec?.budgets) setBudgetChoice("");
  }, [spec]);
  const budget = spec?.budgets ? budgetOf(budgetChoice) : undefined;

  const connect = async () => {
    setConnecting(true);
    setStatus(null);
    try {
      const info = await describeServer(server);
      setRemote(info);
      setStatus({ kind: "info", text: `connected to ${server.url}: ${info.methods.length} methods` });
    } catch (e) {
      setRemote(null);
      setStatus({ kind: "error", text: (e as Error).message });
    } finally {
      setConnecting(false);
    }
  };

  const start = async () => {
    if (!dataset || !method || !backend) return;
    setRunning(true);
    startedRef.current = Date.now();
    setProgress(null);
    setStatus(null);
    const t0 = performance.now();
    try {
      let graph: CausalGraph;
      if (mode === "browser") {
        const handle = runner.run({ series: dataset.series, method, backend, maxLag, seed, params: sentParams(spec?.params ?? [], params, budget), ...(budget !== undefined ? { budget } : {}) }, setProgress);
        cancelRef.current = handle.cancel;
        graph = await handle.result;
      } else {
        const controller = new AbortController();
        cancelRef.current = () => controller.abort();
        setStatus({ kind: "info", text: `uploading ${dataset.name}…` });
        const datasetId = await uploadDataset(server, dataset.text, dataset.name);
        if (controller.signal.aborted) throw new CancelledError("before the job was submitted");
        const job = await submitJob(server, { dataset: datasetId, method, maxLag, seed, backend, params: sentParams(spec?.params ?? [], params, budget), ...(budget !== undefined ? { budget } : {}) });
        cancelRef.current = () => {
          void cancelJob(server, job.id);
          controller.abort();
        };
        setStatus({ kind: "info", text: `job ${job.id} ${job.state}` });
        const final = await followJob(server, job.id, setProgress, controller.signal).catch((e: Error) => {
          if (controller.signal.aborted) throw new CancelledError(`job ${job.id} cancelled`);
          throw e;
        });
        if (final.state === "cancelled") throw new CancelledError(`job ${job.id} cancelled${final.error ? `: ${final.error}` : ""}`);
        if (final.state !== "succeeded") throw new Error(`job ${job.id} ${final.state}${final.error ? `: ${final.error}` : ""}`);
        graph = await fetchGraph(server, job.id);
      }
      onGraph(graph);
      setStatus({ kind: "info", text: `${runSummary(graph, mode === "server" ? server.url : null)} in ${((performance.now() - t0) / 1000).toFixed(2)} s` });
    } catch (e) {
      const err = e as Error;
      setStatus({ kind: err instanceof CancelledError ? "info" : "error", text: err instanceof CancelledError ? `cancelled: ${err.message}` : err.message });
    } finally {
      cancelRef.current = null;
      setRunning(false);
      setRuns((n) => n + 1);
    }
  };

  return (
    <Stack gap="xs" data-testid="run-panel" data-runs={runs} data-state={running ? "running" : "idle"}>
      <SegmentedControl
        value={mode}
        onChange={(v) => {
          setMode(v as "browser" | "server");
          setStatus(null);
        }}
        disabled={running}
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
          <Button variant="light" size="xs" onClick={() => void connect()} loading={connecting} disabled={running} data-testid="connect">
            {remote ? "Reconnect" : "Connect"}
          </Button>
          {!remote && <Text size="xs" c="dimmed">Connect to list the server&apos;s methods and backends (`causeway serve`).</Text>}
        </>
      )}
      <Select
        label="Method"
        data={lists.methods.map((m) => ({ value: m.name, label: m.name }))}
        value={method}
        onChange={setMethod}
        data-testid="method-select"
        allowDeselect={false}
        comboboxProps={{ withinPortal: true }}
      />
      {spec && <Text size="xs" c="dimmed">{spec.description}</Text>}
      <Select
        label="Backend"
        data={options}
        value={backend}
        onChange={(v) => setBackend(v as BackendChoice | null)}
        data-testid="backend-select"
        allowDeselect={false}
        comboboxProps={{ withinPortal: true }}
      />
      <Group grow>
        <NumberInput label="Max lag" min={1} max={50} value={maxLag} onChange={(v) => setMaxLag(Number(v) || 1)} data-testid="max-lag" />
        <NumberInput label="Seed" min={0} value={seed} onChange={(v) => setSeed(Number(v) || 0)} data-testid="seed" />
      </Group>
      {spec?.budgets && (
        <Select
          label="Training budget"
          description="presets of the epoch and iteration params (params you change win), or a time limit"
          data={BUDGET_CHOICES}
          value={budgetChoice}
          onChange={(v) => setBudgetChoice(v ?? "")}
          data-testid="budget-select"
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
      )}
      {spec && spec.params.length > 0 && (
        <>
          <Button variant="subtle" size="xs" onClick={() => setShowParams((o) => !o)} data-testid="params-toggle" data-open={showParams} style={{ alignSelf: "start" }}>
            {showParams ? "▾" : "▸"} {spec.params.length} method parameters{changed(spec.params, params) ? ` (${changed(spec.params, params)} changed)` : ""}
          </Button>
          <Collapse in={showParams}>
            <Stack gap="xs">
              {spec.params.map((p) => (
                <ParamInput key={p.name} spec={p} value={params[p.name] ?? p.default} onChange={(v) => setParams({ ...params, [p.name]: v })} />
              ))}
            </Stack>
          </Collapse>
        </>
      )}
      <Group grow>
        <Button onClick={() => void start()} loading={running} disabled={!dataset || !spec || !backend} data-testid="run">
          Run
        </Button>
        <Button variant="outline" color="red" onClick={() => cancelRef.current?.()} disabled={!running} data-testid="cancel">
          Cancel
        </Button>
      </Group>
      {running && (
        <Stack gap={2}>
          <Progress value={(progress?.fraction ?? 0) * 100} animated data-testid="progress" data-fraction={progress?.fraction ?? 0} />
          <Text size="xs" c="dimmed" data-testid="progress-text">
            {progress ? `${progress.stage} ${Math.round(progress.fraction * 100)}%${progress.total ? ` (${progress.step}/${progress.total})` : ""}${timeText(progress.fraction, startedRef.current)}` : "starting…"}
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
