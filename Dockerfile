# syntax=docker/dockerfile:1
#
# Calendar API image.
#   build:    docker build -t calendar-api .
#   serve:    docker run -e DATABASE_URL=... -e JWT_SECRET=... -p 3000:3000 calendar-api
#   migrate:  docker run --rm -e DATABASE_URL=... calendar-api node dist/src/migrate.js
#
# Stages: "deps" installs production dependencies only, "build" installs everything and compiles
# TypeScript, "runtime" combines the two on a clean slim base (no compiler, no dev dependencies, no npm
# cache). Production runs Node 22 LTS; the code itself supports Node >= 20.11.

ARG NODE_VERSION=22

# ---- production dependencies -------------------------------------------------------------------
FROM node:${NODE_VERSION}-slim AS deps
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- compile -----------------------------------------------------------------------------------
FROM node:${NODE_VERSION}-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Dev dependencies (typescript) are needed here; NODE_ENV is left unset so npm installs them.
RUN npm ci --no-audit --no-fund
# Everything else the compiler needs (src/, migrations/, tsconfig.json); .dockerignore keeps out
# node_modules, dist, local data, secrets and the infrastructure folders.
COPY . .
RUN npm run build

# ---- runtime -----------------------------------------------------------------------------------
FROM node:${NODE_VERSION}-slim AS runtime
# --max-semi-space-size=16: Node sizes V8's heap from the container's memory limit, and under the
# 512 MiB of a Kubernetes replica that made the young generation 1 MiB a semi-space (16 MiB outside a
# container). Objects of requests in flight then outlived its collections and filled the old
# generation: the month listing served 0.41x and the GraphQL page 0.64x of what the same process
# serves without the limit, 0.77x and 0.78x with this flag (docs/operations.md, "Memory").
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    NODE_OPTIONS="--enable-source-maps --max-semi-space-size=16"
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/package.json ./package.json
COPY --from=build --chown=root:root /app/dist ./dist
# The code is owned by root and read-only for the app user. Only ./data is writable: it is used by the
# embedded database when DATABASE_URL is absent (a demo `docker run`, never production).
RUN mkdir -p /app/data && chown 1000:1000 /app/data

# The "node" user of the official image, given numerically so that Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 3000

# Slim images have no curl or wget: probe with Node's built-in fetch, with a timeout of its own.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# Node runs as PID 1 and handles SIGTERM itself (readiness turns 503, in-flight requests drain for
# SHUTDOWN_GRACE_MS, then the process exits). Migrations: override the command with
# `node dist/src/migrate.js` (docker-compose's "migrate" service and the Kubernetes Job do this).
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
