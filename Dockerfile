# One image for both apps and the ops CLI (dist/apps/ops); docker-compose.yml picks the app with APP.
FROM node:20-bookworm-slim AS build
# argon2 is compiled at install: its prebuilt x64 binary crashed on the Debian 12 hosts we test on.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
# The flags of scripts/app-node-flags.json (test/integration/docker-compose.test.ts keeps them equal).
CMD ["sh", "-c", "exec node --max-old-space-size=128 --max-semi-space-size=8 dist/apps/$APP/apps/$APP/src/main.js"]
