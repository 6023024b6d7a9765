// Configuration from the environment, validated once at start-up. A bad or missing variable stops
// the service with one line per variable — its name, what is wrong, what is expected — never its
// value (it may be a secret).
import { z } from 'zod';
import { LOG_LEVELS } from '@recycling/observability';

export interface ConfigIssue {
  variable: string;
  /** 'missing' or what is wrong with the value. */
  problem: string;
  /** What the variable should hold. */
  expected: string;
}

export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    super(`Invalid configuration:\n${issues.map(formatConfigIssue).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }

  /** One line per variable, for stderr. */
  lines(): string[] {
    return this.issues.map(formatConfigIssue);
  }
}

export function formatConfigIssue(issue: ConfigIssue): string {
  return `config: ${issue.variable} is ${issue.problem === 'missing' ? 'missing' : `invalid (${issue.problem})`}; expected ${issue.expected}`;
}

/**
 * Parses `env` with the schema (a z.object of variable names); throws a ConfigError listing every
 * missing or invalid variable. What a variable should hold is its schema's `.describe()` text.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.output<S> {
  // Empty strings count as unset, as they do in most shells' `VAR= cmd`.
  const input = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const byVariable = new Map<string, ConfigIssue>();
  for (const issue of result.error.issues) {
    const variable = String(issue.path[0] ?? '(config)');
    if (byVariable.has(variable)) continue;
    const field = schema.shape[variable] as z.ZodType | undefined;
    const missing = input[variable] === undefined && issue.code === 'invalid_type';
    byVariable.set(variable, {
      variable,
      problem: missing ? 'missing' : issue.message,
      expected: field?.description ?? issue.message,
    });
  }
  throw new ConfigError([...byVariable.values()]);
}

/** Prints a ConfigError's lines to stderr and exits 1; rethrows anything else. For main.ts. */
export function exitOnConfigError(err: unknown, exit: (code: number) => never = process.exit): never {
  if (err instanceof ConfigError) {
    for (const line of err.lines()) process.stderr.write(`${line}\n`);
    return exit(1);
  }
  throw err;
}

// ---- Common pieces ---------------------------------------------------------------------------

const port = z.coerce.number().int().min(1).max(65535);

export const httpConfig = z.object({
  PORT: port.describe('the HTTP port, an integer 1-65535'),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'a size like 256kb')
    .default('256kb')
    .describe('the largest JSON body accepted, e.g. 256kb or 1mb (default 256kb)'),
  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(10_000)
    .describe('milliseconds a graceful shutdown may take before the process is forced out (default 10000)'),
  TRUST_PROXY: z
    .string()
    .optional()
    .describe("express' trust proxy setting: 'loopback', a hop count or a list of addresses (optional)"),
  MAX_IN_FLIGHT: z.coerce
    .number()
    .int()
    .min(0)
    .default(64)
    .describe('requests in flight past which the service answers 503 busy at once; 0: no bound (default 64)'),
});

export const logConfig = z.object({
  LOG_LEVEL: z
    .enum(LOG_LEVELS)
    .default('info')
    .describe(`one of ${LOG_LEVELS.join(', ')} (default info)`),
});

export const kafkaConfig = z.object({
  KAFKA_BROKERS: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^[^\s:]+:\d+$/, 'host:port')).min(1))
    .describe('comma-separated Kafka brokers as host:port, e.g. 127.0.0.1:9092'),
  KAFKA_CLIENT_ID: z.string().optional().describe('the Kafka client id (optional; default the service name)'),
  TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and -')
    .optional()
    .describe('deployment prefix of every topic name, so several networks share one cluster (optional)'),
});

export const mongoConfig = z.object({
  MONGO_URL: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'a mongodb:// URL')
    .describe('the MongoDB (or FerretDB) connection string, mongodb://host:port/database'),
});

const jwtAlg = z.enum(['RS256', 'PS256', 'ES256', 'EdDSA']);

/**
 * JWT verification: JWT_SECRET (HS256, local) or JWT_PUBLIC_KEY / JWT_JWKS_URL (production). Which
 * one must be set is checked when the verifier is built (tokenVerifierFromConfig), so this object
 * stays extendable.
 */
export const authConfig = z.object({
  JWT_SECRET: z
    .string()
    .min(16, 'at least 16 characters')
    .optional()
    .describe(`the HS256 shared secret, at least 16 characters (local: the documented dev secret)`),
  JWT_PUBLIC_KEY: z
    .string()
    .includes('BEGIN PUBLIC KEY', { message: 'a PEM public key' })
    .optional()
    .describe('a PEM (SPKI) public key that verifies tokens'),
  JWT_PUBLIC_KEY_ALG: jwtAlg
    .optional()
    .describe(`the algorithm of JWT_PUBLIC_KEY: ${jwtAlg.options.join(', ')}`),
  JWT_JWKS_URL: z.url().optional().describe("the identity provider's JWKS URL"),
  JWT_ISSUER: z.string().optional().describe('the required iss claim (optional)'),
  JWT_AUDIENCE: z.string().optional().describe('the required aud claim (optional)'),
});

export const sellerKeyConfig = z.object({
  SELLER_KEY_SECRET: z
    .string()
    .min(16, 'at least 16 characters')
    .describe('the HMAC secret that turns an id-document number into the seller key, at least 16 characters'),
});

export const cityProfileConfig = z.object({
  CITY_PROFILE: z.string().optional().describe('path of the city profile file (optional)'),
});

/**
 * What every service reads: PORT, BODY_LIMIT, SHUTDOWN_TIMEOUT_MS, LOG_LEVEL, KAFKA_BROKERS,
 * MONGO_URL, the JWT settings, SELLER_KEY_SECRET (optional here; services that compute seller keys
 * extend with sellerKeyConfig.shape to require it) and CITY_PROFILE. Extend it with a service's own:
 *   const Config = baseServiceConfig.extend({ PICKUP_SLOTS_PER_DAY: z.coerce.number().int() });
 */
export const baseServiceConfig = z.object({
  ...httpConfig.shape,
  ...logConfig.shape,
  ...kafkaConfig.shape,
  ...mongoConfig.shape,
  ...authConfig.shape,
  SELLER_KEY_SECRET: z
    .string()
    .min(16, 'at least 16 characters')
    .optional()
    .describe('the HMAC secret of seller keys, at least 16 characters (required where seller keys are made)'),
  ...cityProfileConfig.shape,
});
export type BaseServiceConfig = z.output<typeof baseServiceConfig>;
