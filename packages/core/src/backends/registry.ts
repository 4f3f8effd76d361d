import * as tf from "@tensorflow/tfjs-core";
import { InputError } from "../errors.js";
import { cpuProvider } from "./cpu.js";

export type BackendName = "cpu" | "wasm" | "webgpu" | "cuda";
export type BackendChoice = BackendName | "auto";

/** Every backend name, in the order `auto` prefers them when they are fast. */
export const BACKEND_NAMES: readonly BackendName[] = ["cuda", "webgpu", "wasm", "cpu"];

/**
 * The package that provides each backend other than the built-in `cpu`. Importing it once
 * registers its provider (`registerBackendProvider`); until then the backend is unavailable with
 * a fix naming the package.
 */
export const BACKEND_PACKAGES: Readonly<Record<Exclude<BackendName, "cpu">, string>> = {
  wasm: "@causeway/backend-wasm",
  webgpu: "@causeway/backend-webgpu",
  cuda: "@causeway/backend-cuda",
};

/** Result of checking whether a backend can run here. */
export interface BackendProbe {
  available: boolean;
  /** Why it is not available (exact error), when it is not. */
  reason?: string;
  /** How to make it available. */
  fix?: string;
  /** Details such as the GPU adapter or SIMD support. */
  detail?: string;
  /**
   * False when it runs but is known to be slower than `wasm` here (a software GPU adapter):
   * `auto` then skips it.
   */
  fast?: boolean;
}

/** One backend: how to check it and how to register it with the TensorFlow.js engine. */
export interface BackendProvider {
  name: BackendName;
  description: string;
  /** Name the backend registers under in TensorFlow.js, when it differs from `name`. */
  tfName?: string;
  /** Check availability without changing the active backend. Cached by the registry. */
  probe(): Promise<BackendProbe>;
  /**
   * False when probing would load a heavy native stack that was not asked for (Dawn and its
   * Vulkan/GL drivers in Node): `auto` then skips the backend unless it was already probed.
   */
  autoProbe?(): boolean;
  /** Register the tfjs backend (idempotent). Called only after a successful probe. */
  register(): Promise<void>;
  /** Release native resources (GPU device, driver instance); `register` must work again afterwards. */
  shutdown?(): Promise<void>;
}

/** The registered providers: cpu is built in, the others register when their package is imported. */
const providers = new Map<BackendName, BackendProvider>([["cpu", cpuProvider]]);

const probes = new Map<BackendName, Promise<BackendProbe>>();
let active: BackendName | null = null;
let gradientsLoaded: Promise<void> | null = null;

/** Raised when a backend cannot be used here; the message says why and how to fix it. */
export class BackendUnavailableError extends InputError {
  override name = "BackendUnavailableError";
}

/**
 * Make a backend available: each backend package (`@causeway/backend-wasm`, `-webgpu`, `-cuda`)
 * calls this once when it is imported. Registering the same provider again does nothing; another
 * provider for the same name replaces it (and its cached probe).
 */
export function registerBackendProvider(provider: BackendProvider): void {
  if (!(BACKEND_NAMES as readonly string[]).includes(provider.name))
    throw new InputError(`cannot register backend "${provider.name}": valid backend names are ${[...BACKEND_NAMES].reverse().join(", ")}`);
  if (providers.get(provider.name) === provider) return;
  if (provider.name === "cpu") throw new InputError(`the cpu backend is built into @causeway/core and cannot be replaced`);
  providers.set(provider.name, provider);
  probes.delete(provider.name);
}

/** The probe of a backend whose package has not registered it (not cached: an import may follow). */
function unregisteredProbe(name: Exclude<BackendName, "cpu">): BackendProbe {
  const pkg = BACKEND_PACKAGES[name];
  return { available: false, reason: `${pkg} is not installed or not imported`, fix: `install ${pkg} and import it once (import "${pkg}")` };
}

/** The tfjs name a backend registers under. */
function tfNameOf(name: BackendName): string {
  return providers.get(name)?.tfName ?? (name === "cuda" ? "tensorflow" : name);
}

function checkName(name: string): BackendName | "auto" {
  if (name === "auto" || (BACKEND_NAMES as readonly string[]).includes(name)) return name as BackendChoice;
  throw new InputError(`unknown backend "${name}"; valid backends: auto, ${[...BACKEND_NAMES].reverse().join(", ")}`);
}

/** Probe one backend (cached for the process). */
export function probeBackend(name: BackendName): Promise<BackendProbe> {
  const provider = providers.get(name);
  if (!provider) return Promise.resolve(unregisteredProbe(name as Exclude<BackendName, "cpu">));
  let p = probes.get(name);
  if (!p) {
    p = provider.probe().catch((e: unknown): BackendProbe => {
      const reason = e instanceof Error ? e.message : String(e);
      const missing = missingPackage(reason);
      return missing ? { available: false, reason, fix: `install ${missing}` } : { available: false, reason };
    });
    probes.set(name, p);
  }
  return p;
}

export interface BackendStatus extends BackendProbe {
  name: BackendName;
  description: string;
}

/**
 * Every backend with "available" or the exact reason it is not (for `causeway backends`); a
 * backend whose package is not imported is listed with the package to install.
 */
export async function listBackends(): Promise<BackendStatus[]> {
  const out: BackendStatus[] = [];
  for (const name of [...BACKEND_NAMES].reverse()) {
    const description = providers.get(name)?.description ?? `not registered: provided by ${BACKEND_PACKAGES[name as Exclude<BackendName, "cpu">]}`;
    out.push({ name, description, ...(await probeBackend(name)) });
  }
  return out;
}

/**
 * Resolve `auto` to the fastest available backend here. In Node on Linux, `auto` considers webgpu
 * only where a GPU device node exists (`/dev/nvidia0`, `/dev/dri/renderD*`) or it was probed
 * already: elsewhere probing would load Dawn just to find a software adapter, printing driver
 * warnings. Ask for `webgpu` by name to use it anyway. In a browser with `navigator.gpu` it does.
 */
export async function resolveBackend(choice: string = "auto"): Promise<BackendName> {
  const name = checkName(choice);
  if (name !== "auto") {
    const probe = await probeBackend(name);
    if (!probe.available)
      throw new BackendUnavailableError(`backend "${name}" is not available: ${probe.reason ?? "unknown reason"}${probe.fix ? `. Fix: ${probe.fix}` : ""}`);
    return name;
  }
  for (const candidate of BACKEND_NAMES) {
    const provider = providers.get(candidate);
    if (!provider) continue;
    // the WebGPU stack (Dawn) loads only when webgpu is asked for by name (or was probed already)
    if (provider.autoProbe?.() === false && !probes.has(candidate)) continue;
    const probe = await probeBackend(candidate);
    if (probe.available && probe.fast !== false) return candidate;
  }
  return "cpu";
}

/**
 * The npm package a "Cannot find package/module 'x'" error names, when it is a tfjs package (a
 * backend's, or the umbrella, core's optional peer) or Dawn's `webgpu`. Internal; exported for tests.
 */
export function missingPackage(message: string): string | undefined {
  const m = /Cannot find (?:package|module) '((?:@tensorflow\/tfjs[\w-]*)|webgpu)/.exec(message);
  return m?.[1];
}

/**
 * Load TensorFlow.js's gradient definitions once (tfjs-core's Node build registers none; its
 * ESM `register_all_gradients` cannot be imported from Node). They come from the
 * `@tensorflow/tfjs` umbrella, an optional peer dependency: packages that train (`tf.grad`,
 * optimizers) depend on it. Without it, forward computation works and training reports
 * "gradient function not found"; install `@tensorflow/tfjs` then.
 */
export function ensureGradients(): Promise<void> {
  gradientsLoaded ??= import("@tensorflow/tfjs").then(
    () => undefined,
    (e: unknown) => {
      if (!missingPackage(e instanceof Error ? e.message : String(e))) throw e;
    },
  );
  return gradientsLoaded;
}

/**
 * Make `choice` the active TensorFlow.js backend (with gradients) and return its name.
 * There is one tfjs engine per process: all packages share it through the tfjs-core peer dependency.
 */
export async function useBackend(choice: string = "auto"): Promise<BackendName> {
  const name = await resolveBackend(choice);
  await ensureGradients();
  // resolveBackend returned a registered backend
  const provider = providers.get(name) as BackendProvider;
  const tfName = tfNameOf(name);
  if (active === name && tf.getBackend() === tfName) return name;
  try {
    await provider.register();
  } catch (e) {
    const missing = missingPackage(e instanceof Error ? e.message : String(e));
    if (missing) throw new BackendUnavailableError(`backend "${name}" needs ${missing}, which is not installed; install it`);
    throw e;
  }
  const ok = await tf.setBackend(tfName);
  // tf.getBackend() still reports the name after a failed init, with no backend behind it:
  // trust the return value and switch back to the previous backend.
  if (!ok) {
    const previous = active ?? "cpu";
    await (providers.get(previous) ?? cpuProvider).register();
    await tf.setBackend(tfNameOf(previous));
    throw new BackendUnavailableError(`backend "${name}" failed to initialise in TensorFlow.js (see the warning above)`);
  }
  await tf.ready();
  active = name;
  return name;
}

/**
 * The backend tensor code runs on now, switching nothing: the one `useBackend` made active or,
 * before any choice, TensorFlow.js's own default (cpu in Node), set up through its provider so
 * that its kernels and gradients are in place. A backend the registry does not know (webgl in a
 * browser) is returned by its tfjs name. Methods use it when the caller passes no backend.
 */
export async function currentBackend(): Promise<string> {
  await ensureGradients();
  await tf.ready();
  const tfName = tf.getBackend();
  if (active !== null && tfNameOf(active) === tfName) return active;
  const name = BACKEND_NAMES.find((n) => providers.has(n) && tfNameOf(n) === tfName);
  return name ? useBackend(name) : tfName;
}

/** The backend chosen by the last `useBackend` call, or null before any. */
export function activeBackend(): BackendName | null {
  return active;
}

/**
 * Release native backend resources (the WebGPU device and Dawn instance) so that a Node process
 * can exit promptly. Tensors on those backends become invalid; a later `useBackend` starts afresh.
 */
export async function shutdownBackends(): Promise<void> {
  for (const name of BACKEND_NAMES) await providers.get(name)?.shutdown?.();
  if (active && tf.getBackend() !== tfNameOf(active)) active = null;
}
