/**
 * 1-based mid-ranks `[n]` of `values`: equal values share the mean of the ranks they span
 * (ranks 2 and 3 tied -> 2.5 each), so every rank is a whole number or a half. `ties` lists the
 * sizes of the tie groups of two or more, in ascending order of value (for tie corrections).
 *
 * @example midRanks([10, 30, 20, 20]).ranks // [1, 4, 2.5, 2.5]; .ties // [2]
 */
export function midRanks(values: ArrayLike<number>): { ranks: Float64Array; ties: number[] } {
  const n = values.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  const ties: number[] = [];
  for (let start = 0; start < n; ) {
    let end = start + 1; // tie group [start, end) of the sorted order
    while (end < n && values[idx[end]] === values[idx[start]]) end++;
    for (let k = start; k < end; k++) ranks[idx[k]] = (start + 1 + end) / 2;
    if (end - start > 1) ties.push(end - start);
    start = end;
  }
  return { ranks, ties };
}
