# syntax=docker/dockerfile:1
# One image for every part of Verbund; the part is chosen by argument (deploy/entrypoint.sh):
#   docker build -t verbund .
#   docker run verbund gateway            docker run verbund subgraph county
#   docker run verbund migrate            docker run verbund help

# ---- build: all dependencies, compile the server (dist/) and the consent officers' console (console/dist)
# Node 24 LTS ("Krypton", supported until 2028-04-30). Node 20 ended 2026-04-30; Node 22 ends 2027-04-30, too soon
# to be worth a move. Node 26 (LTS since 2026-10-28) is the next step. Both stages use the same line.
# tests/deploy/base-image.test.ts checks it against deploy/node-release-schedule.json (nodejs/Release schedule.json).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# npm run build compiles gateway, subgraphs, migrations and seed; the image also runs the operator scripts
# (migrate, seed, token, audit-verify, …) compiled, so that it needs no TypeScript at run time.
RUN npm run build \
 && npx tsc -p deploy/tsconfig.image.json \
 && npm run build:console \
 && npm run build:explorer

# ---- runtime: production dependencies only, compiled code, non-root, read-only friendly
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# No dev dependencies; no optional platform packages either (embedded PostgreSQL's binaries, esbuild, rollup):
# a container always reaches PostgreSQL through DATABASE_URL / <NAME>_DATABASE_URL.
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/console/dist ./console/dist
COPY --from=build /app/explorer/dist ./explorer/dist
COPY --from=build /app/schema ./schema
COPY --from=build /app/trusted-documents ./trusted-documents
COPY deploy/entrypoint.sh /usr/local/bin/verbund
# /data holds the development signing key when a container runs without JWKS_URL (compose.yaml shares it as a
# volume); owned by the runtime user so that a fresh named volume is writable.
RUN mkdir -p /data && chown 1000:1000 /data && chmod 0755 /usr/local/bin/verbund
ENV DATA_DIR=/data
# The node images have the user "node" as 1000; numeric, so that Kubernetes can check runAsNonRoot.
USER 1000:1000
EXPOSE 4000 4001 4002 4003 4004 4005
ENTRYPOINT ["/usr/local/bin/verbund"]
CMD ["help"]
