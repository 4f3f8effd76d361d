// The CLI's embedded font: a DejaVu Sans subset (the viewer's, apps/web/src/assets/fonts; license
// beside the files), as WOFF2 for SVG @font-face and as TTF for the PNG rasteriser.
import { readFileSync } from "node:fs";

/** The family name drawings use; the SVG embeds it, so it renders the same without the font installed. */
export const FONT_FAMILY = "DejaVu Sans";

// assets/ sits two levels above both src/export/ and dist/export/
const asset = (name: string) => readFileSync(new URL(`../../assets/fonts/${name}`, import.meta.url));

let woff2: { regular: string; bold: string } | undefined;
/** Base64 of the regular and bold WOFF2 subsets (read once). */
export function fontWoff2Base64(): { regular: string; bold: string } {
  woff2 ??= { regular: asset("dejavu-sans-subset.woff2").toString("base64"), bold: asset("dejavu-sans-bold-subset.woff2").toString("base64") };
  return woff2;
}

/** The TTF subsets (resvg reads TrueType, not WOFF2). */
export function fontTtf(): Uint8Array[] {
  return [asset("dejavu-sans-subset.ttf"), asset("dejavu-sans-bold-subset.ttf")];
}

/** `@font-face` rules embedding the subsets (no network, no installed font needed). */
export function fontFaceCss(): string {
  const f = fontWoff2Base64();
  return (
    `@font-face{font-family:"${FONT_FAMILY}";font-weight:400;src:url(data:font/woff2;base64,${f.regular}) format("woff2")}` +
    `@font-face{font-family:"${FONT_FAMILY}";font-weight:700;src:url(data:font/woff2;base64,${f.bold}) format("woff2")}`
  );
}
