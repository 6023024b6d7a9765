// One process at a time provisions, starts or stops the local infrastructure, or compiles the
// workspace (build.ts): jest's global setup
// of parallel runs, a developer's `infra up` and a CI job may all ask at once. proper-lockfile
// keeps an mkdir lock under infra/.data/run whose mtime it refreshes; a lock left by a killed
// process goes stale after 30 s and is taken over.
import fs from 'node:fs';
import lockfile from 'proper-lockfile';
import { InfraError } from './errors';
import { paths, rel } from './paths';
import type { Log } from './progress';

const STALE_MS = 30_000;

export async function withInfraLock<T>(log: Log, waitMs: number, fn: () => Promise<T>): Promise<T> {
  fs.mkdirSync(paths.runDir, { recursive: true });
  const options = {
    realpath: false,
    stale: STALE_MS,
    update: STALE_MS / 3,
    onCompromised: (err: Error) => log(`[infra] warning: the infra lock was lost (${err.message})`),
  };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(paths.lockTarget, { ...options, retries: 0 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
    log('[infra] another process is starting or stopping the local infrastructure: waiting for it');
    try {
      release = await lockfile.lock(paths.lockTarget, {
        ...options,
        retries: { retries: Math.ceil(waitMs / 1000), factor: 1, minTimeout: 1000, maxTimeout: 1000 },
      });
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== 'ELOCKED') throw again;
      throw new InfraError(
        `gave up after ${Math.round(waitMs / 1000)}s waiting for the infra lock (${rel(paths.lockTarget)}.lock)`,
        'see whether another `infra up` or test run is still busy; if none is, remove that folder',
      );
    }
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}
