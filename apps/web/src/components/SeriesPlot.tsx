import { Checkbox, Group, RangeSlider, Stack, Text } from "@mantine/core";
import type { TimeSeries } from "@causeway/core";
import { useMemo, useState, type MouseEvent } from "react";
import { SERIES_COLORS } from "../lib/colors.js";

const W = 900;
const ROW = 70;
const LEFT = 70;
const RIGHT = 12;

/** Every variable as a stacked line plot, with a time window, variable toggles and a hover readout. */
export function SeriesPlot({ series }: { series: TimeSeries }) {
  const V = series.variables.length;
  const T = series.length;
  const [window, setWindow] = useState<[number, number]>([0, T - 1]);
  const [hidden, setHidden] = useState<Set<number>>(new Set());
  const [hover, setHover] = useState<number | null>(null);
  const [from, to] = [Math.max(0, Math.min(window[0], T - 2)), Math.min(T - 1, Math.max(window[1], 1))];
  const shown = series.variables.map((_, v) => v).filter((v) => !hidden.has(v));
  const H = Math.max(1, shown.length) * ROW + 24;
  const x = (t: number) => LEFT + ((t - from) / Math.max(1, to - from)) * (W - LEFT - RIGHT);

  // One polyline per shown variable; at most ~2 points per pixel column.
  const paths = useMemo(() => {
    const step = Math.max(1, Math.floor((to - from) / (2 * (W - LEFT - RIGHT))));
    return shown.map((v, row) => {
      let lo = Infinity;
      let hi = -Infinity;
      for (let t = from; t <= to; t++) {
        const y = series.data[t * V + v];
        if (y < lo) lo = y;
        if (y > hi) hi = y;
      }
      const top = row * ROW + 6;
      const scale = (y: number) => top + (hi > lo ? (1 - (y - lo) / (hi - lo)) * (ROW - 12) : (ROW - 12) / 2);
      const pts: string[] = [];
      for (let t = from; t <= to; t += step) pts.push(`${x(t).toFixed(1)},${scale(series.data[t * V + v]).toFixed(1)}`);
      return { v, row, d: pts.join(" "), lo, hi };
    });
  }, [series, from, to, hidden]);

  const onMove = (e: MouseEvent<SVGSVGElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const px = ((e.clientX - rect.left) / rect.width) * W;
    if (px < LEFT) return setHover(null);
    setHover(Math.round(from + ((px - LEFT) / (W - LEFT - RIGHT)) * (to - from)));
  };

  return (
    <Stack gap="xs">
      <Group gap="sm">
        {series.variables.map((name, v) => (
          <Checkbox
            key={name}
            size="xs"
            label={name}
            color={SERIES_COLORS[v % SERIES_COLORS.length]}
            checked={!hidden.has(v)}
            onChange={() => setHidden((h) => (h.has(v) ? new Set([...h].filter((i) => i !== v)) : new Set([...h, v])))}
          />
        ))}
      </Group>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label="time series" data-testid="series-plot" onMouseMove={onMove} onMouseLeave={() => setHover(null)}>
        {paths.map(({ v, row, d, lo, hi }) => (
          <g key={v}>
            <text x={4} y={row * ROW + ROW / 2} fontSize={12} fill="#333">{series.variables[v]}</text>
            <text x={LEFT - 4} y={row * ROW + 14} fontSize={9} fill="#888" textAnchor="end">{hi.toPrecision(3)}</text>
            <text x={LEFT - 4} y={row * ROW + ROW - 6} fontSize={9} fill="#888" textAnchor="end">{lo.toPrecision(3)}</text>
            <line x1={LEFT} x2={W - RIGHT} y1={row * ROW + ROW} y2={row * ROW + ROW} stroke="#eee" />
            <polyline points={d} fill="none" stroke={SERIES_COLORS[v % SERIES_COLORS.length]} strokeWidth={1.2} />
          </g>
        ))}
        <text x={LEFT} y={H - 6} fontSize={10} fill="#666">t = {from}</text>
        <text x={W - RIGHT} y={H - 6} fontSize={10} fill="#666" textAnchor="end">t = {to}</text>
        {hover !== null && hover >= from && hover <= to && (
          <g pointerEvents="none">
            <line x1={x(hover)} x2={x(hover)} y1={0} y2={H - 20} stroke="#555" strokeDasharray="3 3" />
            <text x={Math.min(x(hover) + 4, W - 150)} y={H - 6} fontSize={10} fill="#222">
              t = {series.time?.[hover] ?? hover}: {shown.slice(0, 4).map((v) => `${series.variables[v]} ${series.data[hover * V + v].toPrecision(3)}`).join(", ")}
              {shown.length > 4 ? " …" : ""}
            </text>
          </g>
        )}
      </svg>
      <Text size="xs" c="dimmed">Time window</Text>
      <RangeSlider min={0} max={T - 1} minRange={1} value={[from, to]} onChange={setWindow} label={(v) => `t = ${v}`} aria-label="time window" />
    </Stack>
  );
}
