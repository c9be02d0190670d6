# Gatehouse over WebSocket in a container. node:lts tracks the current Node LTS; bubblewrap is the
# Linux sandbox. Docker's default seccomp profile refuses the user namespaces bubblewrap needs: see the
# README ("Docker") for the run flags that make the sandbox work, or use externalSandbox when the
# container itself is the sandbox.
FROM node:lts-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY protocol ./protocol
COPY server ./server
COPY clients ./clients
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

FROM node:lts-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends bubblewrap ca-certificates git \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
RUN useradd --create-home --uid 10001 gatehouse && mkdir -p /home/gatehouse/.gatehouse && chown -R gatehouse /home/gatehouse
USER gatehouse
ENV GATEHOUSE_HOME=/home/gatehouse/.gatehouse
EXPOSE 4500
# The token file is mounted at run time (see README); a non-loopback listener refuses to start without auth.
ENTRYPOINT ["/app/dist/gatehouse.mjs"]
CMD ["app-server", "--listen", "ws://0.0.0.0:4500", "--ws-auth", "capability-token", "--ws-token-file", "/run/secrets/gatehouse-token"]
