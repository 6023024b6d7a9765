// The local Apache Kafka broker: jars from Maven Central (via infra/kafka/pom.xml), a single KRaft
// node that is broker and controller at once, data and logs under infra/.data/kafka.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  isClusterId,
  kafkaJvmOptions,
  newClusterId,
  renderLog4jProperties,
  renderServerProperties,
  type LocalInfraConfig,
} from './config';
import { InfraError } from './errors';
import { paths, rel, type KafkaLayout } from './paths';
import { requireTool } from './prerequisites';
import { startDetached, type PidRecord } from './process-control';
import { lastLines, runCommand } from './run-command';

export const KAFKA_PROCESS = 'kafka';

const classpath = () => `${paths.kafka.libsDir}/*`;
const pomHash = () => createHash('sha256').update(fs.readFileSync(paths.kafka.pom)).digest('hex');

/** The Kafka version of the cached jars, e.g. "3.9.1", or undefined before provisioning. */
export function kafkaVersion(): string | undefined {
  try {
    const jar = fs.readdirSync(paths.kafka.libsDir).find((f) => /^kafka_2\.13-.+\.jar$/.test(f));
    return jar?.replace(/^kafka_2\.13-(.+)\.jar$/, '$1');
  } catch {
    return undefined;
  }
}

export function kafkaLibsCached(): boolean {
  try {
    return fs.readFileSync(paths.kafka.libsStamp, 'utf8').trim() === pomHash();
  } catch {
    return false;
  }
}

/**
 * Copies the broker's jars out of Maven Central into infra/.cache/kafka/libs, unless the jars of
 * the current pom.xml are there already. Jars land in a staging folder first, so an interrupted
 * download never leaves a half-filled libs folder behind.
 */
export async function provisionKafkaLibs(): Promise<'cached' | 'downloaded'> {
  if (kafkaLibsCached()) return 'cached';
  requireTool('mvn');
  const staging = `${paths.kafka.libsDir}.staging-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  const args = [
    '-q',
    '-B',
    '-f',
    paths.kafka.pom,
    `-Dmaven.repo.local=${paths.kafka.mavenRepo}`,
    `-Dkafka.libs.dir=${staging}`,
    'dependency:copy-dependencies',
  ];
  const run = await runCommand('mvn', args, { cwd: paths.repoRoot, timeoutMs: 15 * 60_000 });
  if (run.code !== 0) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new InfraError(
      `Maven could not fetch the Kafka jars (exit ${run.code}):\n${lastLines(run.output)}`,
      'check that Maven Central (repo.maven.apache.org) or your Maven mirror is reachable, then run again',
    );
  }
  fs.writeFileSync(path.join(staging, '.pom-sha256'), `${pomHash()}\n`);
  fs.rmSync(paths.kafka.libsDir, { recursive: true, force: true });
  fs.renameSync(staging, paths.kafka.libsDir);
  return 'downloaded';
}

/**
 * Writes server.properties and log4j.properties for the configured ports, and formats the storage
 * once with a random cluster id (kept in <home>/cluster-id, infra/.data/kafka for the shared broker).
 * A broker prepared again keeps its storage and cluster id: topics and committed offsets survive.
 */
export async function prepareKafka(
  config: LocalInfraConfig,
  layout: KafkaLayout = paths.kafka,
): Promise<{ clusterId: string; formatted: boolean }> {
  fs.mkdirSync(layout.logsDir, { recursive: true });
  fs.mkdirSync(layout.logDirs, { recursive: true });
  fs.writeFileSync(layout.serverProperties, renderServerProperties(config, layout.logDirs));
  fs.writeFileSync(layout.log4jProperties, renderLog4jProperties(layout.serverLog));

  let clusterId = fs.existsSync(layout.clusterIdFile)
    ? fs.readFileSync(layout.clusterIdFile, 'utf8').trim()
    : '';
  if (fs.existsSync(layout.metaProperties)) {
    const meta = fs.readFileSync(layout.metaProperties, 'utf8');
    const formattedId = /^cluster\.id=(.+)$/m.exec(meta)?.[1]?.trim();
    if (formattedId && formattedId !== clusterId) fs.writeFileSync(layout.clusterIdFile, `${formattedId}\n`);
    return { clusterId: formattedId ?? clusterId, formatted: false };
  }
  if (!isClusterId(clusterId)) {
    clusterId = newClusterId();
    fs.writeFileSync(layout.clusterIdFile, `${clusterId}\n`);
  }
  requireTool('java');
  const run = await runCommand(
    'java',
    [
      `-Dlog4j.configuration=file:${layout.log4jProperties}`,
      '-cp',
      classpath(),
      'kafka.tools.StorageTool',
      'format',
      '--ignore-formatted',
      '-t',
      clusterId,
      '-c',
      layout.serverProperties,
    ],
    { cwd: layout.home, timeoutMs: 120_000 },
  );
  if (run.code !== 0) {
    throw new InfraError(
      `formatting the Kafka storage failed (exit ${run.code}):\n${lastLines(run.output)}`,
      `remove ${rel(layout.home)} (the local broker's data) and run again`,
    );
  }
  return { clusterId, formatted: true };
}

/** Starts the broker of `layout` (prepared by prepareKafka) as the background process `name`. */
export function startKafka(
  config: LocalInfraConfig,
  layout: KafkaLayout = paths.kafka,
  name = KAFKA_PROCESS,
): PidRecord {
  return startDetached({
    name,
    command: 'java',
    args: [
      ...kafkaJvmOptions(config, layout.log4jProperties),
      '-cp',
      classpath(),
      'kafka.Kafka',
      layout.serverProperties,
    ],
    cwd: layout.home,
    logFile: layout.stdoutLog,
    marker: layout.serverProperties,
  });
}
