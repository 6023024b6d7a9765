// The network as it runs in production, for end-to-end and browser tests: every service a separate
// process running its compiled JavaScript with node (as `npm start` runs it; jest's global setup
// compiles), on ports of its own, with a topic prefix and databases of its own so a test run never
// meets another.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { BUILD_DIR, COMPILED_NODE_FLAGS } from '@recycling/infra-local';
import { dropTopicsWithPrefix } from './broker';
import { requireEnv, uniqueName } from './store';

export const SERVICE_NAMES = [
  'pickup',
  'sorting',
  'dismantling',
  'invoicing',
  'statistics',
  'subsidies',
  'disposals',
  'remanufacturing',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

const repoRoot = path.resolve(__dirname, '../../..');

export interface RunningService {
  name: ServiceName;
  url: string;
  port: number;
  /** Lines the process wrote, for a failing test's message. */
  output: string[];
  process: ChildProcess;
  env: NodeJS.ProcessEnv;
  /** 0 for the process startNetwork started, 1, 2, ... for replicas added by addReplica. */
  replica: number;
}

export interface Network {
  topicPrefix: string;
  services: Record<ServiceName, RunningService>;
  /** Kills one service (SIGKILL: no graceful shutdown, as a crash) and starts it again. */
  restart(name: ServiceName, options?: { signal?: NodeJS.Signals }): Promise<RunningService>;
  stop(name: ServiceName, signal?: NodeJS.Signals): Promise<void>;
  start(name: ServiceName): Promise<RunningService>;
  /**
   * Starts one more process of a service: same database, topics and consumer groups (so it joins
   * them, as a scaled-out replica does), a port of its own. Resolves once it is ready.
   */
  addReplica(name: ServiceName): Promise<RunningService>;
  /** Stops a replica from addReplica (SIGTERM by default: a graceful scale-down). */
  stopReplica(replica: RunningService, signal?: NodeJS.Signals): Promise<void>;
  stopAll(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitReady(svc: RunningService, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (svc.process.exitCode !== null) {
      throw new Error(`${svc.name} exited with ${svc.process.exitCode}:\n${svc.output.slice(-30).join('')}`);
    }
    try {
      const res = await fetch(`${svc.url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`${svc.name} not ready after ${timeoutMs} ms:\n${svc.output.slice(-30).join('')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export interface StartNetworkOptions {
  services?: readonly ServiceName[];
  env?: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
  /** The broker and store of this network (default KAFKA_BROKERS and MONGO_URL), e.g. a private one. */
  kafkaBrokers?: string;
  mongoUrl?: string;
}

export async function startNetwork(options: StartNetworkOptions = {}): Promise<Network> {
  const names = options.services ?? SERVICE_NAMES;
  const topicPrefix = uniqueName('e2e').replace(/[^a-zA-Z0-9_-]/g, '_');
  const storeUrl = options.mongoUrl ?? requireEnv('MONGO_URL');
  const kafkaBrokers = options.kafkaBrokers ?? requireEnv('KAFKA_BROKERS');
  const mongoBase = storeUrl.replace(/\/[^/?]*(\?.*)?$/, '');
  const query = storeUrl.match(/\?.*$/)?.[0] ?? '';
  const ports = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await freePort()] as const)));
  const urls = Object.fromEntries(
    names.map((n) => [`${n.toUpperCase()}_URL`, `http://127.0.0.1:${ports[n]}`]),
  );
  const services = {} as Record<ServiceName, RunningService>;
  const replicas: RunningService[] = [];
  let replicaCount = 0;

  const spawnService = async (name: ServiceName, port: number, replica: number) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...urls,
      ...options.env,
      NODE_ENV: 'test',
      PORT: String(port),
      TOPIC_PREFIX: topicPrefix,
      MONGO_URL: `${mongoBase}/${topicPrefix}-${name}${query}`,
      KAFKA_BROKERS: kafkaBrokers,
      JWT_SECRET: process.env.JWT_SECRET ?? 'local-dev-secret-change-me',
      SELLER_KEY_SECRET: process.env.SELLER_KEY_SECRET ?? 'local-dev-seller-key-secret-change-me',
      OTEL_SERVICE_NAME: name,
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
    };
    const child = spawn(process.execPath, [...COMPILED_NODE_FLAGS, `${BUILD_DIR}/main.js`], {
      cwd: path.join(repoRoot, 'services', name),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const svc: RunningService = {
      name,
      url: `http://127.0.0.1:${port}`,
      port,
      output: [],
      process: child,
      env,
      replica,
    };
    const keep = (chunk: Buffer) => {
      svc.output.push(chunk.toString());
      if (svc.output.length > 500) svc.output.splice(0, 100);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    return svc;
  };

  const start = async (name: ServiceName): Promise<RunningService> => {
    const svc = await spawnService(name, ports[name]!, 0);
    services[name] = svc;
    await waitReady(svc, options.readyTimeoutMs ?? 90_000);
    return svc;
  };

  const stopChild = async (child: ChildProcess | undefined, signal: NodeJS.Signals) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
  const stop = (name: ServiceName, signal: NodeJS.Signals = 'SIGTERM') =>
    stopChild(services[name]?.process, signal);

  const addReplica = async (name: ServiceName): Promise<RunningService> => {
    const svc = await spawnService(name, await freePort(), ++replicaCount);
    replicas.push(svc);
    await waitReady(svc, options.readyTimeoutMs ?? 90_000);
    return svc;
  };
  const stopReplica = (replica: RunningService, signal: NodeJS.Signals = 'SIGTERM') =>
    stopChild(replica.process, signal);

  // Started one after another: on two cores, five TypeScript services at once take longer in total.
  try {
    for (const name of names) await start(name);
  } catch (error) {
    await Promise.all(names.map((n) => stop(n, 'SIGKILL')));
    throw error;
  }

  return {
    topicPrefix,
    services,
    start,
    stop,
    restart: async (name, { signal = 'SIGKILL' } = {}) => {
      await stop(name, signal);
      return start(name);
    },
    addReplica,
    stopReplica,
    stopAll: async () => {
      await Promise.all([...names.map((n) => stop(n)), ...replicas.map((r) => stopReplica(r))]);
      await dropTopicsWithPrefix(kafkaBrokers, `${topicPrefix}.`);
    },
  };
}
