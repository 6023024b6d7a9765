// The services of the workspace as background processes: every services/<name> whose package.json
// has a "start" script runs as node on its compiled build/main.js (build.ts), logs to
// infra/.data/logs/<name>.log, and counts as up when GET /readyz answers 200.
import fs from 'node:fs';
import path from 'node:path';
import { kafkaBrokers, loadConfig, mongoUrl } from './config';
import { BUILD_DIR, buildWorkspace, COMPILED_NODE_FLAGS } from './build';
import { FERRETDB_PROCESS } from './ferretdb';
import { KAFKA_PROCESS } from './kafka';
import { memoryLines } from './memory';
import { InfraError, errorMessage } from './errors';
import { ensureLocalInfra } from './local-infra';
import { paths, rel } from './paths';
import { describePortOwner, portFree } from './ports';
import { runningProcess, startDetached, stopProcess, tailFile, waitUntil } from './process-control';
import { Progress, seconds, stderrLog } from './progress';
import { runCommand } from './run-command';

/** HTTP ports of the services, the same as in docker-compose.yml. */
export const SERVICE_PORTS: Readonly<Record<string, number>> = {
  portal: 4100,
  pickup: 4101,
  sorting: 4102,
  dismantling: 4103,
  invoicing: 4104,
  statistics: 4105,
  subsidies: 4106,
  disposals: 4107,
  remanufacturing: 4108,
};

/**
 * Signing secret of local bearer tokens: service-kit's LOCAL_DEV_JWT_SECRET, which `pnpm token`
 * signs with (repeated here: service-kit depends on this package through testkit). Also the
 * default in docker-compose.yml. Never valid in production.
 */
export const LOCAL_JWT_SECRET = 'local-dev-secret-change-me';

/** HMAC secret of seller keys for local runs (docker-compose.yml uses the same). */
export const LOCAL_SELLER_KEY_SECRET = 'local-dev-seller-key-secret-change-me';

export interface ServicePackage {
  name: string;
  packageName: string;
  dir: string;
  port: number;
  hasStart: boolean;
}

const servicesDir = path.join(paths.repoRoot, 'services');
const processName = (service: string) => `svc-${service}`;
export const serviceLogFile = (service: string) => path.join(paths.serviceLogsDir, `${service}.log`);

export function discoverServices(root = servicesDir): ServicePackage[] {
  if (!fs.existsSync(root)) return [];
  let nextPort = 4110;
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, d.name, 'package.json')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const dir = path.join(root, name);
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        scripts?: Record<string, string>;
      };
      return {
        name,
        packageName: pkg.name ?? name,
        dir,
        port: SERVICE_PORTS[name] ?? nextPort++,
        hasStart: typeof pkg.scripts?.start === 'string',
      };
    });
}

/** Environment of one service: its port, the broker, a database of its own, tracing and secrets. */
export function serviceEnv(
  svc: Pick<ServicePackage, 'name' | 'port'>,
  all: Pick<ServicePackage, 'name' | 'port'>[],
  infra: { kafkaBrokers: string; mongoUrlFor: (db: string) => string },
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const urls = Object.fromEntries(
    all.map((s) => [`${s.name.toUpperCase().replace(/-/g, '_')}_URL`, `http://127.0.0.1:${s.port}`]),
  );
  return {
    ...base,
    ...urls,
    NODE_ENV: base.NODE_ENV ?? 'development',
    PORT: String(svc.port),
    SERVICE_NAME: svc.name,
    OTEL_SERVICE_NAME: svc.name,
    KAFKA_BROKERS: infra.kafkaBrokers,
    MONGO_URL: infra.mongoUrlFor(svc.name),
    JWT_SECRET: base.JWT_SECRET ?? LOCAL_JWT_SECRET,
    SELLER_KEY_SECRET: base.SELLER_KEY_SECRET ?? LOCAL_SELLER_KEY_SECRET,
  };
}

async function readyz(port: number): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2_000) });
  if (res.status !== 200) throw new Error(`/readyz answered ${res.status}`);
}

export async function servicesStatus(): Promise<{ name: string; port: number; state: string }[]> {
  return Promise.all(
    discoverServices()
      .filter((s) => s.hasStart)
      .map(async (s) => {
        const proc = runningProcess(processName(s.name));
        if (!proc) return { name: s.name, port: s.port, state: 'stopped' };
        const ok = await readyz(s.port).then(
          () => true,
          () => false,
        );
        return {
          name: s.name,
          port: s.port,
          state: ok ? `ready (pid ${proc.pid})` : `not ready (pid ${proc.pid})`,
        };
      }),
  );
}

async function startOne(
  svc: ServicePackage,
  all: ServicePackage[],
  infra: { kafkaBrokers: string; mongoUrlFor: (db: string) => string },
  progress: Progress,
): Promise<'started' | 'running'> {
  const name = processName(svc.name);
  let record = runningProcess(name);
  if (
    record &&
    (await readyz(svc.port).then(
      () => true,
      () => false,
    ))
  ) {
    return 'running';
  }
  if (!record) {
    if (!(await portFree(svc.port))) {
      throw new InfraError(
        `port ${svc.port} of ${svc.name} is taken by ${describePortOwner(svc.port)}`,
        'stop that program, then run start again',
      );
    }
    // node itself, on the compiled service: no package manager or tsx process in between.
    record = startDetached({
      name,
      command: process.execPath,
      args: [...COMPILED_NODE_FLAGS, `${BUILD_DIR}/main.js`],
      cwd: svc.dir,
      env: serviceEnv(svc, all, infra),
      logFile: serviceLogFile(svc.name),
      marker: svc.dir,
    });
  }
  const pid = record.pid;
  await progress.step(`${svc.name} ready on http://127.0.0.1:${svc.port}`, async () => {
    try {
      await waitUntil(svc.name, () => readyz(svc.port), { timeoutMs: 90_000, intervalMs: 500, pid });
    } catch (err) {
      const log = tailFile(serviceLogFile(svc.name), 15);
      throw new InfraError(
        `${errorMessage(err)}${log ? `\n  last lines of ${rel(serviceLogFile(svc.name))}:\n${log}` : ''}`,
        `read ${rel(serviceLogFile(svc.name))} (bash infra/bin/workspace infra logs ${svc.name})`,
      );
    }
  });
  return 'started';
}

/** `start`: the infra, then every service with a start script, then demo data; prints the URLs. */
export async function startServices(opts: { servicesDir?: string } = {}): Promise<number> {
  const progress = new Progress(stderrLog, '[start]');
  const config = loadConfig();
  const infra = await ensureLocalInfra();
  progress.line(
    `infra ready (${infra.startedNow ? 'started now' : 'was running'}) at ${seconds(progress.elapsedMs())}`,
  );
  const endpoints = { kafkaBrokers: kafkaBrokers(config), mongoUrlFor: (db: string) => mongoUrl(config, db) };

  const all = discoverServices(opts.servicesDir);
  const startable = all.filter((s) => s.hasStart);
  const without = all.filter((s) => !s.hasStart).map((s) => s.name);
  if (startable.length === 0) {
    progress.line(
      all.length === 0
        ? 'no services under services/ yet: only the broker and the store run'
        : `no service has a "start" script yet (found: ${without.join(', ')}): only the broker and the store run`,
    );
  } else if (without.length > 0) {
    progress.line(`without a "start" script, not started: ${without.join(', ')}`);
  }

  await progress.step(
    'services compiled to JavaScript',
    () => buildWorkspace(),
    (built) => (built.packages > 0 ? `${built.files} files of ${built.packages} packages` : 'up to date'),
  );
  const results = await Promise.allSettled(startable.map((s) => startOne(s, startable, endpoints, progress)));
  const failed = results.filter((r) => r.status === 'rejected').length;
  const startedNow = results.some((r) => r.status === 'fulfilled' && r.value === 'started');

  const seed = path.join(paths.repoRoot, 'scripts', 'seed-demo.ts');
  const seedable = failed === 0 && fs.existsSync(seed) && process.env.SEED_DEMO !== '0';
  // The seed's closing lines (what it created, how to sign in) belong in the summary below.
  let seedSummary: string[] = [];
  if (seedable && !startedNow) {
    seedSummary = [
      `demo data: not seeded again (the services were already running); pnpm exec tsx ${rel(seed)}`,
    ];
  }
  if (seedable && startedNow) {
    await progress.step('demo data (scripts/seed-demo.ts)', async () => {
      // tsx through node directly, as infra/bin/workspace does: `pnpm exec` costs seconds here.
      const run = await runCommand(process.execPath, ['--import', 'tsx', seed], {
        cwd: paths.repoRoot,
        env: { ...serviceEnv({ name: 'seed', port: 0 }, startable, endpoints), MONGO_URL: mongoUrl(config) },
        timeoutMs: 5 * 60_000,
      });
      fs.mkdirSync(paths.serviceLogsDir, { recursive: true });
      fs.writeFileSync(serviceLogFile('seed-demo'), run.output);
      if (run.code !== 0) {
        throw new InfraError(`seeding failed (exit ${run.code})`, `read ${rel(serviceLogFile('seed-demo'))}`);
      }
      seedSummary = [
        ...run.output.split('\n').filter((l) => l.startsWith('[seed]') && !l.startsWith('[seed] ✓')),
        `[seed] every step: ${rel(serviceLogFile('seed-demo'))}`,
      ];
    });
  }

  const say = (l: string) => process.stdout.write(`${l}\n`);
  const state = new Map(
    startable.map(
      (svc, i) => [svc.name, results[i]?.status === 'fulfilled' ? '' : '  FAILED to start'] as const,
    ),
  );
  const line = (s: ServicePackage) =>
    `${s.name.padEnd(13)} http://127.0.0.1:${s.port}/   log ${rel(serviceLogFile(s.name))}${state.get(s.name) ?? ''}`;
  say('');
  const portal = startable.find((s) => s.name === 'portal');
  if (portal) say(line(portal));
  for (const s of startable.filter((x) => x !== portal)) say(line(s));
  say(`kafka         ${infra.kafkaBrokers}`);
  say(`ferretdb      ${infra.mongoUrl}`);
  say('');
  for (const l of memoryLines([
    { name: 'kafka', pid: runningProcess(KAFKA_PROCESS)?.pid },
    { name: 'ferretdb', pid: runningProcess(FERRETDB_PROCESS)?.pid },
    ...startable.map((s) => ({ name: s.name, pid: runningProcess(processName(s.name))?.pid })),
  ])) {
    say(l);
  }
  if (seedSummary.length > 0) say('');
  for (const l of seedSummary) say(l);
  say(
    `ready after ${seconds(progress.elapsedMs())}; stop everything with: bash infra/bin/workspace stop` +
      ' (only the services: stop --services)',
  );
  return failed === 0 ? 0 : 1;
}

export async function stopServices(): Promise<void> {
  const names = fs.existsSync(paths.runDir)
    ? fs
        .readdirSync(paths.runDir)
        .filter((f) => f.startsWith('svc-') && f.endsWith('.pid'))
        .map((f) => f.slice(0, -'.pid'.length))
    : [];
  const results = await Promise.all(names.map((n) => stopProcess(n, 10_000)));
  for (const r of results.filter((x) => x.wasRunning)) {
    process.stdout.write(
      `[stop] ${r.name.replace(/^svc-/, '')} stopped in ${seconds(r.ms)}${r.killed ? ' (killed)' : ''}\n`,
    );
  }
}
