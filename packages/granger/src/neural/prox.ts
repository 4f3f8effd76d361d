/**
 * Group penalties on the first-layer weights of the component-wise networks of Tank et al.,
 * "Neural Granger Causality" (TPAMI 2021), and their proximal operators, in float64.
 *
 * The first layer is laid out `[K, Vin, Vt, H]` (row-major): lag k (index 0 = lag 1), input
 * series j, target network i, hidden unit h. Input series j is Granger non-causal for target i
 * when the group `W[:, j, i, :]` is zero. cLSTM uses the same layout with K = 1 (one group per
 * series; "H" there is its 4 gates × hidden units).
 */

/** GL: group lasso; GSGL: group sparse group lasso; H: hierarchical lag penalty. */
export type GroupPenalty = "GL" | "GSGL" | "H";

export const GROUP_PENALTIES: readonly GroupPenalty[] = ["GL", "GSGL", "H"];

/** Shape of a first layer `[K, Vin, Vt, H]`. */
export interface GroupShape {
  K: number;
  Vin: number;
  Vt: number;
  H: number;
}

/** Soft-thresholding factor of a group of norm `norm`: `max(0, 1 - tau / norm)`. */
function shrink(norm: number, tau: number): number {
  return norm > tau ? 1 - tau / norm : 0;
}

/**
 * Proximal operator of `tau · Ω` on one group (input series j of target i), in place.
 * - GL (group lasso): Ω = ‖W_{:j}‖_F: group soft-thresholding.
 * - GSGL (group sparse group lasso): Ω = ‖W_{:j}‖_F + Σ_k ‖W^k_{:j}‖_2: every lag group is
 *   soft-thresholded, then the whole group (the sparse-group-lasso prox composes so).
 * - H (hierarchical lag penalty): Ω = Σ_k ‖(W^k_{:j}, ..., W^K_{:j})‖_F: nested groups, soft-
 *   thresholded from the smallest (lag K alone) to the largest (all lags), which is the exact
 *   prox for nested groups (Jenatton et al., JMLR 2011, "Proximal methods for hierarchical
 *   sparse coding", Sec. 3).
 *
 * @param lagSq squared norm of each lag `[K]` (scratch, overwritten)
 * @param scale factor applied to each lag `[K]` (output)
 */
function proxGroupScales(lagSq: Float64Array, K: number, tau: number, penalty: GroupPenalty, scale: Float64Array): void {
  scale.fill(1);
  if (penalty === "GSGL")
    for (let k = 0; k < K; k++) {
      scale[k] = shrink(Math.sqrt(lagSq[k]), tau);
      lagSq[k] *= scale[k] * scale[k];
    }
  if (penalty === "GL" || penalty === "GSGL") {
    let total = 0;
    for (let k = 0; k < K; k++) total += lagSq[k];
    const f = shrink(Math.sqrt(total), tau);
    for (let k = 0; k < K; k++) scale[k] *= f;
    return;
  }
  // H: group G_k = lags k..K-1; after the deeper groups' steps its squared norm is
  // E_k = sq_k + f_{k+1}² E_{k+1}; lag m ends up scaled by the product of f_k over k <= m.
  const f = new Float64Array(K);
  let e = 0;
  for (let k = K - 1; k >= 0; k--) {
    e = lagSq[k] + (k < K - 1 ? f[k + 1] * f[k + 1] * e : 0);
    f[k] = shrink(Math.sqrt(e), tau);
  }
  let acc = 1;
  for (let k = 0; k < K; k++) {
    acc *= f[k];
    scale[k] = acc;
  }
}

/**
 * Proximal step of `tau_i · Σ_j Ω(W[:, j, i, :])` on a whole first layer, in place.
 * @param w `[K, Vin, Vt, H]`
 * @param tau `[Vt]` thresholds (step size × λ of each target)
 */
export function proxGroups(w: Float64Array, shape: GroupShape, tau: ArrayLike<number>, penalty: GroupPenalty): void {
  const { K, Vin, Vt, H } = shape;
  const lagSq = new Float64Array(K);
  const scale = new Float64Array(K);
  for (let j = 0; j < Vin; j++)
    for (let i = 0; i < Vt; i++) {
      for (let k = 0; k < K; k++) {
        const base = ((k * Vin + j) * Vt + i) * H;
        let s = 0;
        for (let h = 0; h < H; h++) s += w[base + h] * w[base + h];
        lagSq[k] = s;
      }
      proxGroupScales(lagSq, K, tau[i], penalty, scale);
      for (let k = 0; k < K; k++) {
        const c = scale[k];
        if (c === 1) continue;
        const base = ((k * Vin + j) * Vt + i) * H;
        for (let h = 0; h < H; h++) w[base + h] *= c;
      }
    }
}

/** Ω per target `[Vt]`, summed over input series. */
export function groupPenalties(w: Float64Array, shape: GroupShape, penalty: GroupPenalty): Float64Array {
  const { K, Vin, Vt } = shape;
  const norms = lagNorms(w, shape); // [Vt, Vin, K]
  const out = new Float64Array(Vt);
  for (let i = 0; i < Vt; i++)
    for (let j = 0; j < Vin; j++) {
      const base = (i * Vin + j) * K;
      let total = 0;
      for (let k = 0; k < K; k++) total += norms[base + k] ** 2;
      if (penalty === "GL") out[i] += Math.sqrt(total);
      else if (penalty === "GSGL") {
        out[i] += Math.sqrt(total);
        for (let k = 0; k < K; k++) out[i] += norms[base + k];
      } else {
        // Σ_k sqrt(Σ_{m >= k} ‖W^m‖²)
        let tail = 0;
        for (let k = K - 1; k >= 0; k--) {
          tail += norms[base + k] ** 2;
          out[i] += Math.sqrt(tail);
        }
      }
    }
  return out;
}

/** Lag-group norms `‖W[k, j, i, :]‖` laid out `[Vt, Vin, K]` (target, input series, lag): the score layout. */
export function lagNorms(w: Float64Array, shape: GroupShape): Float64Array {
  const { K, Vin, Vt, H } = shape;
  const out = new Float64Array(Vt * Vin * K);
  for (let k = 0; k < K; k++)
    for (let j = 0; j < Vin; j++)
      for (let i = 0; i < Vt; i++) {
        const base = ((k * Vin + j) * Vt + i) * H;
        let s = 0;
        for (let h = 0; h < H; h++) s += w[base + h] * w[base + h];
        out[(i * Vin + j) * K + k] = Math.sqrt(s);
      }
  return out;
}
