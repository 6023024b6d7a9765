// A broker and a store that one test may stop and start (broker and store faults). The shared
// broker and store of the test run (KAFKA_BROKERS, MONGO_URL) serve every other test file at the
// same time and must never be stopped by one of them.
//  - where a Docker engine answers: an Apache Kafka (KRaft) and a MongoDB container on fixed host
//    ports, stopped and started as containers (their data lives in the containers' volumes, so it
//    survives, and the addresses stay the same);
//  - otherwise: @recycling/infra-local's startPrivateInfra, the same cached Kafka jars and FerretDB
//    binary as the shared local infrastructure, on free ports, with data under infra/.data/private.
import { randomBytes } from 'node:crypto';
import { dockerAnswers } from './infra';
import { freePort } from './network';

export interface PrivateTestInfra {
  kafkaBrokers: string;
  mongoUrl: string;
  origin: 'testcontainers' | 'local';
  /** Stops the broker (SIGTERM; `SIGKILL` for a crash). Topics, data and committed offsets stay. */
  stopKafka(options?: { signal?: 'SIGTERM' | 'SIGKILL' }): Promise<void>;
  /** Starts the broker again at the same address; resolves once it takes writes. */
  startKafka(): Promise<void>;
  /** Stops the store; its data stays. */
  stopStore(options?: { signal?: 'SIGTERM' | 'SIGKILL' }): Promise<void>;
  /** Starts the store again at the same address; resolves once it takes writes. */
  startStore(): Promise<void>;
  /** Stops and removes both, with their data. */
  dispose(): Promise<void>;
  /** The last lines of the broker's or the store's log, for a failing test's message. */
  logTail(component: 'kafka' | 'store', lines?: number): Promise<string>;
}

export interface PrivateTestInfraOptions {
  /** Names the instance (its data directory or containers), e.g. the test file's name. */
  name: string;
}

const KAFKA_IMAGE = 'apache/kafka:3.9.1';
const MONGO_IMAGE = 'mongo:8';

async function fromTestcontainers(name: string): Promise<PrivateTestInfra> {
  const { GenericContainer, Wait, getContainerRuntimeClient } = await import('testcontainers');
  const { kafkaWorks, mongoAnswers } = await import('@recycling/infra-local');
  const client = await getContainerRuntimeClient();
  const host = client.info.containerRuntime.host;
  // Fixed host ports: a container started again keeps its address (and the broker the listener it
  // advertises), as a restarted server would.
  const kafkaPort = await freePort();
  const mongoPort = await freePort();
  const suffix = `${name.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}-${randomBytes(3).toString('hex')}`;
  const [kafka, mongo] = await Promise.all([
    new GenericContainer(KAFKA_IMAGE)
      .withName(`private-kafka-${suffix}`)
      .withExposedPorts({ container: 9092, host: kafkaPort })
      .withEnvironment({
        KAFKA_NODE_ID: '1',
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
        KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${host}:${kafkaPort}`,
        KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
        // One cluster id and one log dir (a volume of the image) for the container's whole life:
        // the broker started again finds its topics and committed offsets.
        CLUSTER_ID: randomBytes(16).toString('base64url').replace(/^-/, 'A'),
        KAFKA_LOG_DIRS: '/var/lib/kafka/data',
        KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
        KAFKA_NUM_PARTITIONS: '3',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '10',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      })
      .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
      .withStartupTimeout(180_000)
      .start(),
    new GenericContainer(MONGO_IMAGE)
      .withName(`private-mongo-${suffix}`)
      .withExposedPorts({ container: 27017, host: mongoPort })
      .withWaitStrategy(Wait.forLogMessage(/Waiting for connections/))
      .start(),
  ]);
  const kafkaBrokers = `${host}:${kafkaPort}`;
  const mongoUrl = `mongodb://${host}:${mongoPort}/?directConnection=true`;
  const until = async (what: string, check: () => Promise<void>, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await check();
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`${what} did not answer within ${timeoutMs} ms`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  await until('the private Kafka container', () => kafkaWorks(kafkaBrokers), 120_000);

  const docker = (id: string) => client.container.getById(id);
  const stop = async (id: string, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
    if (signal === 'SIGKILL') await docker(id).kill();
    else await client.container.stop(docker(id), { timeout: 30_000 });
  };
  // Follows the log (the only mode testcontainers offers) for a moment, then lets go.
  const logTail = async (id: string, lines: number) => {
    const stream = await client.container.logs(docker(id), { tail: lines });
    const chunks: string[] = [];
    stream.on('data', (c: Buffer | string) => chunks.push(c.toString()));
    await new Promise<void>((resolve) => {
      stream.once('end', resolve);
      stream.once('error', () => resolve());
      setTimeout(resolve, 1_000);
    });
    (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    return chunks.join('');
  };
  return {
    kafkaBrokers,
    mongoUrl,
    origin: 'testcontainers',
    stopKafka: ({ signal } = {}) => stop(kafka.getId(), signal),
    startKafka: async () => {
      await client.container.start(docker(kafka.getId()));
      await until('the private Kafka container', () => kafkaWorks(kafkaBrokers), 120_000);
    },
    stopStore: ({ signal } = {}) => stop(mongo.getId(), signal),
    startStore: async () => {
      await client.container.start(docker(mongo.getId()));
      await until('the private MongoDB container', () => mongoAnswers(mongoUrl, { write: true }), 60_000);
    },
    dispose: async () => {
      await Promise.all([kafka, mongo].map((c) => c.stop({ remove: true, removeVolumes: true })));
    },
    logTail: (component, lines = 20) => logTail((component === 'kafka' ? kafka : mongo).getId(), lines),
  };
}

async function fromLocal(name: string): Promise<PrivateTestInfra> {
  const { startPrivateInfra } = await import('@recycling/infra-local');
  const infra = await startPrivateInfra({ name });
  return {
    kafkaBrokers: infra.kafkaBrokers,
    mongoUrl: infra.mongoUrl,
    origin: 'local',
    stopKafka: (options) => infra.stopKafka(options),
    startKafka: () => infra.startKafka(),
    stopStore: (options) => infra.stopStore(options),
    startStore: () => infra.startStore(),
    dispose: () => infra.dispose(),
    logTail: async (component, lines) => infra.logTail(component === 'kafka' ? 'kafka' : 'ferretdb', lines),
  };
}

/**
 * A broker and a store of this test's own, to stop and start at will: containers where Docker
 * answers, otherwise the local infrastructure's binaries on free ports. Call dispose() in afterAll.
 */
export async function startPrivateInfra(options: PrivateTestInfraOptions): Promise<PrivateTestInfra> {
  return (await dockerAnswers()) ? fromTestcontainers(options.name) : fromLocal(options.name);
}
