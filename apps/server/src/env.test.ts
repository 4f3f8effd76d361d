import { InputError } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { readConfig } from "./env.js";

describe("readConfig", () => {
  it("reads settings from the environment and lets flags override them", () => {
    const c = readConfig({ port: 9000 }, {
      CAUSEWAY_PORT: "8081",
      CAUSEWAY_DATA: "/srv/causeway",
      CAUSEWAY_TOKEN: "t",
      CAUSEWAY_WORKERS: "3",
      CAUSEWAY_MAX_UPLOAD_MB: "2",
      CAUSEWAY_METHOD_MODULES: "/a.js, /b.js",
      CAUSEWAY_REDIS_URL: "redis://127.0.0.1:6379",
    });
    expect(c).toMatchObject({ port: 9000, dataDir: "/srv/causeway", token: "t", workers: 3, maxUploadBytes: 2 * 1024 * 1024, methodModules: ["/a.js", "/b.js"] });
    expect(c.redisUrl).toBe("redis://127.0.0.1:6379");
    const d = readConfig({}, {});
    expect(d).toMatchObject({ host: "127.0.0.1", port: 8080, token: undefined, redisUrl: undefined, jobRate: 5, jobBurst: 50 });
    expect(d.workers).toBeGreaterThanOrEqual(1);
  });

  it("reads the hardening settings (issue #15) with safe defaults", () => {
    const d = readConfig({}, {});
    expect(d).toMatchObject({ corsOrigin: "http://127.0.0.1:5173,http://localhost:5173", allowedHosts: "", allowNoToken: false, modelsDir: undefined, jobTimeoutSeconds: 3600 });
    const c = readConfig({}, { CAUSEWAY_MODELS_DIR: "/srv/models", CAUSEWAY_JOB_TIMEOUT: "90", CAUSEWAY_ALLOWED_HOSTS: "a.example", CAUSEWAY_ALLOW_NO_TOKEN: "1", CAUSEWAY_CORS_ORIGIN: "*" });
    expect(c).toMatchObject({ modelsDir: "/srv/models", jobTimeoutSeconds: 90, allowedHosts: "a.example", allowNoToken: true, corsOrigin: "*" });
    expect(() => readConfig({}, { CAUSEWAY_JOB_TIMEOUT: "0" })).toThrow(/CAUSEWAY_JOB_TIMEOUT must be a number >= 0.001 and <= 1728000/);
    expect(() => readConfig({}, { CAUSEWAY_JOB_TIMEOUT: "1e12" })).toThrow(/CAUSEWAY_JOB_TIMEOUT/);
  });

  it("names the variable when a value is bad", () => {
    expect(() => readConfig({}, { CAUSEWAY_PORT: "http" })).toThrow(new InputError('CAUSEWAY_PORT must be an integer between 0 and 65535, got "http"'));
    expect(() => readConfig({}, { CAUSEWAY_WORKERS: "0" })).toThrow(/CAUSEWAY_WORKERS/);
    expect(() => readConfig({}, { CAUSEWAY_LOG_LEVEL: "loud" })).toThrow(/CAUSEWAY_LOG_LEVEL must be one of/);
  });
});
