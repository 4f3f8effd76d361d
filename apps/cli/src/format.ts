/** Plain-text table with right-aligned numeric columns. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === "number" ? fmt(c) : c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]?.length ?? 0)));
  const numeric = headers.map((_, i) => rows.every((r) => typeof r[i] === "number"));
  const line = (r: string[]) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n") + "\n";
}

/** Compact number formatting: 4 significant digits, integers as they are. */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined) return "-";
  if (Number.isInteger(x)) return String(x);
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1000 ? x.toFixed(0) : String(Number(x.toPrecision(4)));
}
