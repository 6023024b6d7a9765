// The recycling network for browser tests: the real services started in-process (each on its own
// database, all on one topic prefix so they hear each other), listening on free ports, and the
// portal in front of them. Services are found by the layout every service follows (src/service.ts
// exports its service definition, which the kit starts), so this harness does not depend on any one
// service's internals.
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { RequestListener } from 'node:http';
import { createLogger } from '@recycling/observability';
import {
  LOCAL_DEV_JWT_SECRET,
  listen,
  loadConfig,
  mintToken,
  startService,
  type Role,
  type ServiceDefinition,
} from '@recycling/service-kit';
import { uniqueName, uniqueTopicPrefix } from '@recycling/testkit';
import { PortalConfig, SERVICE_NAMES, type ProxiedService } from '../../src/config';
import { buildPortal } from '../../src/server';
import { ensureWebBuild, WEB_DIR } from '../../src/web-build';

const SERVICES_DIR = path.resolve(__dirname, '..', '..', '..');
export const SELLER_KEY_SECRET = 'portal-e2e-seller-key-secret-0123456789';

interface RunningService {
  app: RequestListener;
  stop(): Promise<void>;
}

/** The service definition a service's src/service.ts exports (`defineService`). */
const definitionIn = (module: Record<string, unknown>): ServiceDefinition =>
  Object.values(module).find(
    (v): v is ServiceDefinition =>
      typeof v === 'object' && v !== null && 'endpoints' in v && 'context' in v && 'config' in v,
  )!;

/** A service the harness can start: the five of the network, the two channels, the subsidies. */
export type ServiceName = ProxiedService;

/** True when the service's code is there to start. */
export const serviceExists = (name: ServiceName): boolean =>
  fs.existsSync(path.join(SERVICES_DIR, name, 'src', 'service.ts'));

export interface Network {
  prefix: string;
  portalUrl: string;
  started: ServiceName[];
  urls: Partial<Record<ServiceName, string>>;
  /** Calls a service directly as a role (set-up an administrator would do by hand). */
  call(
    service: ServiceName,
    method: string,
    path: string,
    role: Role,
    body?: unknown,
    scope?: string,
  ): Promise<Response>;
  stop(): Promise<void>;
}

async function listenOnFreePort(app: RequestListener): Promise<{ server: Server; url: string }> {
  const server = await listen(app, 0, '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}

const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

export async function startNetwork(
  name: string,
  wanted: readonly ServiceName[] = SERVICE_NAMES,
): Promise<Network> {
  const prefix = uniqueTopicPrefix(`portal${name}`);
  const logger = createLogger({ service: 'portal-e2e', level: process.env.E2E_LOG_LEVEL ?? 'silent' });
  const running: Array<{ name: ServiceName; service: RunningService; server: Server }> = [];
  const urls: Partial<Record<ServiceName, string>> = {};
  const stopAll = async () => {
    for (const r of running.reverse()) {
      await closeServer(r.server);
      await r.service.stop();
    }
  };

  try {
    for (const service of wanted.filter(serviceExists)) {
      const dbUrl = new URL(process.env.MONGO_URL!);
      dbUrl.pathname = `/${uniqueName(`t-portal-${service}`).replace(/[^a-zA-Z0-9_-]/g, '_')}`;
      const definition = definitionIn(
        (await import(path.join(SERVICES_DIR, service, 'src', 'service.ts'))) as Record<string, unknown>,
      );
      const config = loadConfig(definition.config, {
        PORT: '4100',
        KAFKA_BROKERS: process.env.KAFKA_BROKERS,
        MONGO_URL: dbUrl.toString(),
        JWT_SECRET: LOCAL_DEV_JWT_SECRET,
        SELLER_KEY_SECRET,
        TOPIC_PREFIX: prefix,
        LOG_LEVEL: 'silent',
        GENERATION_SYNC_MS: '1000',
        FEED_SETTLE_MS: '200',
        DECLARATION_SCHEDULE_MS: '0',
      });
      const built = await startService(definition, { config, logger: logger.child({ service }) });
      const { server, url } = await listenOnFreePort(built.app);
      running.push({ name: service, service: built, server });
      urls[service] = url;
    }

    const portalConfig = loadConfig(PortalConfig, {
      PORT: '4100',
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      // A service that is not there answers 502 through the portal, which the pages show.
      PICKUP_URL: urls.pickup ?? 'http://127.0.0.1:9',
      SORTING_URL: urls.sorting ?? 'http://127.0.0.1:9',
      DISMANTLING_URL: urls.dismantling ?? 'http://127.0.0.1:9',
      INVOICING_URL: urls.invoicing ?? 'http://127.0.0.1:9',
      STATISTICS_URL: urls.statistics ?? 'http://127.0.0.1:9',
      DISPOSALS_URL: urls.disposals ?? 'http://127.0.0.1:9',
      REMANUFACTURING_URL: urls.remanufacturing ?? 'http://127.0.0.1:9',
      // The subsidies service is offered only where it runs (the resident's money tab asks the proxy).
      ...(urls.subsidies ? { SUBSIDIES_URL: urls.subsidies } : {}),
    });
    await ensureWebBuild(WEB_DIR, portalConfig.WEB_DIST);
    const portal = buildPortal(portalConfig, logger.child({ service: 'portal' }));
    const { server: portalServer, url: portalUrl } = await listenOnFreePort(portal.app);

    return {
      prefix,
      portalUrl,
      started: running.map((r) => r.name),
      urls,
      call: async (service, method, p, role, body, scope) => {
        const base = urls[service];
        if (!base) throw new Error(`${service} is not running`);
        const token = await mintToken({ role, sub: `${role}-e2e`, scope });
        return fetch(`${base}${p}`, {
          method,
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      },
      stop: async () => {
        await closeServer(portalServer);
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
