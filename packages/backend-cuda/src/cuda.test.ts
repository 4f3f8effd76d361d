import { listBackends, probeBackend, useBackend } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { cudaProvider } from "./index.js";

describe("cuda backend", () => {
  it("is registered by importing the package", async () => {
    const listed = (await listBackends()).find((b) => b.name === "cuda");
    expect(listed?.description).toBe(cudaProvider.description);
    expect(listed?.reason ?? "").not.toMatch(/not installed or not imported/);
  });
  it("explains how to get tfjs-node-gpu when it is missing", async () => {
    const probe = await probeBackend("cuda");
    if (probe.available) return; // a machine with tfjs-node-gpu installed
    expect(probe.reason).toMatch(/^@tensorflow\/tfjs-node-gpu is (not installed|installed but failed to load: )/);
    expect(probe.fix).toMatch(/npm install @tensorflow\/tfjs-node-gpu@4\.22\.0/);
    await expect(useBackend("cuda")).rejects.toThrow(/backend "cuda" is not available: .*\. Fix: .*npm install @tensorflow\/tfjs-node-gpu/);
  });
});
