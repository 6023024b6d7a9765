import { z } from 'zod';
import {
  ConfigError,
  LOCAL_DEV_JWT_SECRET,
  baseServiceConfig,
  exitOnConfigError,
  formatConfigIssue,
  loadConfig,
  tokenVerifierFromConfig,
} from '../src';

const validEnv = {
  PORT: '8081',
  KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9093',
  MONGO_URL: 'mongodb://127.0.0.1:27017/pickup',
  JWT_SECRET: LOCAL_DEV_JWT_SECRET,
};

describe('loadConfig', () => {
  it('parses and applies defaults', () => {
    const config = loadConfig(baseServiceConfig, validEnv);
    expect(config).toMatchObject({
      PORT: 8081,
      KAFKA_BROKERS: ['127.0.0.1:9092', '127.0.0.1:9093'],
      MONGO_URL: 'mongodb://127.0.0.1:27017/pickup',
      LOG_LEVEL: 'info',
      BODY_LIMIT: '256kb',
      SHUTDOWN_TIMEOUT_MS: 10000,
    });
  });

  it('lists every missing or bad variable once, with what is expected, never the value', () => {
    let error: unknown;
    try {
      loadConfig(baseServiceConfig, {
        PORT: 'eighty',
        KAFKA_BROKERS: 'nohostport',
        LOG_LEVEL: 'loud',
        JWT_SECRET: 'hunter2',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as ConfigError).lines();
    expect(lines).toHaveLength(5);
    const byVar = Object.fromEntries((error as ConfigError).issues.map((i) => [i.variable, i]));
    expect(byVar.MONGO_URL?.problem).toBe('missing');
    expect(byVar.PORT?.problem).not.toBe('missing');
    expect(byVar.KAFKA_BROKERS?.problem).toContain('host:port');
    expect(lines.find((l) => l.startsWith('config: MONGO_URL'))).toBe(
      'config: MONGO_URL is missing; expected the MongoDB (or FerretDB) connection string, mongodb://host:port/database',
    );
    expect(lines.find((l) => l.startsWith('config: PORT'))).toMatch(
      /^config: PORT is invalid \(.+\); expected the HTTP port, an integer 1-65535$/,
    );
    expect(lines.find((l) => l.startsWith('config: JWT_SECRET'))).toContain('at least 16 characters');
    expect(lines.join('\n')).not.toContain('hunter2');
  });

  it('treats empty strings as unset and extends with service variables', () => {
    const Config = baseServiceConfig.extend({
      SLOTS_PER_DAY: z.coerce.number().int().positive().describe('a positive integer'),
    });
    expect(() => loadConfig(Config, { ...validEnv, SLOTS_PER_DAY: '' })).toThrow(
      /SLOTS_PER_DAY is missing; expected a positive integer/,
    );
    expect(loadConfig(Config, { ...validEnv, SLOTS_PER_DAY: '12' }).SLOTS_PER_DAY).toBe(12);
  });

  it('exitOnConfigError prints the lines and exits 1', () => {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const exit = jest.fn() as unknown as (code: number) => never;
    const err = new ConfigError([{ variable: 'PORT', problem: 'missing', expected: 'a port' }]);
    exitOnConfigError(err, exit);
    expect(exit).toHaveBeenCalledWith(1);
    expect(write).toHaveBeenCalledWith('config: PORT is missing; expected a port\n');
    write.mockRestore();
    expect(() => exitOnConfigError(new Error('other'), exit)).toThrow('other');
  });

  it('formats an issue on one line', () => {
    expect(formatConfigIssue({ variable: 'X', problem: 'too short', expected: 'a name' })).toBe(
      'config: X is invalid (too short); expected a name',
    );
  });
});

describe('tokenVerifierFromConfig', () => {
  it('needs a key', () => {
    expect(() => tokenVerifierFromConfig({})).toThrow(ConfigError);
  });

  it('refuses the local development secret in production', () => {
    expect(() =>
      tokenVerifierFromConfig({ JWT_SECRET: LOCAL_DEV_JWT_SECRET }, { NODE_ENV: 'production' }),
    ).toThrow(/JWT_SECRET/);
    expect(() => tokenVerifierFromConfig({ JWT_SECRET: LOCAL_DEV_JWT_SECRET }, {})).not.toThrow();
  });
});
