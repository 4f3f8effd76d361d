import { InputError } from "@causeway/core";
import { generateKuramoto, type KuramotoOptions } from "./kuramoto.js";
import { generateLorenz96, type Lorenz96Options } from "./lorenz96.js";
import { generateNonlinear, type NonlinearOptions } from "./nonlinear.js";
import { checkInt, checkSeed, type Generated } from "./options.js";
import { generateVar, type VarOptions } from "./var.js";

/** Options of one generator, without the seed (a collection supplies it). */
export type CollectionSpec =
  | { name: string; description: string; generator: "var"; options: Omit<VarOptions, "seed"> }
  | { name: string; description: string; generator: "nonlinear"; options: Omit<NonlinearOptions, "seed"> }
  | { name: string; description: string; generator: "lorenz96"; options: Omit<Lorenz96Options, "seed"> }
  | { name: string; description: string; generator: "kuramoto"; options: Omit<KuramotoOptions, "seed"> };

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
