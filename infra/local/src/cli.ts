// Command line of the local infrastructure, behind infra/bin/workspace:
//   up | down | status | logs [name] [-n N] [-f] | reset     the broker and the store
//   test [jest args]                                        lint, typecheck, unit, integration, node tests
//   start | stop [--services]                               infra plus every service, as background processes
//   build [--force]                                         compile packages and services to build/
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { loadConfig } from './config';
import { buildWorkspace } from './build';
import { InfraError, errorMessage, reportedErrors } from './errors';
import { ensureLocalInfra, localInfraStatus, stopLocalInfra, summaryLines } from './local-infra';
import { paths, rel } from './paths';
import { seconds } from './progress';
import { startServices, stopServices, serviceLogFile, servicesStatus } from './services';
import { runTests } from './test-runner';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function up(): Promise<number> {
  const began = Date.now();
  const infra = await ensureLocalInfra();
  if (!infra.startedNow) {
    for (const line of summaryLines(loadConfig())) say(`[infra] ${line}`);
    say(`[infra] (already running; checked in ${seconds(Date.now() - began)})`);
  }
  return 0;
}

async function down(): Promise<number> {
  const results = await stopLocalInfra();
  for (const r of results) {
    say(
      r.wasRunning
        ? `[infra] stopped ${r.name} in ${seconds(r.ms)}${r.killed ? ' (did not stop on SIGTERM: killed)' : ''}`
        : `[infra] ${r.name} was not running`,
    );
  }
  return 0;
}

async function status(): Promise<number> {
  const s = await localInfraStatus();
  const state = (c: { running: boolean; answers: boolean; pid?: number; error?: string }) =>
    c.running
      ? c.answers
        ? `running, answers (pid ${c.pid})`
        : `running (pid ${c.pid}) but does not answer: ${c.error}`
      : c.answers
        ? 'NOT started by this workspace, yet something answers on its port'
        : 'stopped';
  say(`Kafka ${s.kafka.version ?? '(not provisioned)'}  ${s.kafkaBrokers}  ${state(s.kafka)}`);
  say(`  controller 127.0.0.1:${s.kafka.controllerPort}, log ${s.kafka.log}`);
  say(`FerretDB ${s.ferretdb.version}  ${s.mongoUrl}  ${state(s.ferretdb)}`);
  say(`  log ${s.ferretdb.log}`);
  for (const svc of await servicesStatus()) {
    say(`service ${svc.name}  http://127.0.0.1:${svc.port}  ${svc.state}`);
  }
  return s.kafka.running && s.kafka.answers && s.ferretdb.running && s.ferretdb.answers ? 0 : 3;
}

function logs(args: string[]): number {
  let lines = 40;
  let follow = false;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-f' || a === '--follow') follow = true;
    else if (a === '-n') lines = Number(args[++i] ?? 40) || 40;
    else if (a) names.push(a);
  }
  const files: Record<string, string> = { kafka: paths.kafka.serverLog, ferretdb: paths.ferretdb.log };
  const wanted = names.length > 0 ? names : ['kafka', 'ferretdb'];
  const selected = wanted.map((n) => files[n] ?? serviceLogFile(n));
  const existing = selected.filter((f) => fs.existsSync(f));
  if (existing.length === 0) {
    say(`no log yet: ${selected.map(rel).join(', ')}`);
    return 1;
  }
  const tail = spawn('tail', ['-n', String(lines), ...(follow ? ['-F'] : []), ...existing], {
    stdio: 'inherit',
  });
  tail.on('exit', (code) => process.exit(code ?? 0));
  return -1; // tail decides the exit code
}

async function reset(): Promise<number> {
  await stopServices();
  await down();
  for (const dir of [paths.kafka.home, paths.ferretdb.home]) {
    fs.rmSync(dir, { recursive: true, force: true });
    say(`[infra] removed ${rel(dir)}`);
  }
  say('[infra] the next `infra up` formats a new broker and starts with an empty store');
  return 0;
}

async function stopAll(): Promise<number> {
  await stopServices();
  return down();
}

const USAGE = `usage: bash infra/bin/workspace infra <command>
  up                      provision (first time) and start the Kafka broker and FerretDB
  down                    stop them (data stays in ${rel(paths.dataDir)})
  status                  what runs and whether it answers
  logs [name] [-n N] [-f] broker/store logs, or a service's (name: kafka, ferretdb, <service>)
  reset                   stop and delete the broker's and the store's data
  test [--skip=a,b] [jest args]  lint, typecheck, unit, infra, integration, node; a summary at the end
  start                   infra plus every service with a start script, in the background
  stop [--services]       stop the services, then the infra (--services: only the services)
  build [--force]         compile every package and service to build/ (start and test do it too)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'up':
      return up();
    case 'down':
      return down();
    case 'status':
      return status();
    case 'logs':
      return logs(rest);
    case 'reset':
      return reset();
    case 'test':
      return runTests(rest);
    case 'start':
      return startServices();
    case 'build': {
      const built = await buildWorkspace({ force: rest.includes('--force') });
      say(
        `[build] ${built.files} files of ${built.packages} packages compiled in ${seconds(built.ms)}` +
          (built.upToDate > 0 ? `; ${built.upToDate} up to date` : ''),
      );
      return 0;
    }
    case 'stop':
      // --services leaves the broker and the store running for whoever else uses them (tests).
      if (rest.includes('--services')) {
        await stopServices();
        return 0;
      }
      return stopAll();
    default:
      process.stderr.write(`${USAGE}\n`);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (!(err instanceof Error && reportedErrors.has(err))) {
      process.stderr.write(`[infra] ✗ ${errorMessage(err)}\n`);
      if (err instanceof InfraError && err.hint) process.stderr.write(`[infra]   → ${err.hint}\n`);
    }
    process.exit(1);
  },
);
