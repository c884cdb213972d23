# Worker and API image: `node src/worker-main.ts` or `src/api-main.ts` through tsx.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# postinstall applies scripts/patches (a postgres.js fix, see the patch header) to the installed packages.
COPY scripts/patches ./scripts/patches
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
COPY drizzle ./drizzle
COPY scripts/bundle-workflows.ts ./scripts/
# Bundled once here, so each worker replica loads it (WORKFLOW_BUNDLE_PATH) rather than bundling at start.
RUN npx tsx scripts/bundle-workflows.ts dist/workflow-bundle.js
USER node
CMD ["npx", "tsx", "src/api-main.ts"]
