// Builds the viewer once for every browser test file and serves it on loopback (vite preview).
import type { TestProject } from "vitest/node";
import { chromiumMissing, serveViewer } from "./browser.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the built viewer, or "" when Chromium is missing (the tests then skip). */
    viewerUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  if (chromiumMissing()) {
    project.provide("viewerUrl", "");
    return;
  }
  const viewer = await serveViewer();
  project.provide("viewerUrl", viewer.url);
  return () => viewer.close();
}
