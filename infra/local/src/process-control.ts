// Background processes that outlive the command that started them: each one runs detached in a
// process group of its own, writes its output to a log file, and is known by a pid file under
// infra/.data/run. Stopping sends SIGTERM to the group, then SIGKILL after a timeout.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { paths } from './paths';

export interface PidRecord {
  name: string;
  pid: number;
  startedAt: string;
  /**
   * A path of ours that the process's command line contains (or its working directory), so that a
   * pid reused by the system after a reboot is not taken for ours.
   */
  marker: string;
  command: string;
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  logFile: string;
  marker: string;
}

const pidFile = (name: string) => path.join(paths.runDir, `${name}.pid`);

export function readPidRecord(name: string): PidRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(pidFile(name), 'utf8')) as PidRecord;
  } catch {
    return undefined;
  }
}

export function listPidRecords(prefix = ''): PidRecord[] {
  if (!fs.existsSync(paths.runDir)) return [];
  return fs
    .readdirSync(paths.runDir)
    .filter((f) => f.endsWith('.pid') && f.startsWith(prefix))
    .map((f) => readPidRecord(f.slice(0, -'.pid'.length)))
    .filter((r): r is PidRecord => r !== undefined);
}

/** True while the process exists and is not a zombie. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true; // no /proc (macOS): kill(0) is all we know
  }
}

export function commandLine(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}

function workingDirectory(pid: number): string | undefined {
  try {
    return fs.readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

/** The pid record of a running process of ours, or undefined (stale pid files are removed). */
export function runningProcess(name: string): PidRecord | undefined {
  const record = readPidRecord(name);
  if (!record) return undefined;
  const cmd = commandLine(record.pid);
  const ours =
    pidAlive(record.pid) &&
    (cmd === undefined || cmd.includes(record.marker) || workingDirectory(record.pid) === record.marker);
  if (ours) return record;
  fs.rmSync(pidFile(name), { force: true });
  return undefined;
}

export function startDetached(opts: StartOptions): PidRecord {
  fs.mkdirSync(paths.runDir, { recursive: true });
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const out = fs.openSync(opts.logFile, 'a');
  fs.writeSync(
    out,
    `\n--- ${new Date().toISOString()} starting ${opts.name}: ${opts.command} ${opts.args.join(' ')}\n`,
  );
  try {
    const child = spawn(opts.command, opts.args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      detached: true,
      stdio: ['ignore', out, out],
    });
    if (child.pid === undefined) throw new Error(`could not start ${opts.command}`);
    child.on('error', () => undefined); // reported through the log file and readiness checks
    child.unref();
    const record: PidRecord = {
      name: opts.name,
      pid: child.pid,
      startedAt: new Date().toISOString(),
      marker: opts.marker,
      command: [opts.command, ...opts.args].join(' '),
    };
    fs.writeFileSync(pidFile(opts.name), `${JSON.stringify(record, null, 2)}\n`);
    return record;
  } finally {
    fs.closeSync(out);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal); // the whole group: wrappers (pnpm, tsx) and what they started
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pidAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

export interface StopResult {
  name: string;
  wasRunning: boolean;
  killed: boolean;
  ms: number;
}

/**
 * SIGTERM (or `signal`), then SIGKILL after `timeoutMs`; removes the pid file. `SIGKILL` as the
 * signal stops the process the way a crash or a pulled plug would.
 */
export async function stopProcess(
  name: string,
  timeoutMs: number,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<StopResult> {
  const began = Date.now();
  const record = runningProcess(name);
  if (!record) return { name, wasRunning: false, killed: false, ms: 0 };
  signalGroup(record.pid, signal);
  let killed = signal === 'SIGKILL';
  if (!(await waitForExit(record.pid, timeoutMs))) {
    signalGroup(record.pid, 'SIGKILL');
    killed = true;
    await waitForExit(record.pid, 5_000);
  }
  fs.rmSync(pidFile(name), { force: true });
  return { name, wasRunning: true, killed, ms: Date.now() - began };
}

/** Waits until `check` resolves, failing early when the process has exited. */
export async function waitUntil(
  what: string,
  check: () => Promise<void>,
  { timeoutMs, intervalMs = 250, pid }: { timeoutMs: number; intervalMs?: number; pid?: number },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      lastError = err;
    }
    if (pid !== undefined && !pidAlive(pid)) {
      throw new Error(`${what} exited during start-up`);
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? lastError.message : String(lastError);
      throw new Error(`${what} did not answer within ${Math.round(timeoutMs / 1000)}s (${reason})`);
    }
    await sleep(intervalMs);
  }
}

/** The last lines of a log file, for failure messages. */
export function tailFile(file: string, lines = 15): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
