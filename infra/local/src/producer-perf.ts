// Kafka's own producer benchmark (org.apache.kafka.tools.ProducerPerformance) against any broker,
// run from the jars infra/local provisions from Maven Central: the ceiling a producer on this machine
// and this broker can reach, for the load benchmark (e2e/bench/load.ts) to set the network beside.
//
// The broker's jars (infra/kafka/pom.xml) do not include kafka-tools, where ProducerPerformance
// lives; its one jar is copied from Maven Central (through the same local Maven repository) into
// infra/.cache/kafka/tools-<version>/ and put on the class path after the broker's jars, which hold
// everything else it needs (kafka-clients, argparse4j, ...).
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { InfraError, errorMessage } from './errors';
import { kafkaLibsCached, kafkaVersion, provisionKafkaLibs } from './kafka';
import { withInfraLock } from './lock';
import { paths, rel } from './paths';
import { requireTool } from './prerequisites';
import { stderrLog, type Log } from './progress';
import { lastLines, runCommand } from './run-command';

/** ProducerPerformance's final line: "N records sent, X records/sec (Y MB/sec), ... 99.9th." */
export interface ProducerPerfResult {
  records: number;
  recordsPerSec: number;
  mbPerSec: number;
  avgLatencyMs: number;
  maxLatencyMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
}

const SUMMARY =
  /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99\.9th/g;

/**
 * The summary of a ProducerPerformance run (its last line with percentiles; the lines it prints every
 * five seconds while running have none), or undefined when the output has none.
 */
export function parseProducerPerfSummary(output: string): ProducerPerfResult | undefined {
  const last = [...output.matchAll(SUMMARY)].pop();
  if (!last) return undefined;
  const n = last.slice(1).map(Number);
  return {
    records: n[0]!,
    recordsPerSec: n[1]!,
    mbPerSec: n[2]!,
    avgLatencyMs: n[3]!,
    maxLatencyMs: n[4]!,
    p50Ms: n[5]!,
    p95Ms: n[6]!,
    p99Ms: n[7]!,
    p999Ms: n[8]!,
  };
}

const toolsDir = (version: string) => path.join(paths.cacheDir, 'kafka', `tools-${version}`);
const toolsJar = (version: string) => path.join(toolsDir(version), `kafka-tools-${version}.jar`);

/**
 * The broker's jars and the kafka-tools jar of the same version, fetched first when missing (Maven,
 * under the infra lock). Answers the class path for `java -cp`.
 */
export async function provisionKafkaTools(log: Log = stderrLog): Promise<string> {
  const ready = () => {
    const version = kafkaVersion();
    return kafkaLibsCached() && version && fs.existsSync(toolsJar(version)) ? version : undefined;
  };
  let version = ready();
  if (!version) {
    await withInfraLock(log, 15 * 60_000, async () => {
      if (ready()) return;
      if (!kafkaLibsCached()) {
        log('[infra] fetching the Kafka jars from Maven Central (once)');
        await provisionKafkaLibs();
      }
      const v = kafkaVersion();
      if (!v) throw new InfraError(`no kafka_2.13 jar in ${rel(paths.kafka.libsDir)} after provisioning`);
      requireTool('mvn');
      log(`[infra] fetching kafka-tools ${v} (ProducerPerformance) from Maven Central (once)`);
      const staging = `${toolsDir(v)}.staging-${process.pid}`;
      fs.rmSync(staging, { recursive: true, force: true });
      const run = await runCommand(
        'mvn',
        [
          '-q',
          '-B',
          `-Dmaven.repo.local=${paths.kafka.mavenRepo}`,
          'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy',
          `-Dartifact=org.apache.kafka:kafka-tools:${v}`,
          `-DoutputDirectory=${staging}`,
        ],
        { cwd: paths.cacheDir, timeoutMs: 10 * 60_000 },
      );
      if (run.code !== 0 || !fs.existsSync(path.join(staging, `kafka-tools-${v}.jar`))) {
        fs.rmSync(staging, { recursive: true, force: true });
        throw new InfraError(
          `Maven could not fetch org.apache.kafka:kafka-tools:${v} (exit ${run.code}):\n${lastLines(run.output)}`,
          'check that Maven Central (repo.maven.apache.org) or your Maven mirror is reachable, then run again',
        );
      }
      fs.rmSync(toolsDir(v), { recursive: true, force: true });
      fs.renameSync(staging, toolsDir(v));
    });
    version = ready();
    if (!version) throw new InfraError('the Kafka tools jar is still missing after provisioning');
  }
  return `${paths.kafka.libsDir}/*${path.delimiter}${toolsDir(version)}/*`;
}

export interface ProducerPerfOptions {
  /** bootstrap.servers, comma-separated. */
  brokers: string;
  /** --num-records. */
  records: number;
  /** --record-size in bytes (default 1024). */
  recordSize?: number;
  /** Partitions of the topic created for the run (default 3); it is deleted afterwards. */
  partitions?: number;
  /** Producer settings besides bootstrap.servers (default acks=all). */
  producerProps?: Record<string, string>;
  /** Name of the topic (default bench-producer-perf-<time>-<pid>). */
  topic?: string;
  /** The JVM's heap (default 256m). */
  heap?: string;
  /** The run is killed after this long (default 5 minutes). */
  timeoutMs?: number;
  log?: Log;
}

export interface ProducerPerfRun extends ProducerPerfResult {
  topic: string;
  producerProps: Record<string, string>;
  /** The whole command, to run again by hand. */
  command: string;
  /** Wall time including the JVM's start, topic creation and deletion. */
  wallMs: number;
}

/**
 * Creates a topic, runs ProducerPerformance on it with `--throughput -1` (as fast as it goes), deletes
 * the topic, and answers the summary. Throws an InfraError with the tool's last lines if it fails.
 */
export async function runProducerPerf(options: ProducerPerfOptions): Promise<ProducerPerfRun> {
  const began = Date.now();
  const log = options.log ?? stderrLog;
  requireTool('java');
  const classpath = await provisionKafkaTools(log);
  const topic = options.topic ?? `bench-producer-perf-${Date.now().toString(36)}-${process.pid}`;
  const producerProps = { acks: 'all', ...options.producerProps };
  const kafka = new Kafka({
    clientId: 'infra-local-producer-perf',
    brokers: options.brokers.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 5 },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [{ topic, numPartitions: options.partitions ?? 3, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    const args = [
      `-Xmx${options.heap ?? '256m'}`,
      '-cp',
      classpath,
      'org.apache.kafka.tools.ProducerPerformance',
      '--topic',
      topic,
      '--num-records',
      String(options.records),
      '--record-size',
      String(options.recordSize ?? 1024),
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${options.brokers}`,
      ...Object.entries(producerProps).map(([k, v]) => `${k}=${v}`),
    ];
    const command = `java ${args.map((a) => (a.includes('*') ? `'${a}'` : a)).join(' ')}`;
    const run = await runCommand('java', args, { timeoutMs: options.timeoutMs ?? 5 * 60_000 });
    const summary = parseProducerPerfSummary(run.output);
    if (run.code !== 0 || !summary) {
      throw new InfraError(
        `ProducerPerformance failed (exit ${run.code}):\n${lastLines(run.output)}`,
        `run it by hand to see more: ${command}`,
      );
    }
    return { ...summary, topic, producerProps, command, wallMs: Date.now() - began };
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch((err: unknown) => {
      log(`[infra] could not delete the topic ${topic}: ${errorMessage(err)}`);
    });
    await admin.disconnect().catch(() => undefined);
  }
}
