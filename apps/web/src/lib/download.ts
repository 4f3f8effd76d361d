import regularFont from "../assets/fonts/dejavu-sans-subset.woff2?inline";
import boldFont from "../assets/fonts/dejavu-sans-bold-subset.woff2?inline";

/** The family the exported figures name, embedded in them (a subset of DejaVu Sans, scripts/subset-font.sh). */
export const EXPORT_FONT = "Causeway DejaVu Sans";

/** `@font-face` rules with the font inlined as data URLs: the figure renders the same wherever it is opened. */
export function embeddedFontCss(): string {
  const face = (url: string, weight: string) => `@font-face{font-family:"${EXPORT_FONT}";src:url(${url}) format("woff2");font-weight:${weight};font-style:normal}`;
  return face(regularFont, "100 500") + face(boldFont, "600 900");
}

/** Save text or a blob as a file through a temporary link. */
export function download(name: string, content: Blob | string, type = "application/json"): void {
  const blob = typeof content === "string" ? new Blob([content], { type }) : content;
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A standalone SVG document of an on-page `<svg>` (white background, namespaces set, its font embedded). */
export function svgText(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  clone.setAttribute("xmlns:xlink", "http://www.w3.org/1999/xlink");
  const { width, height } = svg.viewBox.baseVal ?? { width: 0, height: 0 };
  if (width && height) {
    clone.setAttribute("width", String(width));
    clone.setAttribute("height", String(height));
  }
  // The page's font is not in a standalone file (it fell back to a serif): embed one and name it.
  clone.setAttribute("font-family", `"${EXPORT_FONT}", "DejaVu Sans", Verdana, sans-serif`);
  const style = document.createElementNS("http://www.w3.org/2000/svg", "style");
  style.textContent = embeddedFontCss();
  const defs = document.createElementNS("http://www.w3.org/2000/svg", "defs");
  defs.appendChild(style);
  const bg = document.createElementNS("http://www.w3.org/2000/svg", "rect");
  bg.setAttribute("width", "100%");
  bg.setAttribute("height", "100%");
  bg.setAttribute("fill", "white");
  clone.insertBefore(bg, clone.firstChild);
  clone.insertBefore(defs, clone.firstChild);
  return new XMLSerializer().serializeToString(clone);
}

/** Render an `<svg>` to a PNG blob at `scale` times its viewBox size. */
export async function svgToPng(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const text = svgText(svg);
  const { width, height } = svg.viewBox.baseVal;
  const img = new Image();
  const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
  try {
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error("the figure could not be rendered to PNG"));
      img.src = url;
    });
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("no 2D canvas in this browser");
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("PNG encoding failed"))), "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}
