FROM node:20-bookworm-slim AS build
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
# The catalogue is read next to the compiled catalogue lib (dist/referentials).
COPY --from=build /app/referentials ./dist/referentials
COPY package.json tsconfig.json ./
# Path aliases (@jalon/*) resolve against the compiled tree.
ENV TS_NODE_BASEURL=./dist
# DATA_DIR (documents, generated files): a volume mounted here keeps this owner.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
CMD ["node", "-r", "tsconfig-paths/register", "dist/apps/api/src/main.js"]
