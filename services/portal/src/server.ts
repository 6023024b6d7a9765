// The portal's HTTP server: its own small API (local sign-in, reference data, OpenAPI), the proxy to
// the five services, and the built web app. It holds no data of its own.
import fs from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import { loadCityProfile, alarProfile, type CityProfile } from '@recycling/contracts';
import type { Logger } from '@recycling/observability';
import { createApp } from '@recycling/service-kit';
import { serviceUrls, type PortalConfig } from './config';
import { devTokenRoute } from './http/dev-token';
import { openApiDocument } from './http/openapi';
import { proxyRoute } from './http/proxy';
import { webAppRoutes } from './http/web-app';
import { portalReference } from './reference';

export interface Portal {
  app: Express;
  profile: CityProfile;
}

export function buildPortal(
  config: PortalConfig,
  logger: Logger,
  isShuttingDown: () => boolean = () => false,
): Portal {
  const profile = config.CITY_PROFILE ? loadCityProfile(config.CITY_PROFILE) : alarProfile;
  const reference = portalReference(profile);
  const document = openApiDocument();
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
      router.get('/openapi.json', (_req, res) => {
        res.json(document);
      });
      router.get('/api/portal/reference', (_req, res) => {
        res.setHeader('Cache-Control', 'public, max-age=300');
        res.json(reference);
      });
      devTokenRoute(router, { production: config.NODE_ENV === 'production', secret: config.JWT_SECRET });
      proxyRoute(router, { urls: serviceUrls(config), timeoutMs: config.PROXY_TIMEOUT_MS });
      webAppRoutes(router, config.WEB_DIST);
    },
  });
  return { app, profile };
}
