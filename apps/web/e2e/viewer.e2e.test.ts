// The viewer's browser tests: build the app once (Vite), serve it on loopback, and run the
// in-browser and server-mode suites in Debian's headless Chromium. They skip, with the reason
// printed, where Chromium is missing (.ci/setup-chromium.sh installs it in CI).
import { afterAll, beforeAll, describe } from "vitest";
import { chromiumMissing, serveViewer, type Viewer } from "./browser.js";
import { inBrowserSuite } from "./in-browser.js";
import { serverModeSuite } from "./server-mode.js";

const missing = chromiumMissing();
if (missing) console.warn(`viewer browser tests skipped: ${missing}`);

describe.skipIf(missing !== null)("viewer (built, served on loopback)", () => {
  let viewer: Viewer | undefined;
  beforeAll(async () => {
    viewer = await serveViewer();
  });
  afterAll(async () => {
    await viewer?.close();
  });
  const built = () => {
    if (!viewer) throw new Error("the viewer was not built");
    return viewer;
  };
  inBrowserSuite(built);
  serverModeSuite(built);
});
