// The portal's HTTP server: its own small API (local sign-in, reference data, OpenAPI), the proxy to
// the five services, and the built web app. It holds no data of its own.
import fs from 'node:fs';
import path from 'node:path';
import compression from 'compression';
import type { Express } from 'express';
import { loadCityProfile, alarProfile, type CityProfile } from '@recycling/contracts';
import type { Logger } from '@recycling/observability';
import { createApp, mountEndpoints, serviceEndpoints, type Endpoint } from '@recycling/service-kit';
import { serviceUrls, type PortalConfig } from './config';
import { portalEndpoints } from './http/endpoints';
import { webAppRoutes } from './http/web-app';
import { portalReference } from './reference';

export interface Portal {
  app: Express;
  profile: CityProfile;
  endpoints: Endpoint[];
  document: () => unknown;
}

export function buildPortal(
  config: PortalConfig,
  logger: Logger,
  isShuttingDown: () => boolean = () => false,
): Portal {
  const profile = config.CITY_PROFILE ? loadCityProfile(config.CITY_PROFILE) : alarProfile;
  const reference = portalReference(profile);
  const { endpoints, document } = serviceEndpoints(
    {
      title: { zh: '回收网络门户', en: 'Recycling network portal' },
      description: {
        zh: '门户自身的接口；其余 GET 路径为网页，各服务接口在 /api/<service>/ 之下',
        en: 'The web portal’s own endpoints; every other GET path is a page; the services’ APIs are under /api/<service>/',
      },
      endpoints: () =>
        portalEndpoints({
          devToken: { production: config.NODE_ENV === 'production', secret: config.JWT_SECRET },
          proxy: { urls: serviceUrls(config), timeoutMs: config.PROXY_TIMEOUT_MS },
          reference,
        }),
    },
    undefined,
    profile,
  );
  const app = createApp({
    logger,
    bodyLimit: config.BODY_LIMIT,
    isShuttingDown,
    trustProxy: config.TRUST_PROXY,
    readiness: [
      {
        name: 'web-app',
        check: async () => {
          if (!fs.existsSync(path.join(config.WEB_DIST, 'index.html'))) throw new Error('web app not built');
        },
      },
    ],
    routes: (router) => {
      // The services' answers and the page itself, compressed on the way (assets come precompressed).
      router.use(compression());
      mountEndpoints(router, endpoints);
      webAppRoutes(router, config.WEB_DIST);
    },
  });
  return { app, profile, endpoints, document };
}
