// Built by the portal server at start when dist is stale (src/web-build.ts), or by `pnpm build`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  plugins: [react()],
  build: {
    outDir: path.resolve(here, '..', 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    // `vite --config web/vite.config.ts` during development; the portal server answers /api.
    proxy: { '/api': 'http://127.0.0.1:4100' },
  },
});
