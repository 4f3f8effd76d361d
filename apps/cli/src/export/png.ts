// PNG by rasterising our SVG with resvg compiled to WebAssembly (@resvg/resvg-wasm: no native
// build, runs in any Node >= 20). resvg reads TrueType fonts only, so it gets the TTF subsets.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type * as Resvg from "@resvg/resvg-wasm";
import { fontTtf, FONT_FAMILY } from "./fonts.js";

let ready: Promise<typeof Resvg> | undefined;

/** resvg's module, its WebAssembly initialised once per process. */
function resvg(): Promise<typeof Resvg> {
  ready ??= (async () => {
    const mod = await import("@resvg/resvg-wasm");
    const wasm = readFileSync(createRequire(import.meta.url).resolve("@resvg/resvg-wasm/index_bg.wasm"));
    await mod.initWasm(wasm);
    return mod;
  })();
  return ready;
}

/** Rasterises an SVG document to PNG bytes at `scale` times its size (2: sharp on high-density screens and in print). */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const { Resvg } = await resvg();
  const r = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    font: { fontBuffers: fontTtf(), loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  });
  const png = r.render().asPng();
  r.free();
  return png;
}
