import { alarProfile, cityProfileFor } from '@recycling/contracts';
import { ConfigError, loadConfig } from '@recycling/service-kit';
import { DismantlingConfig } from '../src/config';

const env = {
  KAFKA_BROKERS: '127.0.0.1:19092',
  MONGO_URL: 'mongodb://127.0.0.1:37017/dismantling',
  JWT_SECRET: 'local-dev-secret-change-me',
  SELLER_KEY_SECRET: 'a-secret-of-at-least-16-bytes',
};

it('defaults to port 4103, no topic prefix and the Alar profile', () => {
  const config = loadConfig(DismantlingConfig, env);
  expect(config.PORT).toBe(4103);
  expect(config.TOPIC_PREFIX).toBeUndefined();
  expect(config.VEHICLE_TAX_CATEGORY_CODE).toMatch(/^\d{19}$/);
  expect(cityProfileFor(config.CITY_PROFILE)).toBe(alarProfile);
});

it('needs the seller-key secret, because intakes make seller keys, and a plain topic prefix', () => {
  const { SELLER_KEY_SECRET: _omitted, ...rest } = env;
  const error = (() => {
    try {
      loadConfig(DismantlingConfig, { ...rest, TOPIC_PREFIX: 'a.b' });
    } catch (thrown) {
      return thrown;
    }
    return undefined;
  })();
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).issues.map((i) => i.variable).sort()).toEqual([
    'SELLER_KEY_SECRET',
    'TOPIC_PREFIX',
  ]);
});
