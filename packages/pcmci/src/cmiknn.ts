/**
 * CMIknn: the conditional-independence test X _||_ Y | Z by the k-nearest-neighbour estimator of
 * conditional mutual information (Frenzel & Pompe, PRL 99, 204101, 2007) with a local permutation
 * test (Runge, AISTATS 2018), as tigramite's CMIknn: the same transform, estimator and p-value;
 * permutations come from core's Rng, so p-values agree with tigramite's in distribution only.
 */
import { digamma, InputError, Rng } from "@causeway/core";
import type { CITest, CITestResult } from "./ci-test.js";
import { KdTree } from "./kdtree.js";

export interface CmiKnnOptions {
  /** Neighbours k in the joint space: a fraction of n when < 1 (k = max(1, floor(knn n))), else a count. Default 0.2. */
  knn?: number;
  /** Nearest neighbours in Z-space (the point itself included) among which the permutation swaps values. Default 5. */
  shuffleNeighbors?: number;
  /** Permutations behind each p-value. Default 500. */
  sigSamples?: number;
  /** Marginal transform before the estimate: ordinal ranks (default), z-scores, or none. */
  transform?: "ranks" | "standardize" | "none";
  /** Which variable the local permutation shuffles: "x" (Runge 2018, default) or "y" (tigramite's current default). */
  permute?: "x" | "y";
  /** Uniform noise of this size times each column's standard deviation, added to break ties (tigramite: 1e-6). */
  tieNoise?: number;
}

export const CMIKNN_DEFAULTS: Required<CmiKnnOptions> = {
  knn: 0.2,
  shuffleNeighbors: 5,
  sigSamples: 500,
  transform: "ranks",
  permute: "x",
  tieNoise: 1e-6,
};

/** A CITest whose value is the CMI estimate (nats) and whose p-value comes from local permutations. */
export function cmiknnTest(options: CmiKnnOptions = {}): CITest {
  const opts = checkOptions(options);
  return {
    name: "cmiknn",
    run: (x, y, z, seed) => runCmiKnn(x, y, z, seed, opts),
  };
}

/** The CMI estimate I(X; Y | Z) alone (no permutations), after the tie-breaking noise and transform. */
export function cmiknnEstimate(x: Float64Array, y: Float64Array, z: readonly Float64Array[], seed: number, options: CmiKnnOptions = {}): number {
  const opts = checkOptions(options);
  const rng = new Rng(seed);
  const prepared = prepare(x, y, z, rng, opts);
  return new KnnCmi(prepared.x, prepared.y, prepared.z, prepared.k).value();
}

function checkOptions(options: CmiKnnOptions): Required<CmiKnnOptions> {
  const opts = { ...CMIKNN_DEFAULTS, ...options };
  if (!(opts.knn > 0) || !Number.isFinite(opts.knn)) throw new InputError(`cmiknn: knn must be a fraction in (0, 1) or a count >= 1, got ${opts.knn}`);
  if (!Number.isInteger(opts.shuffleNeighbors) || opts.shuffleNeighbors < 1) throw new InputError(`cmiknn: shuffleNeighbors must be an integer >= 1, got ${opts.shuffleNeighbors}`);
  if (!Number.isInteger(opts.sigSamples) || opts.sigSamples < 1) throw new InputError(`cmiknn: sigSamples must be an integer >= 1, got ${opts.sigSamples}`);
  if (!(opts.tieNoise >= 0)) throw new InputError(`cmiknn: tieNoise must be >= 0, got ${opts.tieNoise}`);
  return opts;
}

interface Prepared {
  x: Float64Array;
  y: Float64Array;
  z: Float64Array[];
  k: number;
}

/** Checks the input, adds tie-breaking noise and transforms each column; k from knn and n. */
function prepare(x: Float64Array, y: Float64Array, z: readonly Float64Array[], rng: Rng, opts: Required<CmiKnnOptions>): Prepared {
  const n = x.length;
  if (y.length !== n || z.some((c) => c.length !== n)) throw new InputError(`cmiknn: x, y and every z column need the same length (x has ${n})`);
  const k = opts.knn < 1 ? Math.max(1, Math.floor(opts.knn * n)) : Math.max(1, Math.floor(opts.knn));
  if (k + 1 > n) throw new InputError(`cmiknn: knn = ${k} neighbours need more than ${k} samples, got ${n}; lower knn or give more samples`);
  const columns = [x, y, ...z].map((c) => {
    for (let i = 0; i < n; i++) if (!Number.isFinite(c[i])) throw new InputError("cmiknn: the samples must be finite (leave out missing cells before testing)");
    return transform(addNoise(c, opts.tieNoise, rng), opts.transform);
  });
  return { x: columns[0], y: columns[1], z: columns.slice(2), k };
}

/** c + noise · std(c) · U(0, 1) per sample, a new array (tigramite's tie breaker). */
function addNoise(c: Float64Array, noise: number, rng: Rng): Float64Array {
  const n = c.length;
  const out = Float64Array.from(c);
  if (noise === 0) return out;
  const scale = noise * populationStd(c);
  for (let i = 0; i < n; i++) out[i] += scale * rng.uniform();
  return out;
}

function populationStd(c: Float64Array): number {
  const n = c.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += c[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (c[i] - mean) * (c[i] - mean);
  return Math.sqrt(ss / n);
}

/** Ordinal ranks 0..n-1 (ties in index order), z-scores (population std, constant columns centred only), or a copy. */
function transform(c: Float64Array, kind: CmiKnnOptions["transform"]): Float64Array {
  const n = c.length;
  if (kind === "ranks") {
    const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => c[a] - c[b] || a - b);
    const ranks = new Float64Array(n);
    for (let r = 0; r < n; r++) ranks[idx[r]] = r;
    return ranks;
  }
  if (kind === "standardize") {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += c[i];
    mean /= n;
    const sd = populationStd(c);
    return Float64Array.from(c, (v) => (sd > 0 ? (v - mean) / sd : v - mean));
  }
  return c;
}

/** ψ(1..n) by index, cached per n. */
const digammaTables = new Map<number, Float64Array>();
function digammaTable(n: number): Float64Array {
  let t = digammaTables.get(n);
  if (!t) {
    t = new Float64Array(n + 1);
    t[0] = -Infinity;
    for (let m = 1; m <= n; m++) t[m] = digamma(m);
    if (digammaTables.size > 16) digammaTables.clear();
    digammaTables.set(n, t);
  }
  return t;
}

/**
 * The Frenzel-Pompe estimate on transformed columns (PRL 2007, eq. 2):
 * I(X;Y|Z) = ψ(k) - mean_i [ψ(k_xz,i) + ψ(k_yz,i) - ψ(k_z,i)], where eps_i is the max-norm distance to
 * i's k-th neighbour in (X, Y, Z) and k_s,i counts the samples (i included) strictly closer than
 * eps_i in subspace s; k_z = n without Z. Trees of a side the permutation leaves alone are reused.
 */
class KnnCmi {
  private readonly n: number;
  private readonly psi: Float64Array;
  private readonly eps: Float64Array;
  private readonly counts: Float64Array;
  private readonly kz: Float64Array;
  private yzTree: KdTree | null = null;
  private xzTree: KdTree | null = null;
  private readonly zTree: KdTree | null;

  constructor(
    private x: Float64Array,
    private y: Float64Array,
    private readonly z: readonly Float64Array[],
    private readonly k: number,
  ) {
    this.n = x.length;
    this.psi = digammaTable(this.n);
    this.eps = new Float64Array(this.n);
    this.counts = new Float64Array(this.n);
    this.kz = new Float64Array(this.n);
    this.zTree = z.length > 0 ? new KdTree(z) : null;
  }

  /** Replaces x (a permutation of it); the trees holding x are rebuilt on the next value(). */
  setX(x: Float64Array): void {
    this.x = x;
    this.xzTree = null;
  }

  /** Replaces y; the trees holding y are rebuilt on the next value(). */
  setY(y: Float64Array): void {
    this.y = y;
    this.yzTree = null;
  }

  value(): number {
    const { n, psi, eps, counts, kz } = this;
    // eps_i: distance to the k-th neighbour, i.e. the (k+1)-th point counting i itself
    new KdTree([this.x, this.y, ...this.z]).kthDistances(this.k + 1, eps);
    this.xzTree ??= new KdTree([this.x, ...this.z]);
    this.yzTree ??= new KdTree([this.y, ...this.z]);
    let sum = 0;
    this.xzTree.countAll(eps, counts);
    for (let i = 0; i < n; i++) sum += psi[Math.max(1, counts[i])];
    this.yzTree.countAll(eps, counts);
    for (let i = 0; i < n; i++) sum += psi[Math.max(1, counts[i])];
    if (this.zTree) {
      this.zTree.countAll(eps, kz);
      for (let i = 0; i < n; i++) sum -= psi[Math.max(1, kz[i])];
    } else {
      sum -= n * psi[n];
    }
    return psi[this.k] - sum / n;
  }
}

function runCmiKnn(x: Float64Array, y: Float64Array, z: readonly Float64Array[], seed: number, opts: Required<CmiKnnOptions>): CITestResult {
  const rng = new Rng(seed);
  const p = prepare(x, y, z, rng, opts);
  const n = p.x.length;
  const est = new KnnCmi(p.x, p.y, p.z, p.k);
  const value = est.value();
  // the shuffled variable: x (Runge 2018) or y
  const source = opts.permute === "x" ? p.x : p.y;
  const shuffled = new Float64Array(n);
  const local = p.z.length > 0 && opts.shuffleNeighbors < n;
  const neighbors = local ? new KdTree(p.z).nearestAll(opts.shuffleNeighbors) : null; // [n, shuffleNeighbors]
  const perm = new Int32Array(n);
  let atLeast = 0;
  for (let s = 0; s < opts.sigSamples; s++) {
    if (neighbors) localPermutation(neighbors, opts.shuffleNeighbors, rng, perm);
    else {
      for (let i = 0; i < n; i++) perm[i] = i;
      rng.shuffle(perm);
    }
    for (let i = 0; i < n; i++) shuffled[i] = source[perm[i]];
    if (opts.permute === "x") est.setX(shuffled);
    else est.setY(shuffled);
    if (est.value() >= value) atLeast++;
  }
  return { value, pvalue: (atLeast + 1) / (opts.sigSamples + 1) };
}

// reused buffers for localPermutation
let usedBuf = new Uint8Array(0);
let orderBuf = new Int32Array(0);
let rowBuf = new Int32Array(0);

/**
 * A restricted permutation (Runge 2018, Algorithm 1): visiting the samples in random order, sample i
 * takes the value of a random one of its Z-neighbours not yet taken, or of a random neighbour when
 * all are taken; so values move only between samples with similar Z, mostly without repeats.
 */
function localPermutation(neighbors: Int32Array, kn: number, rng: Rng, perm: Int32Array): void {
  const n = perm.length;
  if (usedBuf.length < n) {
    usedBuf = new Uint8Array(n);
    orderBuf = new Int32Array(n);
  }
  if (rowBuf.length < kn) rowBuf = new Int32Array(kn);
  const used = usedBuf.subarray(0, n);
  used.fill(0);
  const order = orderBuf.subarray(0, n);
  for (let i = 0; i < n; i++) order[i] = i;
  rng.shuffle(order);
  const row = rowBuf.subarray(0, kn);
  for (let t = 0; t < n; t++) {
    const i = order[t];
    row.set(neighbors.subarray(i * kn, i * kn + kn));
    rng.shuffle(row);
    let m = 0;
    while (used[row[m]] && m < kn - 1) m++;
    perm[i] = row[m];
    used[row[m]] = 1;
  }
}
