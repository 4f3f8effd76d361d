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
