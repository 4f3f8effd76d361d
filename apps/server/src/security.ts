// Who may talk to the server: Host header check (against DNS rebinding), CORS only for allowed
// origins, and no listening beyond loopback without a token unless the operator says so.
import { isIP } from "node:net";
import { networkInterfaces } from "node:os";
import { InputError } from "@causeway/core";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ServerConfig } from "./env.js";
import { HttpError } from "./replies.js";

/** Whether an address or name stays on this machine (localhost, 127.0.0.0/8, ::1). */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || h === "0:0:0:0:0:0:0:1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h.endsWith(".localhost");
}

const WILDCARDS = new Set(["0.0.0.0", "::", "[::]", ""]);

/**
 * Refuses a configuration that listens beyond loopback with no token (any machine on the network
 * could run jobs), unless `allowNoToken` (CAUSEWAY_ALLOW_NO_TOKEN=1, --insecure-no-token) says so.
 */
export function checkListenSafety(config: Pick<ServerConfig, "host" | "token" | "allowNoToken">): void {
  if (config.token || config.allowNoToken || isLoopback(config.host)) return;
  throw new InputError(
    `refusing to listen on ${config.host || "every address"} without a token: set CAUSEWAY_TOKEN, listen on 127.0.0.1, or pass --insecure-no-token (CAUSEWAY_ALLOW_NO_TOKEN=1) to allow it`,
  );
}

/** The host name of a Host header or URL host ("[::1]:8080" → "::1", "Example.com.:80" → "example.com"), or null when malformed. */
export function hostName(header: string | undefined): string | null {
  if (!header) return null;
  const h = header.trim().toLowerCase();
  const m = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/.exec(h) ?? /^([a-z0-9._-]+)(?::\d{1,5})?$/.exec(h);
  return m ? m[1].replace(/\.$/, "") : null;
}

function list(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** What a request's Origin gets: "none" (no Origin: not a browser page), the origin to echo, or refused. */
export type OriginDecision = { kind: "none" } | { kind: "allow"; origin: string } | { kind: "refuse"; reason: string };

/** The Host and Origin rules of one server, built from its config. */
export class AccessPolicy {
  private readonly anyHost: boolean;
  private readonly hosts = new Set<string>(["localhost", "127.0.0.1", "::1"]);
  private readonly anyOrigin: boolean;
  private readonly origins: Set<string>;

  constructor(config: Pick<ServerConfig, "host" | "allowedHosts" | "corsOrigin">) {
    const extra = list(config.allowedHosts);
    this.anyHost = extra.includes("*");
    for (const h of extra) this.hosts.add(hostName(h) ?? h.toLowerCase());
    const bound = config.host.toLowerCase().replace(/^\[|\]$/g, "");
    if (WILDCARDS.has(bound)) {
      // Listening everywhere: this machine's own addresses (and the printed 0.0.0.0 URL) are not a rebinding vector.
      if (bound) this.hosts.add(bound);
      for (const addrs of Object.values(networkInterfaces())) for (const a of addrs ?? []) this.hosts.add(a.address.toLowerCase());
    } else this.hosts.add(bound);
    const origins = list(config.corsOrigin);
    this.anyOrigin = origins.includes("*");
    this.origins = new Set(origins.map((o) => o.replace(/\/$/, "").toLowerCase()));
  }

  /** Whether a Host header names this server (loopback, the listen address, an allowed name). */
  hostAllowed(header: string | undefined): boolean {
    if (this.anyHost) return true;
    const name = hostName(header);
    return name !== null && (this.hosts.has(name) || (isLoopback(name) && isIP(name) !== 0));
  }

  /** The CORS answer for a request's Origin: same-origin pages and configured origins only. */
  origin(origin: string | undefined, host: string | undefined): OriginDecision {
    if (origin === undefined) return { kind: "none" };
    if (this.anyOrigin) return { kind: "allow", origin: "*" };
    const o = origin.trim().toLowerCase();
    if (this.origins.has(o)) return { kind: "allow", origin };
    // A page served by this server itself (same scheme-less host:port).
    if (host && (o === `http://${host.toLowerCase()}` || o === `https://${host.toLowerCase()}`)) return { kind: "allow", origin };
    return {
      kind: "refuse",
      reason: `origin ${JSON.stringify(origin.slice(0, 200))} is not allowed to call this server; add it to CAUSEWAY_CORS_ORIGIN (comma-separated) to allow it`,
    };
  }
}

/**
 * The onRequest hook of the policy: 403 for a foreign Host or Origin, CORS headers for an allowed
 * Origin, and the preflight (OPTIONS) answered here.
 */
export function accessHook(access: AccessPolicy): (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined> {
  return async (req, reply) => {
    if (!access.hostAllowed(req.headers.host))
      throw new HttpError(403, `host ${JSON.stringify((req.headers.host ?? "").slice(0, 200))} is not this server's name; add it to CAUSEWAY_ALLOWED_HOSTS to accept it`);
    const cors = access.origin(req.headers.origin, req.headers.host);
    if (cors.kind === "refuse") throw new HttpError(403, cors.reason);
    if (cors.kind === "none") return undefined;
    reply.header("access-control-allow-origin", cors.origin).header("vary", "origin");
    if (req.method !== "OPTIONS") return undefined;
    return reply
      .code(204)
      .headers({
        "access-control-allow-methods": "GET, POST, DELETE, OPTIONS",
        "access-control-allow-headers": "authorization, content-type",
        "access-control-max-age": "600",
      })
      .send();
  };
}
