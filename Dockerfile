# Gatehouse over WebSocket in a container. node:lts tracks the current Node LTS (pin a version or a
# digest with --build-arg NODE_IMAGE=…); bubblewrap is the Linux sandbox. The sandbox needs the
# container's /proc unmasked (--security-opt systempaths=unconfined) and, under Docker's default
# profiles, seccomp and AppArmor off: see the README ("Docker"), or use externalSandbox when the
# container itself is the sandbox. test/container/ builds and runs this file (npm run test:container).
ARG NODE_IMAGE=node:lts-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Dependencies first, so that a source change does not download them again. Their install scripts
# run below with `npm rebuild`, once the sources are there (npm ci would also run `prepare`, the
# build, which needs them).
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY scripts ./scripts
COPY protocol ./protocol
COPY server ./server
COPY clients ./clients
RUN npm rebuild && npm run build && npm prune --omit=dev

FROM ${NODE_IMAGE}
# tini is PID 1: it reaps what the commands the daemon runs leave behind (Node reaps only its own
# children) and passes SIGTERM on, so `docker stop` gets the daemon's clean shutdown (exit 0).
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends bubblewrap ca-certificates git tini \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
RUN useradd --create-home --uid 10001 gatehouse && mkdir -p /home/gatehouse/.gatehouse && chown -R gatehouse /home/gatehouse
USER gatehouse
ENV GATEHOUSE_HOME=/home/gatehouse/.gatehouse
EXPOSE 4500
# For the default CMD's listener; a --listen elsewhere needs its own check.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s \
    CMD ["node", "-e", "require('http').get('http://127.0.0.1:4500/readyz', (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))"]
# The token file is mounted at run time, readable by uid 10001 (see README); a non-loopback listener
# refuses to start without auth.
ENTRYPOINT ["/usr/bin/tini", "--", "/app/dist/gatehouse.mjs"]
CMD ["app-server", "--listen", "ws://0.0.0.0:4500", "--ws-auth", "capability-token", "--ws-token-file", "/run/secrets/gatehouse-token"]
