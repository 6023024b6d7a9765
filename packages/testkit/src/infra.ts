// Where the broker and the store come from in tests, in order of preference:
//  1. KAFKA_BROKERS and MONGO_URL in the environment (CI with services, a developer's own cluster);
//  2. testcontainers, where a Docker engine answers (Apache Kafka in KRaft mode, MongoDB 8);
//  3. the local infrastructure of @recycling/infra-local (real Kafka from Maven Central and
//     FerretDB built from the Go module proxy), for machines without Docker.
import { existsSync } from 'node:fs';

export interface TestInfra {
  kafkaBrokers: string;
  mongoUrl: string;
  origin: 'environment' | 'testcontainers' | 'local';
  stop(): Promise<void>;
}

/** A Docker engine answers here (testcontainers can run). */
export async function dockerAnswers(): Promise<boolean> {
  if (!process.env.DOCKER_HOST && !existsSync('/var/run/docker.sock')) return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

async function fromTestcontainers(): Promise<TestInfra> {
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const { MongoDBContainer } = await import('@testcontainers/mongodb');
  const [kafka, mongo] = await Promise.all([
    new KafkaContainer('apache/kafka:3.9.1').start(),
    new MongoDBContainer('mongo:8').start(),
  ]);
  return {
    kafkaBrokers: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
    mongoUrl: `${mongo.getConnectionString()}?directConnection=true`,
    origin: 'testcontainers',
    stop: async () => {
      await Promise.all([kafka.stop(), mongo.stop()]);
    },
  };
}

export async function resolveTestInfra(): Promise<TestInfra> {
  const { KAFKA_BROKERS, MONGO_URL } = process.env;
  if (KAFKA_BROKERS && MONGO_URL) {
    return { kafkaBrokers: KAFKA_BROKERS, mongoUrl: MONGO_URL, origin: 'environment', stop: async () => {} };
  }
  if (await dockerAnswers()) return fromTestcontainers();
  const { ensureLocalInfra } = await import('@recycling/infra-local');
  const local = await ensureLocalInfra();
  // The local infrastructure outlives the test run on purpose: the next run starts in seconds.
  return {
    kafkaBrokers: local.kafkaBrokers,
    mongoUrl: local.mongoUrl,
    origin: 'local',
    stop: async () => {},
  };
}
