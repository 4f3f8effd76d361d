// The container files at the repository root (Dockerfile, compose.yaml, .dockerignore), checked without
// Docker: the compose services and their environment against the variables the server really reads
// (readConfig, core's run limits), the settings each container gets accepted by readConfig, the image's
// stages, user, healthcheck and entrypoint, and the README's settings table against the same names.
import { readFileSync } from "node:fs";
import { runLimits } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { debugEnabled, readConfig } from "./env.js";
import { checkListenSafety } from "./security.js";

const root = new URL("../../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");

type Yaml = string | Yaml[] | { [key: string]: Yaml };

/**
 * The YAML subset compose.yaml keeps to: block maps, block lists of scalars, flow lists of quoted
 * scalars, plain or quoted scalars, comments. Anything else (anchors, multi-line scalars, flow maps)
 * is an error: keep the file simple, or extend this parser.
 */
function parseSimpleYaml(text: string): Yaml {
  const lines = text
    .split("\n")
    .map((raw, i) => ({ n: i + 1, indent: raw.length - raw.trimStart().length, text: raw.replace(/\s+#.*$|^\s*#.*$/, "").trim() }))
    .filter((l) => l.text !== "");
  let i = 0;
  const scalar = (s: string, n: number): Yaml => {
    if (/^[&*|>{!]/.test(s)) throw new Error(`line ${n}: "${s}" is outside the YAML subset this test reads`);
    if (s.startsWith("[")) {
      if (!s.endsWith("]")) throw new Error(`line ${n}: unterminated flow list`);
      return [...s.slice(1, -1).matchAll(/"((?:[^"\\]|\\.)*)"|([^,\s][^,]*)/g)].map((m) => (m[1] !== undefined ? JSON.parse(`"${m[1]}"`) : m[2].trim()));
    }
    if (s.startsWith('"')) return JSON.parse(s) as string;
    if (s.startsWith("'")) return s.slice(1, -1).replace(/''/g, "'");
    return s;
  };
  const block = (indent: number): Yaml => {
    if (lines[i].text.startsWith("- ")) {
      const list: Yaml[] = [];
      while (i < lines.length && lines[i].indent === indent && lines[i].text.startsWith("- ")) list.push(scalar(lines[i].text.slice(2).trim(), lines[i++].n));
      return list;
    }
    const map: Record<string, Yaml> = {};
    while (i < lines.length && lines[i].indent === indent) {
      const { text: t, n } = lines[i++];
      const m = /^("[^"]+"|[A-Za-z0-9_.-]+):(?:\s+(.*))?$/.exec(t);
      if (!m) throw new Error(`line ${n}: expected "key: value", got "${t}"`);
      const key = m[1].replace(/^"|"$/g, "");
      if (key in map) throw new Error(`line ${n}: duplicate key ${key}`);
      if (m[2] !== undefined) map[key] = scalar(m[2], n);
      else if (i < lines.length && lines[i].indent > indent) map[key] = block(lines[i].indent);
      else map[key] = "";
    }
    if (i < lines.length && lines[i].indent > indent) throw new Error(`line ${lines[i].n}: unexpected indentation`);
    return map;
  };
  const doc = block(0);
  if (i !== lines.length) throw new Error(`line ${lines[i].n}: unexpected indentation`);
  return doc;
}

/** Every CAUSEWAY_* variable the server and its workers read: readConfig, debugEnabled and core's run limits, recorded as they read. */
function variablesRead(): Set<string> {
  const seen = new Set<string>();
  const env = new Proxy({} as Record<string, string | undefined>, { get: (_t, k) => (typeof k === "string" && seen.add(k), undefined) });
  readConfig({}, env);
  debugEnabled(env);
  runLimits({}, env);
  return seen;
}

/** `${NAME:-default}` / `${NAME:?message}` interpolated as compose would with an empty shell environment, plus `given`. */
function interpolate(value: string, given: Record<string, string> = {}): string {
  return value.replace(/\$\{([A-Z_]+)(?::([-?])([^}]*))?\}/g, (_m, name: string, op?: string, arg?: string) => {
    if (given[name] !== undefined) return given[name];
    if (op === "?") throw new Error(`${name} is required: ${arg}`);
    return op === "-" ? (arg ?? "") : "";
  });
}

const compose = parseSimpleYaml(read("compose.yaml")) as Record<string, Record<string, Record<string, Yaml>>>;
const dockerfile = read("Dockerfile");
const services = compose.services;
const envOf = (name: string) => services[name].environment as Record<string, string>;
/** The ENV lines of the Dockerfile's last stage: every container starts with them. */
const imageEnv = Object.fromEntries([...dockerfile.split(/^FROM /m).pop()!.matchAll(/\b(CAUSEWAY_[A-Z_]+)=(\S+)/g)].map((m) => [m[1], m[2]]));

describe("container files", () => {
  it("parses the YAML subset and refuses what it cannot read", () => {
    expect(parseSimpleYaml('a:\n  b: "x y" # c\n  c: ["1", "2"]\n  d:\n    - e\n')).toEqual({ a: { b: "x y", c: ["1", "2"], d: ["e"] } });
    expect(() => parseSimpleYaml("a: &anchor\n  b: 1\n")).toThrow(/line 1: "&anchor" is outside/);
    expect(() => parseSimpleYaml("a: 1\n   b: 2\n")).toThrow(/line 2: unexpected indentation/);
  });

  it("composes Postgres, Redis, one API node and two workers from this image", () => {
    expect(Object.keys(services).sort()).toEqual(["api", "postgres", "redis", "worker-1", "worker-2"]);
    expect(services.api.command).toEqual(["serve"]);
    for (const w of ["worker-1", "worker-2"]) {
      expect(services[w].command).toEqual(["worker"]);
      expect(services[w].image).toBe(services.api.image);
      expect(services[w].healthcheck).toEqual({ disable: "true" }); // a worker listens on no port
      expect(envOf(w).CAUSEWAY_REDIS_URL).toBe(envOf("api").CAUSEWAY_REDIS_URL);
    }
    expect(new URL(envOf("api").CAUSEWAY_REDIS_URL).hostname).toBe("redis");
    const db = new URL(interpolate(envOf("api").CAUSEWAY_DATABASE_URL));
    expect(db.hostname).toBe("postgres");
    const pg = services.postgres.environment as Record<string, string>;
    expect([db.username, decodeURIComponent(db.password), db.pathname.slice(1)]).toEqual([pg.POSTGRES_USER, interpolate(pg.POSTGRES_PASSWORD), pg.POSTGRES_DB]);
    // BullMQ refuses a Redis that may evict its keys
    expect(services.redis.command).toEqual(expect.arrayContaining(["--maxmemory-policy", "noeviction"]));
    // the API refuses to start without its token rather than listen open
    expect(() => interpolate(envOf("api").CAUSEWAY_TOKEN)).toThrow(/CAUSEWAY_TOKEN is required/);
  });

  it("sets only variables the server reads, with values readConfig accepts", () => {
    const known = variablesRead();
    expect(known.size).toBeGreaterThan(20);
    for (const name of ["CAUSEWAY_DATABASE_URL", "CAUSEWAY_REDIS_URL", "CAUSEWAY_TOKEN", "CAUSEWAY_MAX_RUN_FLOPS", "CAUSEWAY_DEBUG"]) expect(known).toContain(name);
    const set = [...Object.keys(imageEnv), ...["api", "worker-1", "worker-2"].flatMap((s) => Object.keys(envOf(s)))];
    for (const name of set.filter((n) => n.startsWith("CAUSEWAY_"))) expect(known, `${name} is read by the server`).toContain(name);
    for (const s of ["api", "worker-1", "worker-2"]) {
      const env = { ...imageEnv, ...Object.fromEntries(Object.entries(envOf(s)).map(([k, v]) => [k, interpolate(v, { CAUSEWAY_TOKEN: "a-long-random-token" })])) };
      const config = readConfig({}, env);
      expect(runLimits({}, env)).toMatchObject({ maxBytes: 4e9, maxFlops: 1e14 });
      expect(config.host).toBe("0.0.0.0");
      if (s === "api") {
        expect(config).toMatchObject({ port: 8080, dataDir: "/data", token: "a-long-random-token", corsOrigin: "", redisUrl: "redis://redis:6379" });
        expect(() => checkListenSafety(config)).not.toThrow(); // 0.0.0.0 with a token
        expect(() => checkListenSafety(readConfig({}, { ...env, CAUSEWAY_TOKEN: "" }))).toThrow(/token/);
      } else expect(config).toMatchObject({ workers: 2, jobTimeoutSeconds: 3600, redisUrl: "redis://redis:6379" });
    }
  });

  it("builds in stages with pnpm, prunes, runs `causeway serve` as a non-root user with a /healthz check", () => {
    const stages = dockerfile.match(/^FROM .+$/gm)!;
    expect(stages.length).toBe(2);
    expect(stages[0]).toMatch(/ AS build$/);
    const pnpm = (JSON.parse(read("package.json")) as { packageManager: string }).packageManager;
    expect(dockerfile).toContain(`npm install --global --no-audit --no-fund ${pnpm}`);
    expect(dockerfile).toMatch(/pnpm install --offline --frozen-lockfile/);
    expect(dockerfile).toMatch(/pnpm turbo run build --filter=@causeway\/server\.\.\./);
    expect(dockerfile).toMatch(/pnpm --filter=@causeway\/server deploy --prod \/out/);
    const runtime = dockerfile.split(/^FROM /m).pop()!;
    expect(runtime).toMatch(/^COPY --from=build \/out \/app$/m);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime.indexOf("USER node")).toBeLessThan(runtime.indexOf("ENTRYPOINT"));
    expect(runtime).toMatch(/^HEALTHCHECK [^]*\/healthz/m);
    expect(runtime).toMatch(/^ENTRYPOINT \["causeway"\]$/m);
    expect(runtime).toMatch(/^CMD \["serve"\]$/m);
    expect(runtime).toContain(`exec node /app/dist/main.js "$@"`);
    // the pruned package ships what the image runs
    const pkg = JSON.parse(read("apps/server/package.json")) as { files: string[]; exports: Record<string, Record<string, string>> };
    expect(pkg.files).toContain("dist");
    expect(pkg.exports["."].default).toBe("./dist/index.js");
    const ignored = read(".dockerignore").split("\n");
    for (const p of [".git", "**/node_modules", "**/dist"]) expect(ignored).toContain(p);
  });

  it("documents every variable in the server README's settings table", () => {
    const readme = read("apps/server/README.md");
    const table = readme.slice(readme.indexOf("## Settings"), readme.indexOf("## ", readme.indexOf("## Settings") + 3));
    for (const name of variablesRead()) if (name !== "CAUSEWAY_DEBUG") expect(table, `${name} in the README's settings table`).toContain(`\`${name}\``);
  });
});
