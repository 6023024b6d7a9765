// Pure parts of the local infrastructure: configuration, rendering of the broker's files, parsing
// of tool versions and test reports. The real broker and store are verified by running the CLI
// (`bash infra/bin/workspace infra up|status|down`), not here: the integration project's global
// setup itself depends on this package.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import {
  DEFAULT_PORTS,
  isClusterId,
  kafkaBrokers,
  kafkaJvmOptions,
  loadConfig,
  mongoUrl,
  newClusterId,
  parsePort,
  renderLog4jProperties,
  renderServerProperties,
} from '../src/config';
import { InfraError } from '../src/errors';
import { TOOLS, versionOk } from '../src/prerequisites';
import { LOCAL_JWT_SECRET, LOCAL_SELLER_KEY_SECRET, SERVICE_PORTS, serviceEnv } from '../src/services';
import { formatStage, jestCounts, tapCounts } from '../src/test-runner';

const properties = (text: string) =>
  Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );

describe('ports', () => {
  it('uses the default when the variable is unset or empty', () => {
    expect(parsePort(undefined, 'LOCAL_KAFKA_PORT', 19092)).toBe(19092);
    expect(parsePort('  ', 'LOCAL_KAFKA_PORT', 19092)).toBe(19092);
  });

  it('accepts a port number with surrounding blanks', () => {
    expect(parsePort(' 29092 ', 'LOCAL_KAFKA_PORT', 19092)).toBe(29092);
  });

  it.each(['0', '65536', 'abc', '19092x', '-1', '1.5'])('rejects %p and names the variable', (value) => {
    expect(() => parsePort(value, 'LOCAL_MONGO_PORT', 37017)).toThrow(InfraError);
    expect(() => parsePort(value, 'LOCAL_MONGO_PORT', 37017)).toThrow(/LOCAL_MONGO_PORT/);
  });

  it('defaults to 19092, 19093 and 37017', () => {
    const c = loadConfig({});
    expect([c.kafkaPort, c.kafkaControllerPort, c.mongoPort]).toEqual([19092, 19093, 37017]);
    expect(DEFAULT_PORTS).toEqual({ kafka: 19092, kafkaController: 19093, mongo: 37017 });
    expect(c.kafkaHeap).toBe('256m');
  });

  it('reads every port from its variable', () => {
    const c = loadConfig({ LOCAL_KAFKA_PORT: '1', LOCAL_KAFKA_CONTROLLER_PORT: '2', LOCAL_MONGO_PORT: '3' });
    expect([c.kafkaPort, c.kafkaControllerPort, c.mongoPort]).toEqual([1, 2, 3]);
  });

  it('refuses the same port twice', () => {
    expect(() => loadConfig({ LOCAL_KAFKA_CONTROLLER_PORT: '19092' })).toThrow(/must differ/);
  });

  it('refuses a heap size the JVM would not take', () => {
    expect(() => loadConfig({ LOCAL_KAFKA_HEAP: '512' })).toThrow(/LOCAL_KAFKA_HEAP/);
    expect(loadConfig({ LOCAL_KAFKA_HEAP: '1g' }).kafkaHeap).toBe('1g');
  });
});

describe('endpoints', () => {
  const c = loadConfig({});

  it('names the broker on loopback', () => {
    expect(kafkaBrokers(c)).toBe('127.0.0.1:19092');
  });

  it('connects directly to the single store, optionally to one database', () => {
    expect(mongoUrl(c)).toBe('mongodb://127.0.0.1:37017/?directConnection=true');
    expect(mongoUrl(c, 'pickup')).toBe('mongodb://127.0.0.1:37017/pickup?directConnection=true');
  });
});

describe('server.properties', () => {
  const c = loadConfig({ LOCAL_KAFKA_PORT: '29092', LOCAL_KAFKA_CONTROLLER_PORT: '29093' });
  const props = properties(renderServerProperties(c, '/data/kafka'));

  it('is one KRaft node that is broker and controller', () => {
    expect(props['process.roles']).toBe('broker,controller');
    expect(props['node.id']).toBe('1');
    expect(props['controller.quorum.voters']).toBe('1@127.0.0.1:29093');
    expect(props['controller.listener.names']).toBe('CONTROLLER');
  });

  it('listens on loopback only, with the controller on its own port', () => {
    expect(props.listeners).toBe('PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093');
    expect(props['advertised.listeners']).toBe('PLAINTEXT://127.0.0.1:29092');
  });

  it('fits a single node and the tests', () => {
    expect(props['log.dirs']).toBe('/data/kafka');
    expect(props['auto.create.topics.enable']).toBe('false');
    expect(props['num.partitions']).toBe('3');
    expect(props['offsets.topic.replication.factor']).toBe('1');
    expect(props['transaction.state.log.replication.factor']).toBe('1');
    expect(props['transaction.state.log.min.isr']).toBe('1');
    expect(props['group.initial.rebalance.delay.ms']).toBe('0');
  });
});

describe('broker logging and JVM', () => {
  it('logs warnings and lifecycle to a rolling file', () => {
    const props = properties(renderLog4jProperties('/logs/server.log'));
    expect(props['log4j.rootLogger']).toBe('WARN, file');
    expect(props['log4j.appender.file.File']).toBe('/logs/server.log');
    expect(props['log4j.logger.kafka.server.BrokerServer']).toBe('INFO');
  });

  it('caps the heap and points log4j at the generated file', () => {
    const opts = kafkaJvmOptions(loadConfig({ LOCAL_KAFKA_HEAP: '768m' }), '/k/log4j.properties');
    expect(opts).toContain('-Xmx768m');
    expect(opts).toContain('-Dlog4j.configuration=file:/k/log4j.properties');
  });
});

describe('cluster id', () => {
  it('is 22 characters of base64url, as kafka-storage random-uuid prints', () => {
    for (let i = 0; i < 50; i++) {
      const id = newClusterId();
      expect(isClusterId(id)).toBe(true);
      expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    }
  });

  it('never starts with a dash', () => {
    const draws = [Buffer.from([0xfb, ...Array(15).fill(1)]), Buffer.alloc(16, 7)];
    const id = newClusterId(() => draws.shift() ?? Buffer.alloc(16, 9));
    expect(id.startsWith('-')).toBe(false);
    expect(id).toBe(Buffer.alloc(16, 7).toString('base64url'));
  });

  it('rejects what is not an id', () => {
    expect(isClusterId('')).toBe(false);
    expect(isClusterId('not a cluster id at all')).toBe(false);
  });
});

describe('prerequisites', () => {
  it('reads the versions the tools print', () => {
    expect(TOOLS.java.parse('openjdk version "17.0.15" 2025-04-15')).toEqual([17, 0]);
    expect(TOOLS.java.parse('java version "1.8.0_372"')).toEqual([1, 8]);
    expect(TOOLS.mvn.parse('Apache Maven 3.8.7')).toEqual([3, 8]);
    expect(TOOLS.go.parse('go version go1.26.8 linux/amd64')).toEqual([1, 26]);
  });

  it('wants Java 17, Maven 3.6 and Go 1.24 or newer', () => {
    expect(versionOk(TOOLS.java, [17, 0])).toBe(true);
    expect(versionOk(TOOLS.java, [21, 0])).toBe(true);
    expect(versionOk(TOOLS.java, [11, 0])).toBe(false);
    expect(versionOk(TOOLS.java, [1, 8])).toBe(false);
    expect(versionOk(TOOLS.mvn, [3, 5])).toBe(false);
    expect(versionOk(TOOLS.go, [1, 23])).toBe(false);
    expect(versionOk(TOOLS.go, [1, 26])).toBe(true);
  });

  it('says how to install Java in one line', () => {
    expect(TOOLS.java.missing).toBe(
      'Java 17 is needed for the local Kafka broker: install openjdk-17-jre (apt-get install openjdk-17-jre-headless)',
    );
  });
});

describe('test reports', () => {
  it('counts jest results from its --json output', () => {
    expect(jestCounts(JSON.stringify({ numPassedTests: 12, numFailedTests: 1, success: false }))).toEqual({
      passed: 12,
      failed: 1,
    });
    expect(jestCounts('not json')).toBeUndefined();
    expect(jestCounts('{}')).toBeUndefined();
  });

  it('counts node --test results from its TAP summary', () => {
    const tap = 'TAP version 13\nok 1 - a\n1..3\n# tests 3\n# suites 0\n# pass 2\n# fail 1\n# cancelled 0\n';
    expect(tapCounts(tap)).toEqual({ passed: 2, failed: 1 });
    expect(tapCounts('TAP version 13\n')).toBeUndefined();
  });

  it('prints one line per stage', () => {
    expect(formatStage({ name: 'unit', status: 'passed', ms: 5230, counts: { passed: 9, failed: 0 } })).toBe(
      'unit          passed               5.2s  9 passed, 0 failed',
    );
    expect(formatStage({ name: 'lint', status: 'failed', ms: 1000, exitCode: 2 })).toBe(
      'lint          FAILED (exit 2)      1.0s',
    );
    expect(formatStage({ name: 'node', status: 'not run', ms: 0 })).toBe('node          not run');
  });
});

describe('services', () => {
  const all = Object.entries(SERVICE_PORTS).map(([name, port]) => ({ name, port }));

  it('gives each service its port, the broker, a database of its own and the local JWT secret', () => {
    const env = serviceEnv(
      { name: 'pickup', port: 4101 },
      all,
      { kafkaBrokers: '127.0.0.1:19092', mongoUrlFor: (db) => `mongodb://127.0.0.1:37017/${db}` },
      { PATH: '/bin' },
    );
    expect(env).toMatchObject({
      PATH: '/bin',
      PORT: '4101',
      OTEL_SERVICE_NAME: 'pickup',
      KAFKA_BROKERS: '127.0.0.1:19092',
      MONGO_URL: 'mongodb://127.0.0.1:37017/pickup',
      JWT_SECRET: 'local-dev-secret-change-me',
      SELLER_KEY_SECRET: LOCAL_SELLER_KEY_SECRET,
      PORTAL_URL: 'http://127.0.0.1:4100',
      STATISTICS_URL: 'http://127.0.0.1:4105',
    });
  });

  it('keeps a JWT secret from the environment', () => {
    const env = serviceEnv(
      { name: 'sorting', port: 4102 },
      all,
      { kafkaBrokers: 'b', mongoUrlFor: (db) => db },
      { JWT_SECRET: 'mine' },
    );
    expect(env.JWT_SECRET).toBe('mine');
  });
});

describe('docker-compose.yml', () => {
  // Parsing a checked-in file (no Docker here): the compose file and the local runner agree.
  const file = path.join(__dirname, '..', '..', '..', 'docker-compose.yml');
  const compose = YAML.parse(fs.readFileSync(file, 'utf8'), { merge: true }) as {
    services: Record<string, { image?: string; ports?: string[]; environment?: Record<string, unknown> }>;
  };

  it('runs Kafka 3.9 in KRaft mode and MongoDB 8 as a replica set', () => {
    expect(compose.services.kafka?.image).toMatch(/^apache\/kafka:3\.9\./);
    expect(compose.services.kafka?.environment?.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(compose.services.mongo?.image).toBe('mongo:8');
  });

  it.each(Object.entries(SERVICE_PORTS))('publishes %s on port %i with its own database', (name, port) => {
    const svc = compose.services[name];
    expect(svc?.ports).toEqual([`127.0.0.1:${port}:${port}`]);
    expect(svc?.environment?.PORT).toBe(port);
    expect(svc?.environment?.MONGO_URL).toBe(`mongodb://mongo:27017/${name}?replicaSet=rs0`);
    expect(svc?.environment?.KAFKA_BROKERS).toBe('kafka:9092');
    expect(svc?.environment?.JWT_SECRET).toBe(`\${JWT_SECRET:-${LOCAL_JWT_SECRET}}`);
    expect(svc?.environment?.SELLER_KEY_SECRET).toBe(`\${SELLER_KEY_SECRET:-${LOCAL_SELLER_KEY_SECRET}}`);
  });
});
