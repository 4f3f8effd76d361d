import { ActionIcon, Group, Text } from "@mantine/core";
import { useCallback, useEffect, useRef, useState, type PointerEvent as ReactPointerEvent, type ReactNode } from "react";

/** A pan and zoom of an SVG's content: translate then scale, in viewBox units. */
export interface View {
  k: number;
  x: number;
  y: number;
}

const IDENTITY: View = { k: 1, x: 0, y: 0 };
const K_MIN = 0.3;
const K_MAX = 8;

/** `v` zoomed by `factor` about the viewBox point (px, py), which stays put. */
export function zoomAbout(v: View, factor: number, px: number, py: number): View {
  const k = Math.min(K_MAX, Math.max(K_MIN, v.k * factor));
  const f = k / v.k;
  return { k, x: px - (px - v.x) * f, y: py - (py - v.y) * f };
}

/**
 * Zoom (wheel, buttons) and pan (drag) for a figure of `width` x `height` viewBox units. Wrap the
 * figure's `<svg>` in `frame` and put its content in `<g transform={transform}>`.
 */
export function useZoomPan(width: number, height: number, resetKey: unknown) {
  const [view, setView] = useState<View>(IDENTITY);
  const frame = useRef<HTMLDivElement>(null);
  const drag = useRef<{ id: number; x: number; y: number; view: View; moved: boolean } | null>(null);
  useEffect(() => setView(IDENTITY), [resetKey]);

  /** viewBox units per CSS pixel of the rendered svg. */
  const unitsPerPx = useCallback(() => {
    const svg = frame.current?.querySelector("svg");
    const rect = svg?.getBoundingClientRect();
    if (!rect || !rect.width || !rect.height) return { k: 1, left: 0, top: 0 };
    return { k: Math.max(width / rect.width, height / rect.height), left: rect.left, top: rect.top };
  }, [width, height]);

  useEffect(() => {
    const el = frame.current;
    if (!el) return;
    // Native listener: React's wheel handlers are passive and cannot stop the page scrolling.
    const onWheel = (ev: WheelEvent) => {
      ev.preventDefault();
      const { k, left, top } = unitsPerPx();
      setView((v) => zoomAbout(v, Math.exp(-ev.deltaY * 0.0015), (ev.clientX - left) * k, (ev.clientY - top) * k));
    };
    el.addEventListener("wheel", onWheel, { passive: false });
    return () => el.removeEventListener("wheel", onWheel);
  }, [unitsPerPx]);

  const onPointerDown = (ev: ReactPointerEvent) => {
    if (ev.button !== 0) return;
    drag.current = { id: ev.pointerId, x: ev.clientX, y: ev.clientY, view, moved: false };
  };
  const onPointerMove = (ev: ReactPointerEvent) => {
    const d = drag.current;
    if (!d || d.id !== ev.pointerId) return;
    if (!d.moved) {
      // A click (on a node) stays a click: the drag starts after a few pixels.
      if (Math.hypot(ev.clientX - d.x, ev.clientY - d.y) < 4) return;
      d.moved = true;
      (ev.currentTarget as HTMLElement).setPointerCapture?.(ev.pointerId);
    }
    const { k } = unitsPerPx();
    setView({ ...d.view, x: d.view.x + (ev.clientX - d.x) * k, y: d.view.y + (ev.clientY - d.y) * k });
  };
  const onPointerUp = () => (drag.current = null);

  const zoomBy = (factor: number) => setView((v) => zoomAbout(v, factor, width / 2, height / 2));
  const controls: ReactNode = (
    <Group gap={4} data-testid="zoom-controls" data-zoom={view.k.toFixed(3)}>
      <ActionIcon size="sm" variant="default" aria-label="zoom in" onClick={() => zoomBy(1.25)} data-testid="zoom-in">+</ActionIcon>
      <ActionIcon size="sm" variant="default" aria-label="zoom out" onClick={() => zoomBy(0.8)} data-testid="zoom-out">−</ActionIcon>
      <ActionIcon size="sm" variant="default" aria-label="fit" onClick={() => setView(IDENTITY)} data-testid="zoom-fit">⤢</ActionIcon>
      <Text size="xs" c="dimmed">wheel to zoom, drag to pan</Text>
    </Group>
  );
  return {
    view,
    transform: `translate(${view.x} ${view.y}) scale(${view.k})`,
    frameProps: { ref: frame, onPointerDown, onPointerMove, onPointerUp, onPointerCancel: onPointerUp, style: { touchAction: "none", cursor: "grab" } as const },
    controls,
  };
}
