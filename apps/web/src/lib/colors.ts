// Viridis stops (perceptually uniform, colour-blind safe), interpolated linearly.
const STOPS: [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/** Colour of `value` on a viridis scale between `min` and `max`. */
export function viridis(value: number, min: number, max: number): string {
  const t = max > min ? Math.min(1, Math.max(0, (value - min) / (max - min))) : 0.5;
  const x = t * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const [r, g, b] = STOPS[i].map((c, j) => Math.round(c + f * (STOPS[i + 1][j] - c)));
  return `rgb(${r}, ${g}, ${b})`;
}

/** Text colour readable on `viridis(value, ...)`. */
export function inkOn(value: number, min: number, max: number): string {
  const t = max > min ? (value - min) / (max - min) : 0.5;
  return t > 0.55 ? "#111" : "#fff";
}

/** Line colours for series plots (Mantine's palette, distinct hues). */
export const SERIES_COLORS = ["#1c7ed6", "#e8590c", "#2f9e44", "#c2255c", "#7048e8", "#0c8599", "#f08c00", "#5c940d", "#ae3ec9", "#495057"];

/** A light-to-dark blue ramp (t in [0, 1]) for edge colours on white: light = weak, dark = strong. */
export function blues(t: number): string {
  const x = Math.min(1, Math.max(0, t));
  const from = [198, 219, 239];
  const to = [8, 48, 107];
  const [r, g, b] = from.map((c, j) => Math.round(c + x * (to[j] - c)));
  return `rgb(${r}, ${g}, ${b})`;
}

/** Red for positive, blue for negative, stronger with |value| / maxAbs (tigramite's RdBu_r convention). */
export function diverging(value: number, maxAbs: number): string {
  const t = Math.min(1, Math.abs(value) / (maxAbs || 1));
  const to = value >= 0 ? [178, 24, 43] : [33, 102, 172];
  const from = [230, 210, 210].map((c, j) => (value >= 0 ? c : [205, 220, 235][j]));
  const [r, g, b] = from.map((c, j) => Math.round(c + (0.3 + 0.7 * t) * (to[j] - c)));
  return `rgb(${r}, ${g}, ${b})`;
}
