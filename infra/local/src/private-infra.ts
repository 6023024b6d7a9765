// A broker and a store of one's own, for tests that stop and start them (broker and store faults).
// The shared local infrastructure (127.0.0.1:19092, 127.0.0.1:37017) serves every other test and
// developer at the same time, so it must never be stopped by a test. A private instance runs the
// same cached Kafka jars and FerretDB binary on free ports, with its data under
// infra/.data/private/<name>-<id>/, and can be stopped and started again as often as a test likes:
// a restarted broker keeps its log dir and cluster id (topics and committed offsets survive), a
// restarted FerretDB its SQLite files.
//
// The processes run detached (like the shared ones) and are known by pid files named
// `private-<id>-kafka` / `private-<id>-ferretdb`. They are killed when the owning process exits;
// ones left by an owner that was killed outright are removed by the next startPrivateInfra.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { kafkaBrokers as brokersOf, mongoUrl as mongoUrlOf, type LocalInfraConfig } from './config';
import { InfraError, errorMessage } from './errors';
import { buildFerretdb, ferretdbBinaryCurrent, startFerretdb } from './ferretdb';
import { kafkaLibsCached, prepareKafka, provisionKafkaLibs, startKafka } from './kafka';
import { withInfraLock } from './lock';
import { ferretdbLayout, kafkaLayout, paths, rel } from './paths';
import { freePort } from './ports';
import { requireTool } from './prerequisites';
import { pidAlive, runningProcess, signalGroup, stopProcess, tailFile, waitUntil } from './process-control';
import { stderrLog, type Log } from './progress';
import { kafkaWorks, mongoAnswers } from './readiness';

export interface PrivateInfraOptions {
  /** Names the data directory and the processes, e.g. the test file's name. */
  name: string;
  /** JVM heap of the broker (default 256m: a test's traffic is small). */
  kafkaHeap?: string;
  /** Keep infra/.data/private/<dir> after dispose() (default: removed). */
  keepData?: boolean;
  /** Where progress lines go (default: stderr). */
  log?: Log;
}

export interface StopOptions {
  /** SIGTERM (default) lets the process shut down cleanly; SIGKILL is a crash. */
  signal?: 'SIGTERM' | 'SIGKILL';
}

export interface PrivateInfra {
  /** The directory of this instance under infra/.data/private. */
  dir: string;
  kafkaBrokers: string;
  mongoUrl: string;
  /** Stops the broker; its data stays. */
  stopKafka(options?: StopOptions): Promise<void>;
  /** Starts the broker again on the same port and data; resolves once it takes writes. */
  startKafka(): Promise<void>;
  /** Stops FerretDB; its SQLite files stay. */
  stopStore(options?: StopOptions): Promise<void>;
  /** Starts FerretDB again on the same port and files; resolves once it takes writes. */
  startStore(): Promise<void>;
  /** Stops both and removes the data (unless keepData). */
  dispose(): Promise<void>;
  /** The last lines of the broker's or the store's log, for a failing test's message. */
  logTail(component: 'kafka' | 'ferretdb', lines?: number): string;
}

const KAFKA_START_TIMEOUT_MS = 120_000;
const FERRETDB_START_TIMEOUT_MS = 30_000;
/** A directory without an owner file this old was left by a start that died half-way. */
const ORPHAN_AFTER_MS = 10 * 60_000;
const OWNER_FILE = 'owner.json';

const processNames = (id: string) => ({ kafka: `private-${id}-kafka`, ferretdb: `private-${id}-ferretdb` });

interface Owner {
  pid: number;
  startedAt: string;
}

function readOwner(dir: string): Owner | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8')) as Owner;
  } catch {
    return undefined;
  }
}

/** Removes instances whose owning process is gone (killed before it could dispose of them). */
export async function removeAbandonedPrivateInfra(log: Log = stderrLog): Promise<string[]> {
  let entries: string[];
  try {
    entries = fs.readdirSync(paths.privateDir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const id of entries) {
    const dir = path.join(paths.privateDir, id);
    const owner = readOwner(dir);
    if (owner && pidAlive(owner.pid)) continue;
    if (!owner) {
      const age = Date.now() - (fs.statSync(dir, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (age < ORPHAN_AFTER_MS) continue; // possibly being created right now
    }
    const names = processNames(id);
    await Promise.all([
      stopProcess(names.kafka, 2_000, 'SIGKILL'),
      stopProcess(names.ferretdb, 2_000, 'SIGKILL'),
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
    removed.push(id);
  }
  if (removed.length > 0) log(`[infra] removed abandoned private infrastructure: ${removed.join(', ')}`);
  return removed;
}

/** The cached jars and FerretDB binary, provisioned first (under the infra lock) when missing. */
async function ensureProvisioned(log: Log): Promise<void> {
  if (kafkaLibsCached() && ferretdbBinaryCurrent()) return;
  await withInfraLock(log, 15 * 60_000, async () => {
    log('[infra] provisioning the Kafka jars and FerretDB for a private instance');
    requireTool('java');
    const results = await Promise.allSettled([provisionKafkaLibs(), buildFerretdb()]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  });
}

/**
 * Starts a private Kafka broker and FerretDB on free ports, with data of their own under
 * infra/.data/private. Resolves once both take writes.
 */
export async function startPrivateInfra(options: PrivateInfraOptions): Promise<PrivateInfra> {
  const log = options.log ?? stderrLog;
  const began = Date.now();
  await removeAbandonedPrivateInfra(log);
  await ensureProvisioned(log);
  requireTool('java');

  const slug =
    options.name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .slice(0, 40) || 'infra';
  const id = `${slug}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const dir = path.join(paths.privateDir, id);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, OWNER_FILE),
    `${JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() } satisfies Owner)}\n`,
  );
  const kafka = kafkaLayout(path.join(dir, 'kafka'));
  const ferretdb = ferretdbLayout(path.join(dir, 'ferretdb'));
  const names = processNames(id);

  const ports = new Set<number>();
  while (ports.size < 3) ports.add(await freePort());
  const [kafkaPort, kafkaControllerPort, mongoPort] = [...ports] as [number, number, number];
  const config: LocalInfraConfig = {
    host: '127.0.0.1',
    kafkaPort,
    kafkaControllerPort,
    mongoPort,
    kafkaHeap: options.kafkaHeap ?? '256m',
  };
  const kafkaBrokers = brokersOf(config);
  const mongoUrl = mongoUrlOf(config);

  // Killed with the process that owns them, however it ends (dispose() is the orderly way).
  const killNow = () => {
    for (const name of [names.kafka, names.ferretdb]) {
      const record = runningProcess(name);
      if (record) signalGroup(record.pid, 'SIGKILL');
    }
  };
  process.once('exit', killNow);

  const waitForKafka = async (pid: number) => {
    try {
      await waitUntil('the private Kafka broker', () => kafkaWorks(kafkaBrokers), {
        timeoutMs: KAFKA_START_TIMEOUT_MS,
        pid,
      });
    } catch (err) {
      const tail = tailFile(kafka.serverLog, 10) || tailFile(kafka.stdoutLog, 10);
      throw new InfraError(
        `${errorMessage(err)}${tail ? `\n  last lines of ${rel(kafka.serverLog)}:\n${tail}` : ''}`,
      );
    }
  };
  const waitForStore = async (pid: number) => {
    try {
      await waitUntil('the private FerretDB', () => mongoAnswers(mongoUrl, { write: true }), {
        timeoutMs: FERRETDB_START_TIMEOUT_MS,
        pid,
      });
    } catch (err) {
      const tail = tailFile(ferretdb.log, 10);
      throw new InfraError(
        `${errorMessage(err)}${tail ? `\n  last lines of ${rel(ferretdb.log)}:\n${tail}` : ''}`,
      );
    }
  };
  const startBroker = async () => {
    if (runningProcess(names.kafka)) return;
    await waitForKafka(startKafka(config, kafka, names.kafka).pid);
  };
  const startStore = async () => {
    if (runningProcess(names.ferretdb)) return;
    await waitForStore(startFerretdb(config, ferretdb, names.ferretdb).pid);
  };

  let disposed = false;
  const dispose = async () => {
    if (disposed) return;
    disposed = true;
    // The data goes away with them, so there is nothing to shut down cleanly for.
    await Promise.all([
      stopProcess(names.kafka, 5_000, 'SIGKILL'),
      stopProcess(names.ferretdb, 5_000, 'SIGKILL'),
    ]);
    process.removeListener('exit', killNow);
    if (!options.keepData) fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    const { clusterId } = await prepareKafka(config, kafka);
    await Promise.all([startBroker(), startStore()]);
    log(
      `[infra] private infrastructure ${id} up after ${((Date.now() - began) / 1000).toFixed(1)}s: ` +
        `Kafka ${kafkaBrokers} (cluster ${clusterId}), FerretDB ${mongoUrl}`,
    );
  } catch (err) {
    await dispose();
    throw err;
  }

  return {
    dir,
    kafkaBrokers,
    mongoUrl,
    stopKafka: async ({ signal = 'SIGTERM' } = {}) => {
      await stopProcess(names.kafka, 30_000, signal);
    },
    startKafka: startBroker,
    stopStore: async ({ signal = 'SIGTERM' } = {}) => {
      await stopProcess(names.ferretdb, 10_000, signal);
    },
    startStore,
    dispose,
    logTail: (component, lines = 20) =>
      component === 'kafka'
        ? tailFile(kafka.serverLog, lines) || tailFile(kafka.stdoutLog, lines)
        : tailFile(ferretdb.log, lines),
  };
}
