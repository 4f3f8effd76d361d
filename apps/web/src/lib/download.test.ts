// @vitest-environment happy-dom
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { embeddedFontCss, EXPORT_FONT, svgText } from "./download.js";

describe("svgText", () => {
  it("embeds the font (regular and bold WOFF2 as data URLs) and names it on the root", () => {
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 100 50");
    const text = document.createElementNS("http://www.w3.org/2000/svg", "text");
    text.textContent = "x0 → x1";
    svg.appendChild(text);
    const out = svgText(svg as SVGSVGElement);
    expect(out).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(out).toContain(`font-family="&quot;${EXPORT_FONT}&quot;, &quot;DejaVu Sans&quot;, Verdana, sans-serif"`);
    const urls = [...embeddedFontCss().matchAll(/url\(data:font\/woff2;base64,([A-Za-z0-9+/=]+)\)/g)].map((m) => m[1]);
    expect(urls).toHaveLength(2);
    // The committed font files, byte for byte (WOFF2 magic "wOF2").
    const files = ["dejavu-sans-subset.woff2", "dejavu-sans-bold-subset.woff2"].map((f) => readFileSync(join(dirname(expect.getState().testPath!), "../assets/fonts", f)));
    expect(urls.map((u) => Buffer.from(u, "base64"))).toEqual(files);
    expect(files.every((f) => f.subarray(0, 4).toString("latin1") === "wOF2")).toBe(true);
    expect(out).toContain(embeddedFontCss().slice(0, 200));
    // The original on the page is untouched.
    expect(svg.getAttribute("font-family")).toBeNull();
  });
});
