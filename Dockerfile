# syntax=docker/dockerfile:1
# One image for the four roles of AutoConnect analytics: docker-compose.yml picks a role by its command,
# `node apps/<role>/dist/main.js`, the same file `pnpm start:<role>` runs in a checkout.

# The Node of .node-version (Node 20 reached its end of life in April 2026).
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

# --- build: the whole workspace with its dev dependencies, compiled by `pnpm build`.
FROM ${NODE_IMAGE} AS build
ENV TURBO_TELEMETRY_DISABLED=1
# The pnpm of package.json's packageManager field (corepack would need a registry key refresh).
RUN npm install -g pnpm@10.34.9
WORKDIR /src
# Dependencies come from the lockfile alone, so this layer is reused until the lockfile changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
RUN pnpm fetch
COPY . .
RUN pnpm install --offline --frozen-lockfile
RUN pnpm build
# Each role with its production dependencies only, workspace packages copied in (pnpm 10 needs --legacy
# for a workspace that does not inject its packages).
RUN pnpm --filter @autoconnect/api deploy --prod --legacy /prod/apps/api \
 && pnpm --filter @autoconnect/orchestrator deploy --prod --legacy /prod/apps/orchestrator \
 && pnpm --filter @autoconnect/worker deploy --prod --legacy /prod/apps/worker \
 && pnpm --filter @autoconnect/aggregator deploy --prod --legacy /prod/apps/aggregator

# --- runtime: Node and the four pruned roles; no pnpm, no compiler, no dev dependencies.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
# A young generation of at most 16 MB per semi-space (Node 20's default): Node 24 sizes it by the host's memory,
# and under load the API then holds twice the memory it needs and spends more CPU per request collecting it
# (bench/results/findings.md, "Node 24").
ENV NODE_OPTIONS=--max-semi-space-size=16
WORKDIR /app
COPY --from=build /prod/ ./
# DATA_DIR, the one folder the roles may write (the API stores uploads there), owned by the unprivileged user
# that runs them. A named volume mounted there copies this ownership; a bind mount (compose's ./data) keeps
# the host's, so on Linux the host folder must be writable by uid 1000 (see the README).
RUN install -d -o node -g node -m 0755 /app/data
# The image's unprivileged user; the code stays owned by root, so the roles cannot rewrite it.
USER node
EXPOSE 5000
CMD ["node", "apps/api/dist/main.js"]
