// Where everything of the local infrastructure lives. Caches (downloaded jars, built binaries,
// tools) go to infra/.cache, state (data, logs, pid files) to infra/.data; both are ignored by git.
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

const cacheDir = path.join(repoRoot, 'infra', '.cache');
const dataDir = path.join(repoRoot, 'infra', '.data');

/** Where one broker keeps its configuration, data and logs (the shared one, or a private one). */
export function kafkaLayout(home: string) {
  return {
    home,
    serverProperties: path.join(home, 'server.properties'),
    log4jProperties: path.join(home, 'log4j.properties'),
    clusterIdFile: path.join(home, 'cluster-id'),
    logDirs: path.join(home, 'data'),
    metaProperties: path.join(home, 'data', 'meta.properties'),
    logsDir: path.join(home, 'logs'),
    serverLog: path.join(home, 'logs', 'server.log'),
    stdoutLog: path.join(home, 'logs', 'stdout.log'),
  };
}
export type KafkaLayout = ReturnType<typeof kafkaLayout>;

/** Where one FerretDB keeps its SQLite files and log. */
export function ferretdbLayout(home: string) {
  return { home, sqliteDir: path.join(home, 'data'), log: path.join(home, 'ferretdb.log') };
}
export type FerretdbLayout = ReturnType<typeof ferretdbLayout>;

export const paths = {
  repoRoot,
  cacheDir,
  dataDir,
  runDir: path.join(dataDir, 'run'),
  /** Private brokers and stores of tests that stop and start them (startPrivateInfra). */
  privateDir: path.join(dataDir, 'private'),
  lockTarget: path.join(dataDir, 'run', 'infra'),
  serviceLogsDir: path.join(dataDir, 'logs'),
  testReportsDir: path.join(dataDir, 'test'),
  pnpm: path.join(cacheDir, 'tools', 'node_modules', '.bin', 'pnpm'),
  kafka: {
    pom: path.join(repoRoot, 'infra', 'kafka', 'pom.xml'),
    mavenRepo: process.env.LOCAL_MAVEN_REPO || path.join(cacheDir, 'm2'),
    libsDir: path.join(cacheDir, 'kafka', 'libs'),
    libsStamp: path.join(cacheDir, 'kafka', 'libs', '.pom-sha256'),
    ...kafkaLayout(path.join(dataDir, 'kafka')),
  },
  ferretdb: {
    moduleDir: path.join(repoRoot, 'infra', 'ferretdb'),
    sources: ['go.mod', 'go.sum', 'main.go', 'id_index.go'].map((f) =>
      path.join(repoRoot, 'infra', 'ferretdb', f),
    ),
    binary: path.join(cacheDir, 'bin', 'ferretdb'),
    ...ferretdbLayout(path.join(dataDir, 'ferretdb')),
  },
};

/** A path relative to the repository root, for messages. */
export const rel = (p: string) => path.relative(repoRoot, p) || '.';
