# syntax=docker/dockerfile:1
#
# The image of every GitTix service (auth, tickets, orders, payments,
# expiration): one definition, the service chosen by a build argument. Build
# from the repository root so the image sees the npm workspace (root manifest,
# lockfile, tsconfig.base.json and common/):
#
#   docker build --build-arg SERVICE=auth -t gittix/auth .
#   docker build --build-arg SERVICE=auth --target dev -t gittix/auth:dev .
#
# (podman: the same, plus `--isolation=chroot --network=host` on machines like
# the project's CI; `npm run images` builds all of them with whichever engine is
# present.) The client has its own Dockerfile (client/Dockerfile).
#
# Stages: deps → build → dev (skaffold dev: file sync + watch), and
# prod-deps → runtime (the default, last stage: production dependencies and
# compiled JavaScript only, run as the unprivileged `node` user).

# One pinned base for every stage: Node 22 LTS on Alpine (bump deliberately).
FROM node:22.22.0-alpine3.23 AS base
# Which service to build; every stage that needs it declares it again.
ARG SERVICE
RUN case "$SERVICE" in auth|tickets|orders|payments|expiration) ;; \
      *) echo "build with --build-arg SERVICE=<auth|tickets|orders|payments|expiration> (got '$SERVICE')" >&2; exit 1 ;; \
    esac
WORKDIR /app
ENV npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

# Manifests first, so the dependency layers are rebuilt only when they change.
# Only this service and common are installed (plus the root's dev tools,
# TypeScript and @types, for the build). Install scripts stay off, as on the
# developer machines (npm 11 blocks them by default); nothing here needs one.
# The npm cache is a build cache mount: downloads are shared between images and
# builds, and never land in a layer.
FROM base AS deps
ARG SERVICE
COPY package.json package-lock.json ./
COPY common/package.json common/
COPY testing/package.json testing/
COPY ${SERVICE}/package.json ${SERVICE}/
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --ignore-scripts --prefer-offline --workspace "$SERVICE" --workspace common --include-workspace-root

# Compile common and the service (project references) with tsc -b. /out keeps
# only the JavaScript the runtime needs: declarations, source maps and build
# info serve the compiler, not the running service.
FROM deps AS build
ARG SERVICE
COPY tsconfig.base.json ./
COPY common/ common/
COPY ${SERVICE}/ ${SERVICE}/
RUN node_modules/.bin/tsc -b "$SERVICE" \
  && mkdir /out \
  && tar -cf - --exclude='*.d.ts' --exclude='*.map' --exclude='.tsbuildinfo' common/dist "$SERVICE/dist" | tar -C /out -xf -

# `skaffold dev` target. The pod's root filesystem is read-only (same manifests
# as production), so the watcher works on a copy in /tmp (an emptyDir): skaffold
# syncs <service>/src/**/*.ts to /tmp/app, `tsc -b --watch` recompiles and
# `node --watch` restarts the service. common and node_modules are linked, not copied.
FROM build AS dev
ARG SERVICE
ENV NODE_ENV=development SERVICE=${SERVICE}
USER node
CMD ["sh", "-c", "set -eu; rm -rf /tmp/app; mkdir -p /tmp/app; cp -R /app/$SERVICE /tmp/app/$SERVICE; ln -s /app/node_modules /app/common /app/package.json /app/tsconfig.base.json /tmp/app/; cd /tmp/app; node_modules/.bin/tsc -b $SERVICE --watch --preserveWatchOutput & exec node --watch $SERVICE/dist/index.js"]

# Production dependencies of the service and common only (no test harness: it is
# the dev-only @gittix/testing). What packages ship besides their code (their
# TypeScript sources and declarations, tests, docs, source maps) is removed:
# nothing reads it at run time. The empty workspace-level node_modules folders
# let the runtime stage copy them even when npm hoisted everything to the root.
FROM base AS prod-deps
ARG SERVICE
COPY package.json package-lock.json ./
COPY common/package.json common/
COPY ${SERVICE}/package.json ${SERVICE}/
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --ignore-scripts --prefer-offline --omit=dev --workspace "$SERVICE" --workspace common --include-workspace-root=false \
  && mkdir -p common/node_modules "$SERVICE/node_modules" \
  && find . -path ./node_modules/.bin -prune -o -type d \( -name test -o -name tests -o -name __tests__ \) -path '*/node_modules/*' -prune -exec rm -rf {} + \
  && find . -type f -path '*/node_modules/*' \( -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -name '*.tsx' -o -name '*.map' -o -name '*.md' \) -delete

# The image that runs in the cluster: compiled JavaScript and production
# dependencies, owned by root and read-only to the `node` user that runs it.
# Node is PID 1 and handles SIGTERM itself (graceful stop: runService in common).
FROM base AS runtime
ARG SERVICE
ENV NODE_ENV=production
COPY --from=prod-deps /app/package.json ./
COPY --from=prod-deps /app/node_modules node_modules/
COPY --from=prod-deps /app/common/package.json common/
COPY --from=prod-deps /app/common/node_modules common/node_modules/
COPY --from=build /out/common/dist common/dist/
COPY --from=prod-deps /app/${SERVICE}/package.json ${SERVICE}/
COPY --from=prod-deps /app/${SERVICE}/node_modules ${SERVICE}/node_modules/
COPY --from=build /out/${SERVICE}/dist ${SERVICE}/dist/
WORKDIR /app/${SERVICE}
USER node
EXPOSE 3000
CMD ["node", "dist/index.js"]
