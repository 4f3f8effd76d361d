import * as tf from "@tensorflow/tfjs-core";
import type { BackendProbe, BackendProvider } from "@causeway/core";

// Minimal typed views of the WebGPU objects used here (no @webgpu/types dependency).

/** GPUAdapterInfo fields used to describe and classify an adapter. */
export interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface GpuDevice {
  destroy(): void;
}
interface GpuAdapter {
  info?: AdapterInfoLike;
  /** Older spelling of `info.isFallbackAdapter`. */
  isFallbackAdapter?: boolean;
}
interface AdapterOptions {
  powerPreference?: "low-power" | "high-performance";
  featureLevel?: "core" | "compatibility";
}
interface Gpu {
  requestAdapter(options?: AdapterOptions): Promise<GpuAdapter | null>;
}
/** The `webgpu` npm package (Dawn's node bindings). */
interface DawnModule {
  create(flags: string[]): Gpu;
  globals: Record<string, unknown>;
}

/** A way to reach a WebGPU adapter through Dawn in Node, tried in this order. */
interface DawnRoute {
  name: string;
  /** `create()` flags of the `webgpu` package. */
  flags: string[];
  /** Merged into every `requestAdapter` call (tfjs asks only for a power preference). */
  options: AdapterOptions;
  /** Platforms where the route can exist. */
  platforms?: readonly string[];
}

const DAWN_ROUTES: readonly DawnRoute[] = [
  // Dawn's default backend (Vulkan on Linux, Metal on macOS, D3D12 on Windows): a real GPU when drivers exist.
  { name: "Dawn default backend", flags: [], options: { powerPreference: "high-performance" } },
  // OpenGL ES through EGL: Mesa's llvmpipe software adapter only shows up at the compatibility feature level.
  {
    name: "Dawn OpenGL ES (EGL)",
    flags: ["backend=opengles"],
    options: { powerPreference: "high-performance", featureLevel: "compatibility" },
    platforms: ["linux"],
  },
];

/** Adapter names of CPU (software) implementations of WebGPU: slower than the wasm backend. */
const SOFTWARE_ADAPTER = /llvmpipe|softpipe|lavapipe|swiftshader|swrast|basic render driver/i;

/** Debian packages that give Dawn Mesa's OpenGL ES software adapter on Linux. */
export const MESA_PACKAGES = ["libegl1", "libegl-mesa0", "libgles2", "libgl1-mesa-dri"] as const;

/** Files those packages provide (relative to a library directory); alternatives separated by `|`. */
const MESA_FILES: readonly { file: string; pkg: (typeof MESA_PACKAGES)[number] }[] = [
  { file: "libEGL.so.1", pkg: "libegl1" },
  { file: "libEGL_mesa.so.0", pkg: "libegl-mesa0" },
  { file: "libGLESv2.so.2", pkg: "libgles2" },
  { file: "dri/swrast_dri.so|dri/libdril_dri.so", pkg: "libgl1-mesa-dri" },
];

const WEBGPU_PACKAGE_HINT = "npm install webgpu@0.6.2 (Dawn's prebuilt WebGPU for Node: linux/macOS/windows x64 and arm64)";
const MESA_HINT = `install Debian packages ${MESA_PACKAGES.join(" ")} for Mesa's software OpenGL ES adapter (as root: .ci/setup-webgpu.sh), or GPU drivers with Vulkan for a real GPU`;

/** True for CPU implementations of WebGPU (llvmpipe, SwiftShader, any fallback adapter). */
export function isSoftwareAdapter(info: AdapterInfoLike | undefined, isFallbackAdapter = false): boolean {
  if (isFallbackAdapter || info?.isFallbackAdapter) return true;
  const names = [info?.vendor, info?.architecture, info?.device, info?.description].filter(Boolean).join(" ");
  return SOFTWARE_ADAPTER.test(names);
}

/** One line naming an adapter, e.g. `OpenGL version OpenGL ES 3.2 Mesa 22.3.6 (llvmpipe-llvm-15-0-6-256-bits-)`. */
export function describeAdapter(info: AdapterInfoLike | undefined): string {
  if (!info) return "unnamed adapter";
  const main = info.description || info.device || "unnamed adapter";
  const extra = [info.vendor, info.architecture, info.device].filter((s) => s && s !== main);
  return extra.length ? `${main} (${extra.join(", ")})` : main;
}

/**
 * Which Mesa files (and their Debian packages) are missing from the library directories.
 * @param dirs library directories to look in, in loader order
 * @param exists file-existence check (injected for tests)
 */
export function missingMesaPackages(dirs: readonly string[], exists: (path: string) => boolean): string[] {
  const missing: string[] = [];
  for (const { file, pkg } of MESA_FILES) {
    const found = file.split("|").some((f) => dirs.some((d) => exists(`${d}/${f}`)));
    if (!found) missing.push(`${file.split("|")[0]} (${pkg})`);
  }
  return missing;
}

function isNode(): boolean {
  return typeof process !== "undefined" && typeof process.versions?.node === "string";
}

/** Whether Linux exposes a GPU: NVIDIA's device node or a DRM render node (`/dev/dri/renderD128`). */
export function linuxGpuDevicePresent(devRoot = "/dev"): boolean {
  // process.getBuiltinModule (Node >= 20.16) keeps node:fs out of browser bundles' static imports
  const fs = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.("node:fs") as
    | { existsSync(path: string): boolean; readdirSync(path: string): string[] }
    | undefined;
  if (!fs) return false;
  try {
    if (fs.existsSync(`${devRoot}/nvidia0`)) return true;
    return fs.readdirSync(`${devRoot}/dri`).some((n) => n.startsWith("renderD"));
  } catch {
    return false;
  }
}

function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0];
}

/** Where a usable adapter was found. */
interface Selection {
  /** Null when `navigator.gpu` was already there (browser, Deno, or a user-installed Dawn). */
  route: DawnRoute | null;
  adapter: string;
  software: boolean;
}

let selection: Selection | null = null;
let dawn: DawnModule | null = null;
/** What this module put on `globalThis.navigator`, so that shutdown can take it off again. */
let installed: { createdNavigator: boolean } | null = null;
/** tfjs's webgpu factory, kept so the backend can be registered again after `shutdown`. */
let savedFactory: ReturnType<typeof tf.findBackendFactory> | null = null;

function navigatorGpu(): Gpu | undefined {
  const nav = (globalThis as { navigator?: { gpu?: Gpu } }).navigator;
  return nav?.gpu ?? undefined;
}

/**
 * Request an adapter (no device: Dawn prints warnings on every device it opens, and a device that
 * fails to open later makes `useBackend` fall back with tfjs's error).
 */
async function findAdapter(gpu: Gpu, options: AdapterOptions): Promise<{ adapter: string; software: boolean } | null> {
  const adapter = await gpu.requestAdapter(options);
  if (!adapter) return null;
  return { adapter: describeAdapter(adapter.info), software: isSoftwareAdapter(adapter.info, adapter.isFallbackAdapter === true) };
}

/** Library directories the dynamic loader searches on Linux (approximately). */
function linuxLibraryDirs(): string[] {
  const triplet = process.arch === "arm64" ? "aarch64-linux-gnu" : process.arch === "x64" ? "x86_64-linux-gnu" : `${process.arch}-linux-gnu`;
  const fromEnv = (process.env.LD_LIBRARY_PATH ?? "").split(":").filter(Boolean);
  return [...fromEnv, `/usr/lib/${triplet}`, `/lib/${triplet}`, "/usr/lib64", "/lib64", "/usr/lib", "/lib"];
}

/** The exact reason no Dawn route gave an adapter, and its fix. */
async function noAdapterProbe(errors: string[]): Promise<BackendProbe> {
  const tried = errors.length ? ` (${errors.join("; ")})` : "";
  if (process.platform !== "linux") {
    return {
      available: false,
      reason: `no WebGPU adapter: Dawn found no GPU through its default backend${tried}`,
      fix: "install or update the GPU drivers (Metal on macOS, D3D12/Vulkan on Windows)",
    };
  }
  const fs = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.("node:fs") as { existsSync(path: string): boolean } | undefined;
  const missing = fs ? missingMesaPackages(linuxLibraryDirs(), (path) => fs.existsSync(path)) : [];
  if (missing.length)
    return { available: false, reason: `no WebGPU adapter: Dawn found no Vulkan GPU and Mesa's OpenGL ES libraries are missing: ${missing.join(", ")}${tried}`, fix: MESA_HINT };
  return {
    available: false,
    reason: `no WebGPU adapter: Dawn found no Vulkan GPU and Mesa's EGL libraries are installed but gave no OpenGL ES 3.1 adapter (EGL_PLATFORM=${process.env.EGL_PLATFORM ?? "unset"})${tried}`,
    fix: "unset EGL_PLATFORM or set it to surfaceless (Mesa then needs no display), and use Mesa 21 or newer",
  };
}

/**
 * Dawn's Node bindings, named by a variable: browser bundlers leave this Node-only import alone
 * (never reached there: a browser has navigator.gpu), so a bundle needs no stub for it.
 */
const DAWN_PACKAGE: string = "webgpu";

async function loadDawn(): Promise<DawnModule> {
  dawn ??= (await import(/* @vite-ignore */ DAWN_PACKAGE)) as DawnModule;
  return dawn;
}

async function probeNode(): Promise<BackendProbe> {
  try {
    await loadDawn();
  } catch (e) {
    const msg = message(e);
    const missing = /Cannot find (module|package)/.test(msg) && /webgpu/.test(msg);
    return {
      available: false,
      reason: missing ? "the `webgpu` package is not installed" : `the \`webgpu\` package failed to load: ${msg}`,
      fix: WEBGPU_PACKAGE_HINT,
    };
  }
  const module = dawn as DawnModule;
  // Mesa's EGL needs no display server with the surfaceless platform (set before Dawn first touches EGL).
  if (process.platform === "linux") process.env.EGL_PLATFORM ??= "surfaceless";
  const found: Selection[] = [];
  const errors: string[] = [];
  for (const route of DAWN_ROUTES) {
    if (route.platforms && !route.platforms.includes(process.platform)) continue;
    try {
      // A fresh Dawn instance per route; nothing is kept, so the probe never holds the process open.
      const opened = await findAdapter(module.create(route.flags), route.options);
      if (opened) found.push({ route, ...opened });
      if (opened && !opened.software) break;
    } catch (e) {
      errors.push(`${route.name}: ${message(e)}`);
    }
  }
  if (found.length === 0) return noAdapterProbe(errors);
  // A hardware adapter wins; among software ones the later route does (llvmpipe on GL runs tfjs ~10x faster
  // than SwiftShader on Vulkan, see platform-facts).
  selection = found.find((f) => !f.software) ?? found[found.length - 1];
  return probeResult(selection);
}

async function probeProvided(gpu: Gpu): Promise<BackendProbe> {
  try {
    const opened = await findAdapter(gpu, { powerPreference: "high-performance" });
    if (!opened)
      return {
        available: false,
        reason: "no WebGPU adapter: navigator.gpu.requestAdapter() returned null (WebGPU disabled or the GPU is blocklisted)",
        fix: "enable WebGPU (headless Chromium: --enable-unsafe-webgpu) or use wasm",
      };
    selection = { route: null, ...opened };
    return probeResult(selection);
  } catch (e) {
    return { available: false, reason: `WebGPU adapter failed: ${message(e)}`, fix: "use wasm" };
  }
}

function probeResult(s: Selection): BackendProbe {
  const via = s.route ? `; ${s.route.name}` : "";
  return {
    available: true,
    fast: !s.software,
    detail: `adapter: ${s.adapter}${via}${s.software ? "; software adapter, slower than wasm: auto skips it" : ""}`,
  };
}

/** Put Dawn's GPU object (and its GPUBufferUsage-style constants) where tfjs-backend-webgpu looks. */
function installNavigatorGpu(module: DawnModule, route: DawnRoute): void {
  const g = globalThis as Record<string, unknown>;
  for (const [key, value] of Object.entries(module.globals)) if (!(key in g)) g[key] = value;
  const gpu = module.create(route.flags);
  // tfjs calls requestAdapter({ powerPreference }) only: add the route's feature level.
  const requestAdapter = (options?: AdapterOptions) =>
    gpu.requestAdapter({ ...route.options, ...options, ...(route.options.featureLevel ? { featureLevel: route.options.featureLevel } : {}) });
  const wrapped = new Proxy(gpu as object, {
    get(target, key) {
      if (key === "requestAdapter") return requestAdapter;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const existing = g.navigator as Record<string, unknown> | undefined;
  if (existing && typeof existing === "object") {
    Object.defineProperty(existing, "gpu", { value: wrapped, configurable: true, writable: true });
    installed = { createdNavigator: false };
  } else {
    Object.defineProperty(g, "navigator", { value: { gpu: wrapped }, configurable: true, writable: true });
    installed = { createdNavigator: true };
  }
}

function uninstallNavigatorGpu(): void {
  if (!installed) return;
  const g = globalThis as Record<string, unknown>;
  if (installed.createdNavigator) delete g.navigator;
  else delete (g.navigator as Record<string, unknown> | undefined)?.gpu;
  installed = null;
}

/** tfjs engine internals read here: the initialised backend instances. */
interface EngineInternals {
  registry: Record<string, { device?: GpuDevice } | undefined>;
}

/**
 * WebGPU (tfjs-backend-webgpu): the browser's `navigator.gpu`, or in Node Dawn through the optional
 * `webgpu` package, trying Dawn's default backend (a real GPU through Vulkan/Metal/D3D12) and then
 * OpenGL ES through Mesa's EGL (`llvmpipe`, a software adapter). Software adapters are marked
 * `fast: false` so that `auto` prefers wasm. Nothing here holds Node's event loop open; call
 * `shutdownBackends()` to release the device early.
 */
export const webgpuProvider: BackendProvider = {
  name: "webgpu",
  description: "WebGPU kernels (@tensorflow/tfjs-backend-webgpu; Node: Dawn through the `webgpu` package)",
  async probe() {
    const provided = navigatorGpu();
    if (provided && !installed) return probeProvided(provided);
    if (!isNode()) return { available: false, reason: "this runtime has no WebGPU (navigator.gpu is undefined)", fix: "use a browser with WebGPU, or wasm" };
    return probeNode();
  },
  autoProbe() {
    // A browser's navigator.gpu costs nothing to ask. In Node the probe loads Dawn, whose driver
    // warnings are noise where it could only find a software adapter (which auto skips anyway):
    // on Linux, auto tries it only when the machine has a GPU device node.
    if (!isNode() || navigatorGpu() !== undefined) return true;
    return process.platform !== "linux" || linuxGpuDevicePresent();
  },
  async register() {
    if (tf.findBackendFactory("webgpu")) return;
    const route = selection?.route;
    if (route && !installed) installNavigatorGpu(await loadDawn(), route);
    // tfjs-backend-webgpu registers its factory on import, and only when navigator.gpu exists then.
    await import("@tensorflow/tfjs-backend-webgpu");
    if (!tf.findBackendFactory("webgpu") && savedFactory) tf.registerBackend("webgpu", savedFactory, 3);
    if (!tf.findBackendFactory("webgpu"))
      throw new Error("@tensorflow/tfjs-backend-webgpu was imported before navigator.gpu existed, so it did not register; let useBackend(\"webgpu\") import it");
    savedFactory = tf.findBackendFactory("webgpu");
  },
  async shutdown() {
    if (tf.findBackendFactory("webgpu")) {
      const backend = (tf.engine() as unknown as EngineInternals).registry.webgpu;
      // Disposes tfjs's buffers and forgets the backend; register() can bring it back.
      tf.removeBackend("webgpu");
      backend?.device?.destroy();
    }
    uninstallNavigatorGpu();
  },
};
