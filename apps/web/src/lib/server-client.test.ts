// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { parseSse } from "./server-client.js";

describe("parseSse", () => {
  it("splits events, joins multi-line data, skips comments and keeps the unfinished rest", () => {
    const { events, rest } = parseSse(': ping\n\nevent: progress\ndata: {"fraction":0.5}\n\nevent: state\r\ndata: a\r\ndata: b\r\n\r\ndata: plain\n\nevent: sta');
    expect(events).toEqual([
      { event: "progress", data: '{"fraction":0.5}' },
      { event: "state", data: "a\nb" },
      { event: "message", data: "plain" },
    ]);
    expect(rest).toBe("event: sta");
  });

  it("parses an event split across two reads", () => {
    const first = parseSse("event: progress\nda");
    expect(first.events).toEqual([]);
    const second = parseSse(first.rest + "ta: 1\n\n");
    expect(second).toEqual({ events: [{ event: "progress", data: "1" }], rest: "" });
  });
});
