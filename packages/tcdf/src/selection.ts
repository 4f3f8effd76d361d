/**
 * Attention interpretation, causal validation and delay discovery of TCDF
 * (Nauta, Bucur & Seifert 2019, §4.2-4.4). Pure functions on plain numbers.
 */

/** Result of the attention threshold rule for one target. */
export interface Candidates {
  /** tau_j, the smallest attention score kept; null when no score qualifies. */
  tau: number | null;
  /** Indices of the potential causes (scores >= tau), strongest first. */
  indices: number[];
}

/**
 * The threshold tau_j of §4.2: sort the attention scores from high to low and cut at the
 * largest gap between neighbours, where only scores >= 1 may sit above the gap (scores start
 * at 1 and rise only for useful series) and the gap must lie in the first half of the ranked
 * list (index q < (V - 1) / 2 of the V - 1 gaps). With no such gap (V <= 1), the top score
 * alone qualifies when it is >= 1. Equal gaps: the first (highest) one wins.
 * @param scores attention scores `[V]` of one target's network
 */
export function attentionCandidates(scores: ArrayLike<number>): Candidates {
  const V = scores.length;
  const order = Array.from({ length: V }, (_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
  const s = order.map((i) => scores[i]);
  if (V === 0 || !(s[0] >= 1)) return { tau: null, indices: [] };
  let best = -1;
  let bestGap = -Infinity;
  for (let q = 0; q < V - 1 && q < (V - 1) / 2 && s[q] >= 1; q++) {
    const gap = s[q] - s[q + 1];
    if (gap > bestGap) {
      bestGap = gap;
      best = q;
    }
  }
  const cut = best < 0 ? 0 : best;
  const tau = s[cut];
  return { tau, indices: order.filter((i) => scores[i] >= tau) };
}

/**
 * HardSoftmax (§4.2): the softmax of the attention scores, with every score below tau set
 * to 0 (not renormalised). With tau null every gate is 0.
 * @returns gates `[V]`
 */
export function hardSoftmax(scores: ArrayLike<number>, tau: number | null): Float64Array {
  const V = scores.length;
  const out = new Float64Array(V);
  let max = -Infinity;
  for (let i = 0; i < V; i++) max = Math.max(max, scores[i]);
  let sum = 0;
  for (let i = 0; i < V; i++) sum += Math.exp(scores[i] - max);
  if (tau === null) return out;
  for (let i = 0; i < V; i++) if (scores[i] >= tau) out[i] = Math.exp(scores[i] - max) / sum;
  return out;
}

/**
 * Permutation importance validation (§4.3). Training lowered the loss by
 * `dG = firstLoss - finalLoss`; with the candidate's input randomly permuted the decrease is
 * only `dI = firstLoss - permutedLoss`. The candidate is a true cause when permuting it undid
 * a substantial part of what training gained: `dI <= significance * dG`.
 */
export function pivmIsCause(firstLoss: number, finalLoss: number, permutedLoss: number, significance: number): boolean {
  return firstLoss - permutedLoss <= significance * (firstLoss - finalLoss);
}

/**
 * Position (offset back in time, 0..k-1) of the largest |weight| of one kernel (§4.4).
 * Tap m multiplies the input `k - 1 - m` steps back. Ties go to the shortest offset.
 * @param w kernel `[k]`
 */
export function kernelOffset(w: ArrayLike<number>): number {
  const k = w.length;
  let bestM = k - 1;
  for (let m = k - 2; m >= 0; m--) if (Math.abs(w[m]) > Math.abs(w[bestM])) bestM = m;
  return k - 1 - bestM;
}

/**
 * Delay of a validated cause (§4.4): follow the largest kernel weight down the dilated path,
 * `delay = shift + sum_l offset_l * c^l`, where `shift` is 1 for rows that hold only earlier
 * values (the target's own series, or every series when instantaneous effects are off).
 * @param kernels one kernel `[k]` per layer, layer 0 first
 */
export function discoverDelay(kernels: ArrayLike<number>[], dilation: number, shift: number): number {
  let delay = shift;
  kernels.forEach((w, l) => {
    delay += kernelOffset(w) * dilation ** l;
  });
  return delay;
}

/**
 * Per-offset path weight in [0, 1]: for each offset q = 0..R-1 (R the receptive field), the
 * largest product over layers of |w_l[tap]| / max |w_l| along a dilated path reaching q.
 * The path of the largest weights (the discovered delay) gets 1.
 * @param kernels one kernel `[k]` per layer, layer 0 first
 * @returns `[R]`
 */
export function offsetProfile(kernels: ArrayLike<number>[], dilation: number): Float64Array {
  let reach = 1; // offsets 0..reach-1 reachable so far
  let best = new Float64Array([1]);
  kernels.forEach((w, l) => {
    const k = w.length;
    const d = dilation ** l;
    let max = 0;
    for (let m = 0; m < k; m++) max = Math.max(max, Math.abs(w[m]));
    const nextReach = reach + (k - 1) * d;
    const next = new Float64Array(nextReach);
    for (let q = 0; q < reach; q++) {
      if (best[q] === 0) continue;
      for (let o = 0; o < k; o++) {
        const rel = max > 0 ? Math.abs(w[k - 1 - o]) / max : 0;
        const v = best[q] * rel;
        if (v > next[q + o * d]) next[q + o * d] = v;
      }
    }
    best = next;
    reach = nextReach;
  });
  return best;
}
