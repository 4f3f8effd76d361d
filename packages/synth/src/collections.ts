import { InputError } from "@causeway/core";
import { generateBold, type BoldOptions } from "./bold.js";
import { generateConfounded, type ConfoundedOptions } from "./confounded.js";
import { generateKuramoto, type KuramotoOptions } from "./kuramoto.js";
import { generateLorenz96, type Lorenz96Options } from "./lorenz96.js";
import { generateNonlinear, type NonlinearOptions } from "./nonlinear.js";
import { generateNonstationary, type NonstationaryOptions } from "./nonstationary.js";
import { checkInt, checkSeed, type Generated } from "./options.js";
import { generateSpiking, type SpikingOptions } from "./spiking.js";
import { generateVar, type VarOptions } from "./var.js";

/** Options of one generator, without the seed (a collection supplies it). */
export type CollectionSpec =
  | { name: string; description: string; generator: "var"; options: Omit<VarOptions, "seed"> }
  | { name: string; description: string; generator: "nonlinear"; options: Omit<NonlinearOptions, "seed"> }
  | { name: string; description: string; generator: "lorenz96"; options: Omit<Lorenz96Options, "seed"> }
  | { name: string; description: string; generator: "kuramoto"; options: Omit<KuramotoOptions, "seed"> }
  | { name: string; description: string; generator: "nonstationary"; options: Omit<NonstationaryOptions, "seed"> }
  | { name: string; description: string; generator: "spiking"; options: Omit<SpikingOptions, "seed"> }
  | { name: string; description: string; generator: "bold"; options: Omit<BoldOptions, "seed"> }
  | { name: string; description: string; generator: "confounded"; options: Omit<ConfoundedOptions, "seed"> };

export type GeneratorName = CollectionSpec["generator"];

/** The standard benchmark collections: every data set is one seed of a fixed configuration. */
export const COLLECTIONS = [
  {
    name: "var-v5-l3",
    description: "linear VAR(3), V=5, T=1000",
    generator: "var",
    options: { vars: 5, length: 1000, maxLag: 3 },
  },
  {
    name: "var-v10-l3",
    description: "linear VAR(3), V=10, T=1000",
    generator: "var",
    options: { vars: 10, length: 1000, maxLag: 3 },
  },
  {
    name: "nonlinear-v5-l3",
    description: "nonlinear additive-noise SCM (LCM function family), V=5, maxLag 3, T=1000",
    generator: "nonlinear",
    options: { vars: 5, length: 1000, maxLag: 3 },
  },
  {
    name: "nonlinear-v10-l3",
    description: "nonlinear additive-noise SCM (LCM function family), V=10, maxLag 3, T=1000",
    generator: "nonlinear",
    options: { vars: 10, length: 1000, maxLag: 3 },
  },
  {
    name: "lorenz96-v10-f10",
    description: "Lorenz-96, V=10, F=10, dt=0.05, T=1000 (summary truth)",
    generator: "lorenz96",
    options: { vars: 10, length: 1000, forcing: 10 },
  },
  {
    name: "lorenz96-v20-f40",
    description: "Lorenz-96, V=20, F=40, dt=0.05, T=1000 (summary truth)",
    generator: "lorenz96",
    options: { vars: 20, length: 1000, forcing: 40 },
  },
  {
    name: "kuramoto-v5",
    description: "Kuramoto oscillators, V=5, sparse directed coupling, T=1000 (summary truth)",
    generator: "kuramoto",
    options: { vars: 5, length: 1000 },
  },
  {
    name: "kuramoto-v10",
    description: "Kuramoto oscillators, V=10, sparse directed coupling, T=1000 (summary truth)",
    generator: "kuramoto",
    options: { vars: 10, length: 1000 },
  },
  // held-out-style families of issue #19 (the world LCM v2 must meet)
  {
    name: "nonlinear-v12-l3",
    description: "nonlinear additive-noise SCM (LCM function family), V=12, maxLag 3, T=1000",
    generator: "nonlinear",
    options: { vars: 12, length: 1000, maxLag: 3 },
  },
  {
    name: "nonlinear-v20-l3",
    description: "nonlinear additive-noise SCM (LCM function family), V=20, maxLag 3, T=1000",
    generator: "nonlinear",
    options: { vars: 20, length: 1000, maxLag: 3 },
  },
  {
    name: "longlag-v6-l8",
    description: "linear VAR, V=6, cross links only at lags 4-8 (lag-1 self-loops), T=1000",
    generator: "var",
    options: { vars: 6, length: 1000, maxLag: 8, lags: [4, 5, 6, 7, 8] },
  },
  {
    name: "regime-v6",
    description: "VAR(3), V=6, with trend, random-walk and seasonal drift and a regime switch in level, noise and coupling, T=1000",
    generator: "nonstationary",
    options: { vars: 6, length: 1000, maxLag: 3, seasonal: 1, couplingSwitch: 0.6 },
  },
  {
    name: "hetero-v8",
    description: "nonlinear SCM, V=8, per-variable Gaussian/Laplace/uniform/Student-t noise, level-heteroscedastic, T=1000",
    generator: "nonlinear",
    options: { vars: 8, length: 1000, maxLag: 3, noiseDistribution: "mixed", df: 4, heteroscedastic: { kind: "level", strength: 1.5 } },
  },
  {
    name: "spiking-v8",
    description: "Izhikevich spiking network, V=8 (20% inhibitory), 10 ms bins as rates, delays 1-3 bins, T=1000 (no self-loops)",
    generator: "spiking",
    options: { vars: 8, length: 1000, maxLag: 3 },
  },
  {
    name: "bold-v8",
    description: "NetSim-style BOLD, V=8, double-gamma HRF, TR=2 s, T=1000 (summary truth)",
    generator: "bold",
    options: { vars: 8, length: 1000, tr: 2 },
  },
  {
    name: "confounded-v8",
    description: "linear VAR(3), V=8 observed, 2 hidden drivers of 2-3 variables each removed, T=1000",
    generator: "confounded",
    options: { vars: 8, length: 1000, maxLag: 3, hidden: 2 },
  },
  {
    name: "lorenz96-v20-f10",
    description: "Lorenz-96, V=20, F=10, dt=0.05, T=1000 (summary truth)",
    generator: "lorenz96",
    options: { vars: 20, length: 1000, forcing: 10 },
  },
] as const satisfies readonly CollectionSpec[];

export type CollectionName = (typeof COLLECTIONS)[number]["name"];

/** One data set of a collection. */
export interface CollectionItem extends Generated {
  /** The collection's name. */
  collection: string;
  /** The seed this data set was generated with. */
  seed: number;
}

/** Runs the generator a spec names, with its options and `seed`. */
export function generateFromSpec(spec: CollectionSpec, seed: number): Generated {
  switch (spec.generator) {
    case "var":
      return generateVar({ ...spec.options, seed });
    case "nonlinear":
      return generateNonlinear({ ...spec.options, seed });
    case "lorenz96":
      return generateLorenz96({ ...spec.options, seed });
    case "kuramoto":
      return generateKuramoto({ ...spec.options, seed });
    case "nonstationary":
      return generateNonstationary({ ...spec.options, seed });
    case "spiking":
      return generateSpiking({ ...spec.options, seed });
    case "bold":
      return generateBold({ ...spec.options, seed });
    case "confounded":
      return generateConfounded({ ...spec.options, seed });
  }
}

/** The spec of a named collection; an InputError lists the valid names. */
export function getCollection(name: string): CollectionSpec {
  const spec = COLLECTIONS.find((c) => c.name === name);
  if (!spec) {
    throw new InputError(`unknown collection "${name}"; valid: ${COLLECTIONS.map((c) => c.name).join(", ")}`);
  }
  return spec;
}

/**
 * `count` data sets of a named collection, with seeds `seed, seed + 1, ..., seed + count - 1`.
 * `length` overrides the configured series length (e.g. shorter series for quick tests).
 *
 * @example
 * for (const { series, truth, seed } of generateCollection("var-v5-l3", { count: 5 })) { ... }
 */
export function generateCollection(
  name: CollectionName | (string & {}),
  options: { count?: number; seed?: number; length?: number } = {},
): CollectionItem[] {
  const spec = getCollection(name);
  const count = checkInt("generateCollection", "count", options.count ?? 5, 1);
  const first = checkSeed("generateCollection", options.seed ?? 0);
  checkSeed("generateCollection", first + count - 1);
  const sized = (options.length === undefined
    ? spec
    : { ...spec, options: { ...spec.options, length: options.length } }) as CollectionSpec;
  return Array.from({ length: count }, (_, i) => ({
    collection: spec.name,
    seed: first + i,
    ...generateFromSpec(sized, first + i),
  }));
}
