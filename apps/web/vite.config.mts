import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** The api the dev server forwards to (`npm run dev:web`): every path but the console's own. */
const API = process.env.JALON_API_URL ?? 'http://localhost:3000';
const API_PATHS = [
  '/auth',
  '/health',
  '/referentials',
  '/candidates',
  '/enrollments',
  '/cohorts',
  '/findings',
  '/verifications',
  '/verify',
  '/admin',
  '/issuer',
  '/.well-known',
  '/docs',
  '/docs-json',
];

export default defineConfig({
  root: import.meta.dirname,
  // React's automatic JSX runtime through Vite's own transform (no Fast Refresh plugin: its peers do not resolve with Jest's Babel).
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: resolve(import.meta.dirname, '../../dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      // Mantine marks its modules "use client" for server components; a single-page app has none.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: { proxy: Object.fromEntries(API_PATHS.map((path) => [path, { target: API, changeOrigin: false }])) },
});
