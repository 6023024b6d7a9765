// One service definition: what a service keeps, what it consumes, what it serves. The kit does the
// rest the same way for every service: configuration from the environment, the store connection,
// messaging (topics, producer, outbox relay, consumer groups, locks), the HTTP app with its routes
// and OpenAPI document, readiness, and a shutdown that loses nothing. A service's main.ts is
// `runServiceMain(definition)`; its tests call `startService(definition, …)` in-process.
import { cityProfileFor, type CityProfile } from '@recycling/contracts';
import {
  startMessaging,
  type ConsumerSpec,
  type Messaging,
  type ShutdownRegistrar,
} from '@recycling/messaging';
import { createLogger, type Logger } from '@recycling/observability';
import type { Express } from 'express';
import type { Connection, Model } from 'mongoose';
import { z } from 'zod';
import { createApp } from './app';
import { tokenVerifierFromConfig } from './auth';
import { loadConfig, type BaseServiceConfig } from './config';
import { endpoint, type Bilingual, type Endpoint } from './endpoint';
import { mountEndpoints } from './endpoint-router';
import { openApiDocument } from './openapi';
import { kafkaReadiness, mongoReadiness, type ReadinessCheck } from './readiness';
import { listen, runService } from './shutdown';
import { connectStore } from './store';

/** What the kit has opened when it asks the service for its store and context. */
export interface ServiceResources<C> {
  config: C;
  profile: CityProfile;
  logger: Logger;
  connection: Connection;
  now: () => Date;
}

/** What use cases may use of messaging: event factory, outbox relay, locks. */
export type MessagingPort = Pick<Messaging, 'events' | 'relay' | 'locks' | 'publisher'>;

/** Work that runs beside the consumers (a scheduler, generations of consumers); stopped first. */
export interface BackgroundWork {
  name: string;
  stop(): Promise<void>;
}

export interface ServiceDefinition<
  C extends BaseServiceConfig = BaseServiceConfig,
  S = unknown,
  X = unknown,
> {
  /** Short name: consumer groups, event sources, logs (`pickup`). */
  name: string;
  title: Bilingual;
  description?: Bilingual;
  version?: string;
  /** The service's settings: `baseServiceConfig.extend({...})`. */
  config: z.ZodType<C> & z.ZodObject;
  /** Opens what the service keeps (models, indexes, stores); runs before messaging starts. */
  store(resources: ServiceResources<C>): Promise<S> | S;
  /** The models whose documents carry an outbox, which the relay publishes from. */
  outbox?(store: S): Array<Model<never>>;
  /** The use cases' context: the store's repositories and the messaging port. */
  context(resources: ServiceResources<C> & { store: S; messaging: MessagingPort }): Promise<X> | X;
  /** The consumer groups; they start once the context exists. */
  consumers?(ctx: X): ConsumerSpec[];
  /**
   * The HTTP endpoints. Declarations may read `profile` (district lists in schemas); handlers use
   * `ctx`, which must not be touched while declaring: the OpenAPI document is also made without a
   * store, with a context that refuses every use.
   */
  endpoints(ctx: X, profile: CityProfile): Endpoint[];
  /** Started after the consumers; stopped before them. */
  background?(ctx: X, resources: ServiceResources<C>): Promise<BackgroundWork[]> | BackgroundWork[];
  /** Checks beside the store's and the broker's. */
  readiness?(ctx: X): ReadinessCheck[];
}

/** Declares a service (types only: the kit starts it). */
export const defineService = <C extends BaseServiceConfig, S, X>(
  definition: ServiceDefinition<C, S, X>,
): ServiceDefinition<C, S, X> => definition;

export interface RunningService<X, C = BaseServiceConfig> {
  app: Express;
  ctx: X;
  config: C;
  messaging: Messaging;
  connection: Connection;
  endpoints: Endpoint[];
  /** Stops background work, consumers, relay and producer, then closes the store. Idempotent. */
  stop(): Promise<void>;
}

export interface StartOptions<C> {
  /** Parsed settings; default `loadConfig(definition.config, env)`. */
  config?: C;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  shutdown?: ShutdownRegistrar & { isShuttingDown?: () => boolean };
  now?: () => Date;
  /** Partition count of topics the service creates (tests use 1). */
  partitions?: number;
}

const DEFAULT_VERSION = '0.1.0';

/** The `/openapi.json` endpoint: public (decision 13: the contract is no secret; the data is). */
function documentEndpoint(document: () => unknown): Endpoint {
  return endpoint({
    method: 'get',
    path: '/openapi.json',
    operationId: 'openApiDocument',
    summary: { zh: '本服务的接口文档（OpenAPI 3.1）', en: 'This API as OpenAPI 3.1' },
    roles: 'public',
    responses: {
      200: {
        description: 'OpenAPI 3.1 文档 / document',
        schema: z
          .object({
            openapi: z.literal('3.1.0'),
            info: z.object({ title: z.string(), version: z.string() }).loose(),
            paths: z.record(z.string(), z.unknown()),
          })
          .loose()
          .meta({ id: 'OpenApiDocument' }),
      },
    },
    handler: async () => document(),
  });
}

/** Every endpoint of the service, the document's own included, and the document. */
export function serviceEndpoints<X>(
  definition: Pick<ServiceDefinition<never, never, X>, 'endpoints' | 'title' | 'description' | 'version'>,
  ctx: X,
  profile: CityProfile,
): { endpoints: Endpoint[]; document: () => unknown } {
  let document: unknown;
  const documentOf = (): unknown =>
    (document ??= openApiDocument(endpoints, {
      title: definition.title,
      description: definition.description,
      version: definition.version ?? DEFAULT_VERSION,
    }));
  const endpoints: Endpoint[] = [...definition.endpoints(ctx, profile), documentEndpoint(documentOf)];
  return { endpoints, document: documentOf };
}

/** A context for declaring endpoints without a store: any use of it is a bug in a declaration. */
export function unusableContext<X>(service: string): X {
  return new Proxy(
    {},
    {
      get(_target, property) {
        if (property === 'then') return undefined; // not a promise
        throw new Error(
          `${service}: an endpoint declaration read ctx.${String(property)}; read ctx only in handlers`,
        );
      },
    },
  ) as X;
}

/** The service's endpoints and OpenAPI document as declared, without a store or a broker. */
export function describeService<C extends BaseServiceConfig, S, X>(
  definition: ServiceDefinition<C, S, X>,
  profile: CityProfile = cityProfileFor(undefined),
) {
  return serviceEndpoints(definition, unusableContext<X>(definition.name), profile);
}

/** Starts the service in this process: store, messaging, consumers, background work, the app. */
export async function startService<C extends BaseServiceConfig, S, X>(
  definition: ServiceDefinition<C, S, X>,
  options: StartOptions<C> = {},
): Promise<RunningService<X, C>> {
  const config = options.config ?? loadConfig(definition.config, options.env);
  const logger = options.logger ?? createLogger({ service: definition.name, level: config.LOG_LEVEL });
  const profile = cityProfileFor(config.CITY_PROFILE);
  const verifier = tokenVerifierFromConfig(config);
  const connection = await connectStore(config.MONGO_URL);
  const resources: ServiceResources<C> = {
    config,
    profile,
    logger,
    connection,
    now: options.now ?? (() => new Date()),
  };

  let ctx!: X;
  let messaging: Messaging;
  let background: BackgroundWork[] = [];
  // Background work (e.g. consumers of their own) stops before messaging, whose producer it uses.
  options.shutdown?.onShutdown(`stop ${definition.name} background work`, () => stopAll(background));
  try {
    const store = await definition.store(resources);
    messaging = await startMessaging({
      service: definition.name,
      cityCode: profile.code,
      brokers: config.KAFKA_BROKERS,
      clientId: config.KAFKA_CLIENT_ID,
      connection,
      logger,
      topicPrefix: config.TOPIC_PREFIX,
      outboxModels: definition.outbox?.(store) ?? [],
      partitions: options.partitions,
      shutdown: options.shutdown,
      consumers: async (port) => {
        ctx = await definition.context({ ...resources, store, messaging: port });
        return definition.consumers?.(ctx) ?? [];
      },
    });
    background = (await definition.background?.(ctx, resources)) ?? [];
  } catch (error) {
    await stopAll(background);
    await connection.close().catch(() => undefined);
    throw error;
  }
  options.shutdown?.onShutdown('close the store', () => connection.close());

  const { endpoints } = serviceEndpoints(definition, ctx, profile);
  const app = createApp({
    logger,
    // Authentication is per endpoint (mountEndpoints): the document is public, the rest is not.
    bodyLimit: config.BODY_LIMIT,
    trustProxy: config.TRUST_PROXY,
    maxInFlight: config.MAX_IN_FLIGHT,
    isShuttingDown: options.shutdown?.isShuttingDown,
    readiness: [
      mongoReadiness(connection),
      kafkaReadiness(messaging.admin),
      ...(definition.readiness?.(ctx) ?? []),
    ],
    routes: (router) => mountEndpoints(router, endpoints, { verifier, connection, now: resources.now }),
  });

  let stopped: Promise<void> | undefined;
  return {
    app,
    ctx,
    config,
    messaging,
    connection,
    endpoints,
    stop: () =>
      (stopped ??= (async () => {
        await stopAll(background);
        await messaging.stop();
        await connection.close();
      })()),
  };
}

async function stopAll(work: readonly BackgroundWork[]): Promise<void> {
  for (const w of [...work].reverse()) await w.stop();
}

/** A service's whole main.ts: settings, telemetry-aware logger, start, listen, graceful shutdown. */
export function runServiceMain<C extends BaseServiceConfig, S, X>(
  definition: ServiceDefinition<C, S, X>,
): void {
  const logger = createLogger({ service: definition.name });
  void runService({
    name: definition.name,
    logger,
    start: async (shutdown) => {
      const config = loadConfig(definition.config);
      logger.level = config.LOG_LEVEL;
      shutdown.setTimeoutMs(config.SHUTDOWN_TIMEOUT_MS);
      const service = await startService(definition, { config, logger, shutdown });
      return { server: await listen(service.app, config.PORT) };
    },
  });
}
