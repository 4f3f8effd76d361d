/**
 * A KD-tree under the max-norm (Chebyshev distance), for the kNN estimator of conditional mutual
 * information (cmiknn.ts): the distance to each point's k-th nearest neighbour, the indices of a
 * point's nearest neighbours, and counts of points strictly closer than a radius.
 *
 * Points are stored in leaf order ([n, d] row-major) so a leaf's points are contiguous; every node
 * keeps the tight bounding box of its points, so a count query adds whole subtrees whose box lies
 * inside the query cube without visiting their points.
 */

/** Points per leaf; below this a node is scanned directly. */
const LEAF_SIZE = 12;
/** How many previous answers bound the next k-th neighbour distance. */
const RECENT = 4;

export class KdTree {
  /** number of points */
  readonly n: number;
  /** dimensions */
  readonly d: number;
  /** [n, d] the points in leaf order */
  private readonly pts: Float64Array;
  /** [n] original index of the point at each leaf-order position */
  readonly order: Int32Array;
  // per node: first and one-past-last leaf-order position, children (-1 for a leaf), box [nodes, d]
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private nodeCount = 0;
  /** traversal stack, reused by every query */
  private readonly stack: Int32Array;
  /** distance buffer for kthDistances, grown on demand */
  private buf: Float64Array;
  /** d = 1 only: the values sorted, so a count is two binary searches */
  private readonly sorted: Float64Array | null;

  /**
   * @param columns d columns of [n] values each (one per dimension).
   */
  constructor(columns: readonly Float64Array[]) {
    const d = columns.length;
    if (d === 0) throw new RangeError("KdTree needs at least one dimension");
    const n = columns[0].length;
    for (const c of columns) if (c.length !== n) throw new RangeError("KdTree columns must have one length");
    this.n = n;
    this.d = d;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const cap = Math.max(1, 2 * n);
    this.start = new Int32Array(cap);
    this.end = new Int32Array(cap);
    this.left = new Int32Array(cap);
    this.right = new Int32Array(cap);
    this.lo = new Float64Array(cap * d);
    this.hi = new Float64Array(cap * d);
    this.stack = new Int32Array(cap + 64);
    this.buf = new Float64Array(Math.max(16, n));
    this.build(columns, order);
    this.order = order;
    // copy points into leaf order
    const pts = new Float64Array(n * d);
    for (let p = 0; p < n; p++) for (let j = 0; j < d; j++) pts[p * d + j] = columns[j][order[p]];
    this.pts = pts;
    this.sorted = d === 1 ? Float64Array.from(columns[0]).sort() : null;
  }

  /** Splits every node with more than LEAF_SIZE points at the median of its widest dimension. */
  private build(columns: readonly Float64Array[], order: Int32Array): void {
    const d = this.d;
    const todo: number[] = [this.newNode(0, this.n)];
    while (todo.length > 0) {
      const node = todo.pop()!;
      const s = this.start[node];
      const e = this.end[node];
      // tight box of the node's points
      let widest = 0;
      let width = -1;
      for (let j = 0; j < d; j++) {
        const col = columns[j];
        let mn = Infinity;
        let mx = -Infinity;
        for (let p = s; p < e; p++) {
          const v = col[order[p]];
          if (v < mn) mn = v;
          if (v > mx) mx = v;
        }
        this.lo[node * d + j] = mn;
        this.hi[node * d + j] = mx;
        if (mx - mn > width) {
          width = mx - mn;
          widest = j;
        }
      }
      if (e - s <= LEAF_SIZE || width <= 0) {
        this.left[node] = -1;
        this.right[node] = -1;
        continue;
      }
      const mid = (s + e) >> 1;
      selectByColumn(order, columns[widest], s, e - 1, mid);
      const l = this.newNode(s, mid);
      const r = this.newNode(mid, e);
      this.left[node] = l;
      this.right[node] = r;
      todo.push(l, r);
    }
  }

  private newNode(s: number, e: number): number {
    const id = this.nodeCount++;
    this.start[id] = s;
    this.end[id] = e;
    return id;
  }

  /** Max-norm distance from q (d values at qOff) to the node's box (0 inside). */
  private boxDistance(node: number, q: ArrayLike<number>, qOff: number): number {
    const d = this.d;
    let dist = 0;
    for (let j = 0; j < d; j++) {
      const v = q[qOff + j];
      const a = this.lo[node * d + j] - v;
      const b = v - this.hi[node * d + j];
      const g = a > b ? a : b;
      if (g > dist) dist = g;
    }
    return dist;
  }

  /** Max-norm distance from q to the farthest corner of the node's box. */
  private boxFarthest(node: number, q: ArrayLike<number>, qOff: number): number {
    const d = this.d;
    let dist = 0;
    for (let j = 0; j < d; j++) {
      const v = q[qOff + j];
      const a = v - this.lo[node * d + j];
      const b = this.hi[node * d + j] - v;
      const g = a > b ? a : b;
      if (g > dist) dist = g;
    }
    return dist;
  }

  /** Max-norm distance from q to the point at leaf-order position p. */
  private pointDistance(p: number, q: ArrayLike<number>, qOff: number): number {
    const d = this.d;
    const pts = this.pts;
    let dist = 0;
    for (let j = 0; j < d; j++) {
      const g = Math.abs(pts[p * d + j] - q[qOff + j]);
      if (g > dist) dist = g;
    }
    return dist;
  }

  /** Number of points at max-norm distance strictly less than r from q (d values at qOff). */
  countWithin(q: ArrayLike<number>, qOff: number, r: number): number {
    if (this.sorted) return countSorted(this.sorted, q[qOff], r);
    const stack = this.stack;
    let top = 0;
    let count = 0;
    stack[top++] = 0;
    while (top > 0) {
      const node = stack[--top];
      if (this.boxDistance(node, q, qOff) >= r) continue;
      if (this.boxFarthest(node, q, qOff) < r) {
        count += this.end[node] - this.start[node];
        continue;
      }
      const l = this.left[node];
      if (l < 0) {
        for (let p = this.start[node], e = this.end[node]; p < e; p++) if (this.pointDistance(p, q, qOff) < r) count++;
      } else {
        stack[top++] = l;
        stack[top++] = this.right[node];
      }
    }
    return count;
  }

  /** countWithin for every stored point with its own radius: out[i] = #{j : |p_j - p_i| < radius[i]} (i counts itself). */
  countAll(radius: Float64Array, out: Float64Array): void {
    const { n, d, pts, order } = this;
    for (let p = 0; p < n; p++) out[order[p]] = this.countWithin(pts, p * d, radius[order[p]]);
  }

  /**
   * For every stored point i, the max-norm distance to its k-th nearest point counting i itself
   * (k = 1 gives 0), written to out[i]. Points are visited in leaf order so that the previous
   * point's answer bounds this one's (triangle inequality: eps_i <= eps_prev + |p_i - p_prev|);
   * the distances within that bound are collected and the k-th smallest selected.
   */
  kthDistances(k: number, out: Float64Array): void {
    const { n, d, pts, order } = this;
    if (!(k >= 1 && k <= n)) throw new RangeError(`kthDistances needs 1 <= k <= n (${n}), got ${k}`);
    // the last few answers (leaf-order position, eps), each giving a bound
    const recentPos = new Int32Array(RECENT);
    const recentEps = new Float64Array(RECENT);
    for (let p = 0; p < n; p++) {
      let bound = Infinity;
      for (let t = 0; t < Math.min(p, RECENT); t++) {
        const b = recentEps[t] + this.pointDistance(recentPos[t], pts, p * d);
        if (b < bound) bound = b;
      }
      // widened by a few ulps so rounding in the sum cannot drop the k-th point
      let m = this.collectWithin(pts, p * d, bound * (1 + 1e-12));
      if (m < k) m = this.collectWithin(pts, p * d, Infinity);
      const eps = selectKth(this.buf, 0, m - 1, k - 1);
      out[order[p]] = eps;
      recentPos[p % RECENT] = p;
      recentEps[p % RECENT] = eps;
    }
  }

  /** Writes the distances <= r from q into this.buf and returns how many. */
  private collectWithin(q: ArrayLike<number>, qOff: number, r: number): number {
    const stack = this.stack;
    let top = 0;
    let m = 0;
    stack[top++] = 0;
    while (top > 0) {
      const node = stack[--top];
      if (this.boxDistance(node, q, qOff) > r) continue;
      const l = this.left[node];
      if (l < 0) {
        const e = this.end[node];
        if (m + (e - this.start[node]) > this.buf.length) this.growBuffer(m);
        const buf = this.buf;
        for (let p = this.start[node]; p < e; p++) {
          const dist = this.pointDistance(p, q, qOff);
          if (dist <= r) buf[m++] = dist;
        }
      } else {
        stack[top++] = l;
        stack[top++] = this.right[node];
      }
    }
    return m;
  }

  private growBuffer(keep: number): void {
    const next = new Float64Array(Math.max(this.n, this.buf.length * 2));
    next.set(this.buf.subarray(0, keep));
    this.buf = next;
  }

  /**
   * The k nearest stored points to q (d values at qOff) by max-norm distance, ties broken by the
   * smaller original index; their original indices go to outIdx[0..k) nearest first.
   */
  nearest(q: ArrayLike<number>, qOff: number, k: number, outIdx: Int32Array, outDist: Float64Array): void {
    if (!(k >= 1 && k <= this.n)) throw new RangeError(`nearest needs 1 <= k <= n (${this.n}), got ${k}`);
    const order = this.order;
    let size = 0;
    const stack = this.stack;
    let top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const node = stack[--top];
      if (size === k && this.boxDistance(node, q, qOff) > outDist[k - 1]) continue;
      const l = this.left[node];
      if (l < 0) {
        for (let p = this.start[node], e = this.end[node]; p < e; p++) {
          const dist = this.pointDistance(p, q, qOff);
          const id = order[p];
          if (size === k && (dist > outDist[k - 1] || (dist === outDist[k - 1] && id > outIdx[k - 1]))) continue;
          // insertion into the sorted list (k is small where this is used)
          let pos = size < k ? size++ : k - 1;
          while (pos > 0 && (outDist[pos - 1] > dist || (outDist[pos - 1] === dist && outIdx[pos - 1] > id))) {
            outDist[pos] = outDist[pos - 1];
            outIdx[pos] = outIdx[pos - 1];
            pos--;
          }
          outDist[pos] = dist;
          outIdx[pos] = id;
        }
      } else {
        // visit the nearer child first (pushed last)
        const r = this.right[node];
        if (this.boxDistance(l, q, qOff) <= this.boxDistance(r, q, qOff)) {
          stack[top++] = r;
          stack[top++] = l;
        } else {
          stack[top++] = l;
          stack[top++] = r;
        }
      }
    }
  }

  /** For every stored point i, the indices of its k nearest stored points (i itself first unless tied) as [n, k]. */
  nearestAll(k: number): Int32Array {
    const { n, d, pts, order } = this;
    const out = new Int32Array(n * k);
    const idx = new Int32Array(k);
    const dist = new Float64Array(k);
    for (let p = 0; p < n; p++) {
      this.nearest(pts, p * d, k, idx, dist);
      out.set(idx, order[p] * k);
    }
    return out;
  }
}

/**
 * #{v' in sorted : |v' - v| < r} by two binary searches on predicates that match the tree's
 * distance test exactly (fl(a - b) is monotone, so each predicate flips once along the array).
 */
function countSorted(sorted: Float64Array, v: number, r: number): number {
  if (!(r > 0)) return 0; // then no distance is < r, not even v's own 0
  // first index whose value is inside (or at/after v)
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] >= v || Math.abs(sorted[mid] - v) < r) hi = mid;
    else lo = mid + 1;
  }
  const first = lo;
  // first index after v that is outside
  hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] > v && !(Math.abs(sorted[mid] - v) < r)) hi = mid;
    else lo = mid + 1;
  }
  return lo - first;
}

/** Quickselect on order[s..e] by col[order[.]] so position m holds the median-rank element. */
function selectByColumn(order: Int32Array, col: Float64Array, s: number, e: number, m: number): void {
  while (e > s) {
    const pivot = col[order[(s + e) >> 1]];
    let i = s;
    let j = e;
    while (i <= j) {
      while (col[order[i]] < pivot) i++;
      while (col[order[j]] > pivot) j--;
      if (i <= j) {
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
        i++;
        j--;
      }
    }
    if (m <= j) e = j;
    else if (m >= i) s = i;
    else return;
  }
}

/** The value of rank m (0-based) among a[s..e], reordering a in place (Hoare quickselect). */
function selectKth(a: Float64Array, s: number, e: number, m: number): number {
  while (e > s) {
    const pivot = a[(s + e) >> 1];
    let i = s;
    let j = e;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (m <= j) e = j;
    else if (m >= i) s = i;
    else return a[m];
  }
  return a[m];
}
