// The local store: FerretDB v1 (MongoDB wire protocol) on SQLite, built from the Go module proxy
// out of the wrapper module in infra/ferretdb, data under infra/.data/ferretdb.
import fs from 'node:fs';
import path from 'node:path';
import type { LocalInfraConfig } from './config';
import { InfraError } from './errors';
import { paths, rel, type FerretdbLayout } from './paths';
import { requireTool } from './prerequisites';
import { startDetached, type PidRecord } from './process-control';
import { lastLines, runCommand } from './run-command';

export const FERRETDB_PROCESS = 'ferretdb';
export const FERRETDB_VERSION = 'v1.24.2';

const mtime = (file: string) => {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
};

/** The binary is current when it is newer than every source of the wrapper module. */
export function ferretdbBinaryCurrent(): boolean {
  const built = mtime(paths.ferretdb.binary);
  return built > 0 && paths.ferretdb.sources.every((src) => mtime(src) < built);
}

/** How often a long build says it is still going. */
const BUILD_PROGRESS_MS = 15_000;

/**
 * Builds infra/.cache/bin/ferretdb unless it is newer than go.mod, go.sum and main.go. The first
 * build downloads about a hundred modules and compiles some 400 packages: about two minutes on two
 * cores with a warm network. It says so before it starts, and every 15 s what it has done so far
 * (`go build -v` names each package as it compiles it), so a first `npm start` never looks stuck.
 */
export async function buildFerretdb(
  log: (line: string) => void = () => undefined,
): Promise<'cached' | 'built'> {
  if (ferretdbBinaryCurrent()) return 'cached';
  requireTool('go');
  fs.mkdirSync(path.dirname(paths.ferretdb.binary), { recursive: true });
  const tmp = `${paths.ferretdb.binary}.tmp-${process.pid}`;
  log(
    `[infra] building FerretDB ${FERRETDB_VERSION} with go (first time only; usually about 2 minutes: module downloads, then ~400 packages)`,
  );
  const started = Date.now();
  let compiled = 0;
  let downloads = 0;
  let last = '';
  const ticker = setInterval(() => {
    const s = Math.round((Date.now() - started) / 1000);
    log(
      `[infra]   FerretDB build, ${s}s: ${downloads} modules downloaded, ${compiled} packages compiled${last ? ` (${last})` : ''}`,
    );
  }, BUILD_PROGRESS_MS);
  ticker.unref();
  const run = await runCommand(
    'go',
    ['build', '-v', '-trimpath', '-tags', 'ferretdb_no_postgresql', '-o', tmp, '.'],
    {
      cwd: paths.ferretdb.moduleDir,
      // -mod=mod lets go resolve from go.mod/go.sum without a vendor folder; GOPROXY stays the user's
      // (default https://proxy.golang.org). The module and build caches are Go's own (~/go, ~/.cache).
      env: { ...process.env, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
      timeoutMs: 20 * 60_000,
      onLine: (line) => {
        if (line.startsWith('go: downloading')) downloads += 1;
        else if (line.trim() && !line.startsWith('go:')) {
          compiled += 1;
          last = line.trim();
        }
      },
    },
  ).finally(() => clearInterval(ticker));
  if (run.code !== 0) {
    fs.rmSync(tmp, { force: true });
    throw new InfraError(
      `building FerretDB failed (exit ${run.code}):\n${lastLines(run.output)}`,
      'check that the Go module proxy is reachable (go env GOPROXY), then run again',
    );
  }
  fs.renameSync(tmp, paths.ferretdb.binary);
  return 'built';
}

/** Starts FerretDB on the SQLite files of `layout` as the background process `name`. */
export function startFerretdb(
  config: LocalInfraConfig,
  layout: FerretdbLayout = paths.ferretdb,
  name = FERRETDB_PROCESS,
): PidRecord {
  if (!fs.existsSync(paths.ferretdb.binary)) {
    throw new InfraError(
      `${rel(paths.ferretdb.binary)} is missing`,
      'run `bash infra/bin/workspace infra up`',
    );
  }
  fs.mkdirSync(layout.sqliteDir, { recursive: true });
  return startDetached({
    name,
    command: paths.ferretdb.binary,
    args: [
      '-listen-addr',
      `${config.host}:${config.mongoPort}`,
      '-sqlite-dir',
      layout.sqliteDir,
      // warnings include one per closed client session (FerretDB v1 lacks endSessions)
      '-log-level',
      process.env.LOCAL_FERRETDB_LOG_LEVEL || 'error',
      // normal: no fsync per commit in WAL mode; a killed process loses nothing, an OS crash may
      // roll back the last commits (infra/ferretdb/main.go). Every update is its own transaction,
      // so this is most of what an update costs here (issue 17 measured it).
      '-sqlite-synchronous',
      process.env.LOCAL_FERRETDB_SYNCHRONOUS || 'normal',
    ],
    cwd: layout.home,
    logFile: layout.log,
    marker: layout.sqliteDir,
  });
}
