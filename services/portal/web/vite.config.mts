// Built by the portal server at start when dist is stale (src/web-build.ts), or by `pnpm build`.
// Each role's pages are their own chunk (lazy routes in src/main.tsx), so a resident's phone never
// downloads the dashboard's charts; every asset is also written brotli- and gzip-compressed for the
// server to send as it is (src/http/web-app.ts).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Writes `<file>.br` and `<file>.gz` beside every text asset worth compressing. */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const assets = path.join(outDir, 'assets');
      if (!fs.existsSync(assets)) return;
      for (const name of fs.readdirSync(assets)) {
        if (!/\.(js|css|svg|json|html)$/.test(name)) continue;
        const file = path.join(assets, name);
        const body = fs.readFileSync(file);
        if (body.length < 1024) continue;
        fs.writeFileSync(
          `${file}.br`,
          zlib.brotliCompressSync(body, {
            params: {
              [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
              [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
            },
          }),
        );
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(body, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root: here,
  plugins: [react(), precompress()],
  build: {
    outDir: path.resolve(here, '..', 'dist'),
    emptyOutDir: true,
    // Modern phones' browsers: smaller output than the default's older targets.
    target: 'es2022',
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // The shared pieces of every role's pages in one chunk fetched beside the entry (one round
          // trip on a slow network instead of one per small module); the charts stay with the dashboard.
          groups: [{ name: 'shared', test: /web[\\/]src[\\/](lib|components[\\/](?!Chart))/ }],
        },
      },
    },
  },
  server: {
    // `vite --config web/vite.config.mts` during development; the portal server answers /api.
    proxy: { '/api': 'http://127.0.0.1:4100' },
  },
});
