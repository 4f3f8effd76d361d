// The viewer's browser tests: build the app once (Vite), serve it on loopback, and run the
// in-browser and server-mode suites in Debian's headless Chromium. They skip, with the reason
// printed, where Chromium is missing (.ci/setup-chromium.sh installs it in CI).
import { afterAll, beforeAll, describe } from "vitest";
import { chromiumMissing, openBrowser, serveViewer, type Harness } from "./browser.js";
import { graph20Suite } from "./graph-20.js";
import { inBrowserSuite } from "./in-browser.js";
import { serverModeSuite } from "./server-mode.js";

const missing = chromiumMissing();
if (missing) console.warn(`viewer browser tests skipped: ${missing}`);

describe.skipIf(missing !== null)("viewer (built, served on loopback)", () => {
  let harness: Harness | undefined;
  let closeBrowser: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    // Chromium starts while Vite builds.
    const t0 = performance.now();
    const [viewer, browser] = await Promise.all([serveViewer(), openBrowser()]);
    closeBrowser = browser.close;
    harness = { viewer, context: browser.context };
    console.log(`viewer built and Chromium started in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // The Vite build alone takes ~30 s of CPU: on a shared, loaded machine that is minutes of wall time.
  }, 480_000);
  afterAll(async () => {
    await closeBrowser?.();
    await harness?.viewer.close();
  });
  const built = () => {
    if (!harness) throw new Error("the viewer was not built");
    return harness;
  };
  inBrowserSuite(built);
  graph20Suite(built);
  serverModeSuite(built);
});
