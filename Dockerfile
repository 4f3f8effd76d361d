# syntax=docker/dockerfile:1
# The Causeway server image. Build from the repository root:
#   docker build -t causeway-server .
#   docker run -p 127.0.0.1:8080:8080 -v causeway-data:/data -e CAUSEWAY_TOKEN=... causeway-server   # `causeway serve`
#   docker run -e CAUSEWAY_REDIS_URL=redis://redis:6379 causeway-server worker                        # `causeway worker`
# Settings are environment variables, read in apps/server/src/env.ts and listed in apps/server/README.md
# ("Settings"); those set below suit a container. compose.yaml runs it with Postgres, Redis and workers.

ARG NODE_VERSION=20

# --- build: install the workspace with pnpm, compile the server and the packages it uses -----------
FROM node:${NODE_VERSION}-bookworm AS build
RUN npm install --global --no-audit --no-fund pnpm@9.15.9
WORKDIR /src
# The lockfile alone decides what `pnpm fetch` downloads: this layer is reused until it changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch
COPY . .
RUN pnpm install --offline --frozen-lockfile
RUN pnpm turbo run build --filter=@causeway/server...
# Prune: the server with its production dependencies only (workspace packages copied in as built).
RUN pnpm --filter=@causeway/server deploy --prod /out

# --- runtime: node, the pruned server, a non-root user -----------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    CAUSEWAY_HOST=0.0.0.0 \
    CAUSEWAY_PORT=8080 \
    CAUSEWAY_DATA=/data
COPY --from=build /out /app
# `causeway serve|worker`: the same commands the CLI runs (apps/server/src/main.ts).
RUN printf '#!/bin/sh\nexec node /app/dist/main.js "$@"\n' > /usr/local/bin/causeway \
 && chmod 0755 /usr/local/bin/causeway \
 && mkdir -p /data \
 && chown node:node /data
USER node
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
# /healthz answers once the store does (no token needed); `worker` containers listen on no port,
# so compose.yaml turns this check off for them.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.CAUSEWAY_PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["causeway"]
CMD ["serve"]
