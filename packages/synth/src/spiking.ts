import { InputError, Rng } from "@causeway/core";
import { parentsToEdges, resolveLags, sampleSparseGraph } from "./graph.js";
import { assertFinite, checkInt, checkLength, checkNumber, checkSeed, makeSeries, makeTruth, type Generated } from "./options.js";

export interface SpikingOptions {
  /** Number of neurons V (>= 1). */
  vars: number;
  /** Number of bins T returned (>= maxLag + 2); the burn-in comes on top. */
  length: number;
  /** Largest synaptic delay in bins; each synapse's delay is drawn from 1..maxLag (or `lags`). Default 3. */
  maxLag?: number;
  /** The delays (in bins) synapses draw from, uniformly. Default 1..maxLag. */
  lags?: readonly number[];
  /** Probability that each other neuron synapses onto a given one (before the cap). Default 0.3. */
  density?: number;
  /** At most this many presynaptic neurons per neuron. Default 3. */
  maxParents?: number;
  /** Fraction of inhibitory neurons (their synapses are negative). Default 0.2. */
  inhibitoryFraction?: number;
  /** Synaptic efficacies (current jump, pA-like units of the model) are `U[lo, hi]`, negated for inhibitory cells. Default [12, 20]. */
  weightRange?: readonly [number, number];
  /** Decay time of the synaptic current in ms. Default 4. */
  synapticTau?: number;
  /** Bin width in ms (1 ms integration steps). Default 10. */
  binMs?: number;
  /** Mean background current; each neuron gets `drive · U[0.7, 1.3]`. Default 2. */
  drive?: number;
  /** Standard deviation of the white background current per ms (Izhikevich 2003 used 5). Default 5. */
  inputNoise?: number;
  /** What is observed: binned firing rates in Hz, or the bin-mean membrane potential in mV. Default "rates". */
  observe?: "rates" | "potential";
  /** Causal exponential smoothing of the rates with this time constant in bins (0: none). Default 0. */
  smoothing?: number;
  /** Standard deviation of Gaussian noise added to what is observed. Default 0. */
  observationNoise?: number;
  /** Bins simulated and discarded before the returned series. Default 50. */
  burnIn?: number;
  /** Seed of the generator (unsigned 32-bit integer). Default 0. */
  seed?: number;
}

export interface SpikingResult extends Generated {
  /** Spike counts per bin `[T, V]`. */
  spikes: Float64Array;
  /** Synaptic efficacies `[V, V]` indexed `[post][pre]` (0 where no synapse). */
  weights: Float64Array;
  /** Synaptic delays in bins `[V, V]` indexed `[post][pre]` (0 where no synapse). */
  delays: Int32Array;
  /** Which neurons are inhibitory. */
  inhibitory: boolean[];
}

const WHERE = "generateSpiking";
/** Spike cut-off of the Izhikevich model (mV). */
const PEAK = 30;

/**
 * A network of Izhikevich neurons (Izhikevich, "Simple model of spiking neurons", IEEE TNN 14(6),
 * 2003): per neuron
 *
 *   v' = 0.04 v² + 5 v + 140 − u + I,   u' = a (b v − u),   if v >= 30 mV: v ← c, u ← u + d,
 *
 * with the paper's regular-spiking excitatory (a = .02, b = .2, c = −65 + 15r², d = 8 − 6r²) and
 * fast-spiking/low-threshold inhibitory (a = .02 + .08r, b = .25 − .05r, c = −65, d = 2) cells,
 * r ~ U[0, 1], integrated at 1 ms (v in two 0.5 ms half-steps, as in the paper's code). The input
 * is `I = drive_i + inputNoise · N(0, 1) + I_syn`, where a presynaptic spike adds its efficacy to
 * I_syn after its delay and I_syn decays with `synapticTau`. The graph is `sampleSparseGraph`'s
 * without self-loops; each synapse's delay is `lag · binMs` ms with `lag` its lag in bins.
 *
 * Observed as spike counts per bin converted to Hz (optionally smoothed causally) or as the
 * bin-mean membrane potential. The truth is lagged at the synaptic delay in bins (a spike in bin b
 * arrives in bin b + lag; the response can spill into the next bin) and has no self-loops, though
 * refractoriness makes every neuron predict its own future (score with self-loops excluded).
 *
 * @example
 * const { series, truth, spikes } = generateSpiking({ vars: 8, length: 1000, seed: 1 });
 */
export function generateSpiking(options: SpikingOptions): SpikingResult {
  const V = checkInt(WHERE, "vars", options.vars, 1);
  const { maxLag, lags } = resolveLags(WHERE, options, 3);
  const T = checkLength(WHERE, options.length, maxLag);
  const density = checkNumber(WHERE, "density", options.density ?? 0.3, 0, 1);
  const maxParents = checkInt(WHERE, "maxParents", options.maxParents ?? 3, 0);
  const inhFraction = checkNumber(WHERE, "inhibitoryFraction", options.inhibitoryFraction ?? 0.2, 0, 1);
  const [wLo, wHi] = options.weightRange ?? [12, 20];
  checkNumber(WHERE, "weightRange[1]", wHi, checkNumber(WHERE, "weightRange[0]", wLo, 0));
  const tau = checkNumber(WHERE, "synapticTau", options.synapticTau ?? 4, 0, Infinity, true);
  const binMs = checkInt(WHERE, "binMs", options.binMs ?? 10, 1, 1000);
  const drive = checkNumber(WHERE, "drive", options.drive ?? 2);
  const inputNoise = checkNumber(WHERE, "inputNoise", options.inputNoise ?? 5, 0);
  const observe = options.observe ?? "rates";
  if (observe !== "rates" && observe !== "potential") {
    throw new InputError(`${WHERE}: option "observe" must be "rates" or "potential", got "${String(observe)}"`, { column: "observe" });
  }
  const smoothing = checkNumber(WHERE, "smoothing", options.smoothing ?? 0, 0);
  const obsNoise = checkNumber(WHERE, "observationNoise", options.observationNoise ?? 0, 0);
  const burnIn = checkInt(WHERE, "burnIn", options.burnIn ?? 50, 0);
  const seed = checkSeed(WHERE, options.seed ?? 0);

  const root = new Rng(seed);
  const structureRng = root.fork();
  const noiseRng = root.fork();
  const parents = sampleSparseGraph(structureRng, { vars: V, maxLag, density, maxParents, selfLoops: false, lags });
  const inhibitory = Array.from({ length: V }, () => structureRng.bernoulli(inhFraction));
  const a = new Float64Array(V);
  const b = new Float64Array(V);
  const c = new Float64Array(V);
  const d = new Float64Array(V);
  for (let i = 0; i < V; i++) {
    const r = structureRng.uniform();
    if (inhibitory[i]) [a[i], b[i], c[i], d[i]] = [0.02 + 0.08 * r, 0.25 - 0.05 * r, -65, 2];
    else [a[i], b[i], c[i], d[i]] = [0.02, 0.2, -65 + 15 * r * r, 8 - 6 * r * r];
  }
  const weights = new Float64Array(V * V); // [post, pre]
  const delays = new Int32Array(V * V); // [post, pre], bins
  const out: { post: number; w: number; delayMs: number }[][] = Array.from({ length: V }, () => []);
  parents.forEach((list, post) => {
    for (const { cause, lag } of list) {
      const w = (inhibitory[cause] ? -1 : 1) * structureRng.range(wLo, wHi);
      weights[post * V + cause] = w;
      delays[post * V + cause] = lag;
      out[cause].push({ post, w, delayMs: lag * binMs });
    }
  });
  const bias = Float64Array.from({ length: V }, () => drive * structureRng.range(0.7, 1.3));

  // Simulation at 1 ms; arrivals go into a ring buffer of length maxLag * binMs + 1.
  const ring = maxLag * binMs + 1;
  const arriving = new Float64Array(ring * V); // [ring, V]
  const decay = Math.exp(-1 / tau);
  const v = Float64Array.from(c);
  const u = Float64Array.from({ length: V }, (_, i) => b[i] * c[i]);
  const syn = new Float64Array(V);
  const bins = burnIn + T;
  const counts = new Float64Array(bins * V); // [bins, V]
  const meanV = new Float64Array(bins * V); // [bins, V]
  for (let ms = 0; ms < bins * binMs; ms++) {
    const bin = Math.floor(ms / binMs);
    const slot = (ms % ring) * V;
    for (let i = 0; i < V; i++) {
      syn[i] = syn[i] * decay + arriving[slot + i];
      arriving[slot + i] = 0;
      const I = bias[i] + inputNoise * noiseRng.normal() + syn[i];
      // Izhikevich 2003, eq. 1-3: two 0.5 ms half-steps for v, one 1 ms step for u
      for (let h = 0; h < 2; h++) v[i] += 0.5 * (0.04 * v[i] * v[i] + 5 * v[i] + 140 - u[i] + I);
      u[i] += a[i] * (b[i] * v[i] - u[i]);
      if (v[i] >= PEAK) {
        meanV[bin * V + i] += PEAK / binMs;
        v[i] = c[i];
        u[i] += d[i];
        counts[bin * V + i] += 1;
        for (const { post, w, delayMs } of out[i]) arriving[((ms + delayMs) % ring) * V + post] += w;
      } else {
        meanV[bin * V + i] += v[i] / binMs;
      }
    }
  }

  const spikes = counts.slice(burnIn * V); // [T, V]
  const data = new Float64Array(T * V); // [T, V]
  if (observe === "potential") {
    data.set(meanV.subarray(burnIn * V));
  } else {
    // rates in Hz, smoothed causally: r_s(t) = α r_s(t - 1) + (1 - α) r(t), α = exp(-1 / smoothing)
    const alpha = smoothing > 0 ? Math.exp(-1 / smoothing) : 0;
    const level = new Float64Array(V);
    for (let k = 0; k < bins; k++)
      for (let i = 0; i < V; i++) {
        const rate = (counts[k * V + i] * 1000) / binMs;
        level[i] = k === 0 ? rate : alpha * level[i] + (1 - alpha) * rate;
        if (k >= burnIn) data[(k - burnIn) * V + i] = level[i];
      }
  }
  if (obsNoise > 0) for (let k = 0; k < data.length; k++) data[k] += obsNoise * noiseRng.normal();
  assertFinite(WHERE, data);
  return { series: makeSeries(V, T, data), truth: makeTruth(V, maxLag, parentsToEdges(parents), false), spikes, weights, delays, inhibitory };
}
