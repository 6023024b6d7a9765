// `npm start` must work on a fresh clone, where services/portal/dist (ignored) does not exist: the
// server builds the web app with vite before it listens when dist is missing or older than any
// source under web/. Built into a fresh folder and swapped in, so a reader never sees half a build.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const WEB_DIR = path.resolve(__dirname, '..', 'web');

/** Newest modification time (ms) of the files under `dir`, skipping build output and dependencies. */
export function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Why dist must be (re)built, or undefined when it is up to date. */
export function staleReason(webDir: string, distDir: string): string | undefined {
  const index = path.join(distDir, 'index.html');
  if (!fs.existsSync(index)) return 'dist/index.html is missing';
  if (newestMtime(webDir) > fs.statSync(index).mtimeMs) return 'web/ changed since the last build';
  return undefined;
}

export function buildWeb(webDir: string, distDir: string): Promise<void> {
  const staging = `${distDir}.build-${process.pid}`;
  const vite = path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [vite, 'build', '--config', path.join(webDir, 'vite.config.mts'), '--outDir', staging, '--emptyOutDir'],
      // Always a production build: a NODE_ENV of test or development (jest sets one) would make vite
      // bundle React's development build, several times larger and with StrictMode's double effects.
      { cwd: webDir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production' } },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        fs.rmSync(staging, { recursive: true, force: true });
        reject(new Error(`vite build failed (exit ${code}):\n${output.slice(-4000)}`));
        return;
      }
      fs.rmSync(distDir, { recursive: true, force: true });
      fs.renameSync(staging, distDir);
      resolve();
    });
  });
}

/** Builds when needed; returns what was done, for the start-up log. */
export async function ensureWebBuild(webDir: string, distDir: string): Promise<string> {
  const reason = staleReason(webDir, distDir);
  if (!reason) return 'web app is up to date';
  await buildWeb(webDir, distDir);
  return `web app built (${reason})`;
}
