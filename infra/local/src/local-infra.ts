// Starting, stopping and inspecting the local broker and store as one unit.
import fs from 'node:fs';
import {
  kafkaBrokers as brokersOf,
  loadConfig,
  mongoUrl as mongoUrlOf,
  type LocalInfraConfig,
} from './config';
import { InfraError, errorMessage } from './errors';
import { FERRETDB_PROCESS, FERRETDB_VERSION, buildFerretdb, startFerretdb } from './ferretdb';
import { KAFKA_PROCESS, kafkaVersion, prepareKafka, provisionKafkaLibs, startKafka } from './kafka';
import { withInfraLock } from './lock';
import { paths, rel } from './paths';
import { describePortOwner, portFree } from './ports';
import { requireTool } from './prerequisites';
import { runningProcess, stopProcess, tailFile, waitUntil, type StopResult } from './process-control';
import { Progress, seconds, stderrLog, type Log } from './progress';
import { kafkaAnswers, kafkaWorks, mongoAnswers } from './readiness';

export interface EnsureOptions {
  /** Where progress lines go (default: stderr). */
  log?: Log;
  /** Environment to read LOCAL_* ports from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for another process that holds the lock (default 15 min: a first build). */
  lockWaitMs?: number;
}

export interface LocalInfra {
  kafkaBrokers: string;
  mongoUrl: string;
  startedNow: boolean;
}

interface ComponentStatus {
  running: boolean;
  pid?: number;
  answers: boolean;
  error?: string;
}

export interface LocalInfraStatus {
  kafkaBrokers: string;
  mongoUrl: string;
  kafka: ComponentStatus & { version?: string; port: number; controllerPort: number; log: string };
  ferretdb: ComponentStatus & { version: string; port: number; log: string };
}

const KAFKA_START_TIMEOUT_MS = 120_000;
const FERRETDB_START_TIMEOUT_MS = 30_000;

function endpoints(config: LocalInfraConfig) {
  return { kafkaBrokers: brokersOf(config), mongoUrl: mongoUrlOf(config) };
}

/** True when both processes are ours, alive, and answering. Costs about 50 ms. */
async function alreadyUp(config: LocalInfraConfig): Promise<boolean> {
  if (!runningProcess(KAFKA_PROCESS) || !runningProcess(FERRETDB_PROCESS)) return false;
  const { kafkaBrokers, mongoUrl } = endpoints(config);
  try {
    await Promise.all([kafkaAnswers(kafkaBrokers), mongoAnswers(mongoUrl)]);
    return true;
  } catch {
    return false;
  }
}

async function requireFreePort(port: number, envName: string, what: string): Promise<void> {
  if (await portFree(port)) return;
  throw new InfraError(
    `port ${port} (${what}) is taken by ${describePortOwner(port)}, which is not the local infrastructure of this workspace`,
    `stop that program, or choose another port: ${envName}=<port> (or point tests elsewhere with KAFKA_BROKERS and MONGO_URL)`,
  );
}

async function startKafkaIfNeeded(config: LocalInfraConfig, progress: Progress): Promise<void> {
  const running = runningProcess(KAFKA_PROCESS);
  if (running) {
    progress.line(`Kafka is running (pid ${running.pid}) but did not answer yet: waiting for it`);
  } else {
    await requireFreePort(config.kafkaPort, 'LOCAL_KAFKA_PORT', 'Kafka listener');
    await requireFreePort(config.kafkaControllerPort, 'LOCAL_KAFKA_CONTROLLER_PORT', 'Kafka controller');
    await progress.step(
      'Kafka config and KRaft storage',
      () => prepareKafka(config),
      (r) => (r.formatted ? `formatted, cluster id ${r.clusterId}` : `cluster id ${r.clusterId}`),
    );
  }
  const record = running ?? startKafka(config);
  await progress.step(
    `Kafka broker answers on ${brokersOf(config)}`,
    async () => {
      try {
        await waitUntil('the Kafka broker', () => kafkaWorks(brokersOf(config)), {
          timeoutMs: KAFKA_START_TIMEOUT_MS,
          pid: record.pid,
        });
      } catch (err) {
        const log = tailFile(paths.kafka.serverLog, 10) || tailFile(paths.kafka.stdoutLog, 10);
        if (tailFile(paths.kafka.stdoutLog, 3).includes('OutOfMemoryError')) {
          // Usually thousands of topics left by earlier test runs: the heap must hold them all to start.
          throw new InfraError(
            `the Kafka broker ran out of its ${config.kafkaHeap} heap while loading ${countPartitionDirs()} partitions`,
            `start it once with a larger heap (\`LOCAL_KAFKA_HEAP=1g bash infra/bin/workspace infra up\`); the next ` +
              `test run deletes earlier runs' test topics. Or \`bash infra/bin/workspace infra reset\` wipes the broker's data`,
          );
        }
        throw new InfraError(
          `${errorMessage(err)}${log ? `\n  last lines of ${rel(paths.kafka.serverLog)}:\n${log}` : ''}`,
          `read ${rel(paths.kafka.logsDir)}/, then \`bash infra/bin/workspace infra down\` and \`... infra up\`; ` +
            `\`... infra reset\` wipes the broker's data if it is damaged`,
        );
      }
    },
    () => `pid ${record.pid}`,
  );
}

/** Partition folders in the broker's data (how much it must load at start-up). */
function countPartitionDirs(): number {
  try {
    return fs.readdirSync(paths.kafka.logDirs).filter((name) => /-\d+$/.test(name)).length;
  } catch {
    return 0;
  }
}

async function startFerretdbIfNeeded(config: LocalInfraConfig, progress: Progress): Promise<void> {
  const running = runningProcess(FERRETDB_PROCESS);
  if (running) {
    progress.line(`FerretDB is running (pid ${running.pid}) but did not answer yet: waiting for it`);
  } else {
    await requireFreePort(config.mongoPort, 'LOCAL_MONGO_PORT', 'FerretDB');
  }
  const record = running ?? startFerretdb(config);
  await progress.step(
    `FerretDB answers on ${mongoUrlOf(config)}`,
    async () => {
      try {
        await waitUntil('FerretDB', () => mongoAnswers(mongoUrlOf(config), { write: true }), {
          timeoutMs: FERRETDB_START_TIMEOUT_MS,
          pid: record.pid,
        });
      } catch (err) {
        const log = tailFile(paths.ferretdb.log, 10);
        throw new InfraError(
          `${errorMessage(err)}${log ? `\n  last lines of ${rel(paths.ferretdb.log)}:\n${log}` : ''}`,
          `read ${rel(paths.ferretdb.log)}, then \`bash infra/bin/workspace infra down\` and \`... infra up\``,
        );
      }
    },
    () => `pid ${record.pid}`,
  );
}

/** Runs every promise to the end, then throws the first failure (so no step is cut off midway). */
async function allSettledOrThrow(promises: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Before anything starts: every port we are about to bind is free (or already ours). */
async function preflightPorts(config: LocalInfraConfig): Promise<void> {
  const checks: Promise<void>[] = [];
  if (!runningProcess(KAFKA_PROCESS)) {
    checks.push(requireFreePort(config.kafkaPort, 'LOCAL_KAFKA_PORT', 'Kafka listener'));
    checks.push(
      requireFreePort(config.kafkaControllerPort, 'LOCAL_KAFKA_CONTROLLER_PORT', 'Kafka controller'),
    );
  }
  if (!runningProcess(FERRETDB_PROCESS)) {
    checks.push(requireFreePort(config.mongoPort, 'LOCAL_MONGO_PORT', 'FerretDB'));
  }
  await allSettledOrThrow(checks);
}

async function provisionAndStart(config: LocalInfraConfig, progress: Progress): Promise<void> {
  await progress.step('ports free', () => preflightPorts(config));
  await progress.step(
    'Java for the broker',
    async () => requireTool('java'),
    (v) => `java ${v}`,
  );
  await allSettledOrThrow([
    progress.step(
      'Kafka jars from Maven Central',
      () => provisionKafkaLibs(),
      (r) => `${r}, Kafka ${kafkaVersion() ?? '?'}`,
    ),
    progress.step(
      `FerretDB ${FERRETDB_VERSION} from the Go module proxy`,
      () => buildFerretdb((line) => progress.line(line.replace(/^\[infra\] /, ''))),
      (r) => r,
    ),
  ]);
  await allSettledOrThrow([startKafkaIfNeeded(config, progress), startFerretdbIfNeeded(config, progress)]);
}

export function summaryLines(config: LocalInfraConfig, totalMs?: number): string[] {
  const kafka = runningProcess(KAFKA_PROCESS);
  const ferret = runningProcess(FERRETDB_PROCESS);
  const { kafkaBrokers, mongoUrl } = endpoints(config);
  return [
    totalMs === undefined
      ? 'local infrastructure is up'
      : `local infrastructure is up after ${seconds(totalMs)}`,
    `  Kafka ${kafkaVersion() ?? ''} (KRaft)  ${kafkaBrokers}  pid ${kafka?.pid ?? '?'}  log ${rel(paths.kafka.serverLog)}`,
    `  FerretDB ${FERRETDB_VERSION} (SQLite)  ${mongoUrl}  pid ${ferret?.pid ?? '?'}  log ${rel(paths.ferretdb.log)}`,
    `  export KAFKA_BROKERS=${kafkaBrokers} MONGO_URL='${mongoUrl}'`,
    '  stop: bash infra/bin/workspace infra down',
  ];
}

/**
 * Makes sure the local Kafka broker and FerretDB run and answer, provisioning and starting what is
 * missing. Idempotent and safe to call from several processes at once; returns in well under a
 * second when both already run.
 */
export async function ensureLocalInfra(opts: EnsureOptions = {}): Promise<LocalInfra> {
  const config = loadConfig(opts.env);
  const log = opts.log ?? stderrLog;
  if (await alreadyUp(config)) return { ...endpoints(config), startedNow: false };
  return withInfraLock(log, opts.lockWaitMs ?? 15 * 60_000, async () => {
    // whoever held the lock before us may have started everything already
    if (await alreadyUp(config)) return { ...endpoints(config), startedNow: false };
    const progress = new Progress(log);
    progress.line('starting the local Kafka broker and FerretDB');
    await provisionAndStart(config, progress);
    for (const line of summaryLines(config, progress.elapsedMs())) progress.line(line);
    return { ...endpoints(config), startedNow: true };
  });
}

/** Stops the broker and the store (SIGTERM, SIGKILL after a timeout). Data stays. */
export async function stopLocalInfra(opts: { log?: Log } = {}): Promise<StopResult[]> {
  const log = opts.log ?? stderrLog;
  return withInfraLock(log, 5 * 60_000, () =>
    Promise.all([stopProcess(KAFKA_PROCESS, 20_000), stopProcess(FERRETDB_PROCESS, 5_000)]),
  );
}

async function probe(check: () => Promise<unknown>): Promise<{ answers: boolean; error?: string }> {
  try {
    await check();
    return { answers: true };
  } catch (err) {
    return { answers: false, error: errorMessage(err) };
  }
}

export async function localInfraStatus(env: NodeJS.ProcessEnv = process.env): Promise<LocalInfraStatus> {
  const config = loadConfig(env);
  const { kafkaBrokers, mongoUrl } = endpoints(config);
  const kafka = runningProcess(KAFKA_PROCESS);
  const ferret = runningProcess(FERRETDB_PROCESS);
  const [kafkaProbe, ferretProbe] = await Promise.all([
    probe(() => kafkaAnswers(kafkaBrokers, 2_000)),
    probe(() => mongoAnswers(mongoUrl, { timeoutMs: 2_000 })),
  ]);
  return {
    kafkaBrokers,
    mongoUrl,
    kafka: {
      running: kafka !== undefined,
      pid: kafka?.pid,
      ...kafkaProbe,
      version: kafkaVersion(),
      port: config.kafkaPort,
      controllerPort: config.kafkaControllerPort,
      log: rel(paths.kafka.serverLog),
    },
    ferretdb: {
      running: ferret !== undefined,
      pid: ferret?.pid,
      ...ferretProbe,
      version: FERRETDB_VERSION,
      port: config.mongoPort,
      log: rel(paths.ferretdb.log),
    },
  };
}
