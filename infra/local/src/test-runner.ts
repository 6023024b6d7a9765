// `test`: every check of the workspace in order, stopping at the first failure with its exit code:
// lint, typecheck, jest unit project, broker and store, jest integration project, node's test
// runner for **/test/**/*.node.test.ts. Ends with one line per stage and "N passed, N failed".
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { dockerAnswers } from './docker';
import { errorMessage } from './errors';
import { ensureLocalInfra } from './local-infra';
import { paths, rel } from './paths';
import { seconds, stderrLog } from './progress';

export interface Counts {
  passed: number;
  failed: number;
}

export interface StageResult {
  name: string;
  status: 'passed' | 'failed' | 'skipped' | 'not run';
  ms: number;
  exitCode?: number;
  counts?: Counts;
  note?: string;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: paths.repoRoot, env, stdio: 'inherit' });
    child.on('error', (err) => {
      stderrLog(`[test] could not run ${command}: ${err.message}`);
      resolve(127);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** Counts from a jest --json output file (numPassedTests / numFailedTests). */
export function jestCounts(json: string): Counts | undefined {
  try {
    const r = JSON.parse(json) as { numPassedTests?: number; numFailedTests?: number };
    if (typeof r.numPassedTests !== 'number' || typeof r.numFailedTests !== 'number') return undefined;
    return { passed: r.numPassedTests, failed: r.numFailedTests };
  } catch {
    return undefined;
  }
}

/** Counts from node --test's TAP summary ("# pass N", "# fail N"). */
export function tapCounts(tap: string): Counts | undefined {
  const pass = /^# pass (\d+)$/m.exec(tap)?.[1];
  const fail = /^# fail (\d+)$/m.exec(tap)?.[1];
  if (pass === undefined || fail === undefined) return undefined;
  return { passed: Number(pass), failed: Number(fail) };
}

const SKIP_DIRS = new Set(['node_modules', '.cache', '.data', '.artifacts', 'dist', 'coverage', '.git']);

/** Files matching **\/test/**\/*.node.test.ts under packages/, services/, infra/ and e2e/. */
export function findNodeTests(root = paths.repoRoot): string[] {
  const found: string[] = [];
  const walk = (dir: string, inTest: boolean) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (SKIP_DIRS.has(e.name)) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, inTest || e.name === 'test');
      else if (inTest && e.isFile() && e.name.endsWith('.node.test.ts')) found.push(p);
    }
  };
  for (const top of ['packages', 'services', 'infra', 'e2e']) walk(path.join(root, top), false);
  return found.sort();
}

// The portal's browser tests (integration project) drive Debian's Chromium through playwright-core;
// no browser is downloaded. As root the runner installs it (with a CJK font, so screenshots are
// legible); otherwise it says in one line how to, and the browser test fails naming the same fix.
export const CHROMIUM_PATH = '/usr/bin/chromium';
const BROWSER_PACKAGES = ['chromium', 'fonts-wqy-zenhei'];

export async function ensureChromium(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (fs.existsSync(CHROMIUM_PATH)) return undefined;
  const install = `apt-get install -y ${BROWSER_PACKAGES.join(' ')}`;
  if (process.getuid?.() !== 0) {
    say(`[test] Chromium is missing for the portal's browser tests: install it with "sudo ${install}"`);
    return 'Chromium missing (not root, not installed)';
  }
  say(`[test] installing Chromium for the portal's browser tests: ${install}`);
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  let code = await run('apt-get', ['install', '-y', ...BROWSER_PACKAGES], aptEnv);
  if (code !== 0) {
    await run('apt-get', ['update'], aptEnv);
    code = await run('apt-get', ['install', '-y', ...BROWSER_PACKAGES], aptEnv);
  }
  return code === 0 && fs.existsSync(CHROMIUM_PATH)
    ? 'Chromium installed'
    : `"${install}" failed (exit ${code})`;
}

const pnpmBin = () => (fs.existsSync(paths.pnpm) ? paths.pnpm : 'pnpm');

async function jestStage(project: 'unit' | 'integration', extra: string[], env: NodeJS.ProcessEnv) {
  fs.mkdirSync(paths.testReportsDir, { recursive: true });
  const out = path.join(paths.testReportsDir, `jest-${project}.json`);
  fs.rmSync(out, { force: true });
  const code = await run(
    pnpmBin(),
    [
      'exec',
      'jest',
      '--selectProjects',
      project,
      '--ci',
      '--passWithNoTests',
      '--json',
      `--outputFile=${out}`,
      ...extra,
    ],
    env,
  );
  const counts = fs.existsSync(out) ? jestCounts(fs.readFileSync(out, 'utf8')) : undefined;
  return { code, counts };
}

/** Splits `--skip=lint,typecheck` (ours) from the arguments passed through to jest. */
export function parseTestArgs(args: string[]): { skip: Set<string>; jestArgs: string[] } {
  const skip = new Set<string>();
  const jestArgs: string[] = [];
  for (const arg of args) {
    if (arg.startsWith('--skip='))
      arg
        .slice('--skip='.length)
        .split(',')
        .filter(Boolean)
        .forEach((s) => skip.add(s));
    else jestArgs.push(arg);
  }
  return { skip, jestArgs };
}

export async function runTests(args: string[]): Promise<number> {
  const { skip, jestArgs: extraJestArgs } = parseTestArgs(args);
  const stages: StageResult[] = [];
  let env: NodeJS.ProcessEnv = { ...process.env };
  let infraOrigin = '';

  const plan: { name: string; run: () => Promise<Omit<StageResult, 'name' | 'ms'>> }[] = [
    {
      name: 'lint',
      run: async () => {
        const code = await run(pnpmBin(), ['run', 'lint'], env);
        return { status: code === 0 ? 'passed' : 'failed', exitCode: code };
      },
    },
    {
      name: 'typecheck',
      run: async () => {
        const code = await run(pnpmBin(), ['run', 'typecheck'], env);
        return { status: code === 0 ? 'passed' : 'failed', exitCode: code };
      },
    },
    {
      name: 'unit',
      run: async () => {
        const { code, counts } = await jestStage('unit', extraJestArgs, env);
        return { status: code === 0 ? 'passed' : 'failed', exitCode: code, counts };
      },
    },
    {
      name: 'infra',
      run: async () => {
        if (env.KAFKA_BROKERS && env.MONGO_URL) {
          infraOrigin = 'environment';
          return { status: 'skipped', note: `KAFKA_BROKERS=${env.KAFKA_BROKERS} MONGO_URL=${env.MONGO_URL}` };
        }
        if (await dockerAnswers(env)) {
          infraOrigin = 'testcontainers';
          return { status: 'skipped', note: 'Docker answers: testkit starts containers' };
        }
        try {
          const infra = await ensureLocalInfra();
          env = { ...env, KAFKA_BROKERS: infra.kafkaBrokers, MONGO_URL: infra.mongoUrl };
          infraOrigin = 'local';
          return {
            status: 'passed',
            note: `local ${infra.kafkaBrokers}, ${infra.mongoUrl}${infra.startedNow ? ' (started now)' : ''}`,
          };
        } catch (err) {
          return { status: 'failed', exitCode: 1, note: errorMessage(err).split('\n')[0] };
        }
      },
    },
    {
      name: 'integration',
      run: async () => {
        const browserNote = await ensureChromium(env);
        // jest reads testTimeout from the root config only, not from a project: give the broker time.
        const timeout = extraJestArgs.some((a) => a.startsWith('--testTimeout'))
          ? []
          : ['--testTimeout=120000'];
        // Clients of the real broker keep sockets for a while after disconnect; without --forceExit a
        // finished run can wait on them, and CI would wait to its limit.
        // The integration tests mostly wait on the broker, the store and the browser: two workers keep
        // two cores busy where jest's default (cores - 1) leaves one idle. TEST_WORKERS overrides it.
        const workers = extraJestArgs.some((a) => /^(--maxWorkers|-w|--runInBand|-i$)/.test(a))
          ? []
          : [`--maxWorkers=${process.env.TEST_WORKERS?.trim() || '2'}`];
        const { code, counts } = await jestStage(
          'integration',
          [...timeout, ...workers, '--forceExit', ...extraJestArgs],
          env,
        );
        return { status: code === 0 ? 'passed' : 'failed', exitCode: code, counts, note: browserNote };
      },
    },
    {
      name: 'node',
      run: async () => {
        const files = findNodeTests();
        if (files.length === 0) return { status: 'skipped', note: 'no test/**/*.node.test.ts files' };
        const note =
          infraOrigin === 'testcontainers'
            ? 'no KAFKA_BROKERS/MONGO_URL (containers belong to jest)'
            : undefined;
        fs.mkdirSync(paths.testReportsDir, { recursive: true });
        const tap = path.join(paths.testReportsDir, 'node-test.tap');
        fs.rmSync(tap, { force: true });
        const code = await run(
          process.execPath,
          [
            '--import',
            'tsx',
            '--test',
            '--test-reporter=spec',
            '--test-reporter-destination=stdout',
            '--test-reporter=tap',
            `--test-reporter-destination=${tap}`,
            ...files.map(rel),
          ],
          env,
        );
        const counts = fs.existsSync(tap) ? tapCounts(fs.readFileSync(tap, 'utf8')) : undefined;
        return { status: code === 0 ? 'passed' : 'failed', exitCode: code, counts, note };
      },
    },
  ];

  let exitCode = 0;
  for (const stage of plan) {
    if (exitCode !== 0) {
      stages.push({ name: stage.name, status: 'not run', ms: 0 });
      continue;
    }
    if (skip.has(stage.name)) {
      stages.push({ name: stage.name, status: 'skipped', ms: 0, note: '--skip' });
      continue;
    }
    say(`\n[test] ── ${stage.name} ──`);
    const began = Date.now();
    const result = await stage.run();
    stages.push({ name: stage.name, ms: Date.now() - began, ...result });
    if (result.status === 'failed') exitCode = result.exitCode || 1;
  }

  say('');
  for (const s of stages) say(`[test] ${formatStage(s)}`);
  const total = stages.reduce(
    (acc, s) => ({
      passed: acc.passed + (s.counts?.passed ?? 0),
      failed: acc.failed + (s.counts?.failed ?? 0),
    }),
    { passed: 0, failed: 0 },
  );
  say(`${total.passed} passed, ${total.failed} failed`);
  return exitCode;
}

export function formatStage(s: StageResult): string {
  const status = s.status === 'failed' ? `FAILED (exit ${s.exitCode ?? 1})` : s.status;
  const time = s.status === 'not run' ? '' : seconds(s.ms);
  const counts = s.counts ? `${s.counts.passed} passed, ${s.counts.failed} failed` : '';
  return [s.name.padEnd(12), status.padEnd(16), time.padStart(7), counts, s.note ?? '']
    .filter((x, i) => i < 3 || x !== '')
    .join('  ')
    .trimEnd();
}
