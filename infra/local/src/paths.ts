// Where everything of the local infrastructure lives. Caches (downloaded jars, built binaries,
// tools) go to infra/.cache, state (data, logs, pid files) to infra/.data; both are ignored by git.
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

const cacheDir = path.join(repoRoot, 'infra', '.cache');
const dataDir = path.join(repoRoot, 'infra', '.data');

export const paths = {
  repoRoot,
  cacheDir,
  dataDir,
  runDir: path.join(dataDir, 'run'),
  lockTarget: path.join(dataDir, 'run', 'infra'),
  serviceLogsDir: path.join(dataDir, 'logs'),
  testReportsDir: path.join(dataDir, 'test'),
  pnpm: path.join(cacheDir, 'tools', 'node_modules', '.bin', 'pnpm'),
  kafka: {
    pom: path.join(repoRoot, 'infra', 'kafka', 'pom.xml'),
    mavenRepo: process.env.LOCAL_MAVEN_REPO || path.join(cacheDir, 'm2'),
    libsDir: path.join(cacheDir, 'kafka', 'libs'),
    libsStamp: path.join(cacheDir, 'kafka', 'libs', '.pom-sha256'),
    home: path.join(dataDir, 'kafka'),
    serverProperties: path.join(dataDir, 'kafka', 'server.properties'),
    log4jProperties: path.join(dataDir, 'kafka', 'log4j.properties'),
    clusterIdFile: path.join(dataDir, 'kafka', 'cluster-id'),
    logDirs: path.join(dataDir, 'kafka', 'data'),
    metaProperties: path.join(dataDir, 'kafka', 'data', 'meta.properties'),
    logsDir: path.join(dataDir, 'kafka', 'logs'),
    serverLog: path.join(dataDir, 'kafka', 'logs', 'server.log'),
    stdoutLog: path.join(dataDir, 'kafka', 'logs', 'stdout.log'),
  },
  ferretdb: {
    moduleDir: path.join(repoRoot, 'infra', 'ferretdb'),
    sources: ['go.mod', 'go.sum', 'main.go'].map((f) => path.join(repoRoot, 'infra', 'ferretdb', f)),
    binary: path.join(cacheDir, 'bin', 'ferretdb'),
    home: path.join(dataDir, 'ferretdb'),
    sqliteDir: path.join(dataDir, 'ferretdb', 'data'),
    log: path.join(dataDir, 'ferretdb', 'ferretdb.log'),
  },
};

/** A path relative to the repository root, for messages. */
export const rel = (p: string) => path.relative(repoRoot, p) || '.';
