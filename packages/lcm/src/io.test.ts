import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { useBackend } from "@causeway/core";
import { maxAbsDiff } from "@causeway/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModel, serializeModel, type SerializedModel } from "./io.js";
import { LcmModel } from "./model.js";

describe("loadModel over HTTP (what the browser does)", () => {
  let server: Server;
  let base: string;
  let saved: SerializedModel;
  let model: LcmModel;
  beforeAll(async () => {
    await useBackend("wasm");
    model = new LcmModel({ vMax: 4, maxLag: 2, lMax: 32, dModel: 16, heads: 2, layers: 2, dFf: 16, headHidden: 16, edgeHidden: 8 }, 3);
    saved = await serializeModel(model);
    server = createServer((req, res) => {
      if (req.url === "/m/model.json") res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(saved.modelJson));
      else if (req.url === "/m/weights.bin") res.writeHead(200).end(Buffer.from(saved.weights));
      else if (req.url === "/broken/model.json") res.writeHead(200).end(JSON.stringify(saved.modelJson));
      else res.writeHead(404, "Not Found").end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    model.dispose();
    await new Promise((resolve) => server.close(resolve));
  });

  it("fetches model.json and the weights its manifest lists, exactly", async () => {
    const copy = await loadModel(`${base}/m/model.json`);
    const a = model.namedWeights();
    const b = copy.namedWeights();
    for (let i = 0; i < a.length; i++) expect(maxAbsDiff(a[i][1].dataSync(), b[i][1].dataSync())).toBe(0);
    copy.dispose();
  });

  it("names the URL and the HTTP status when a file is missing", async () => {
    await expect(loadModel(`${base}/none/model.json`)).rejects.toThrow(/cannot load http:\/\/127\.0\.0\.1:\d+\/none\/model\.json: HTTP 404 Not Found/);
    await expect(loadModel(`${base}/broken/model.json`)).rejects.toThrow(/broken\/weights\.bin: HTTP 404/);
  });
});
