// The portal's configuration: where the five services answer, where the built web app lives, and the
// secret of the local sign-in (only outside production).
import path from 'node:path';
import { z } from 'zod';
import { cityProfileConfig, httpConfig, LOCAL_DEV_JWT_SECRET, logConfig } from '@recycling/service-kit';

const url = (port: number, name: string) =>
  z
    .url()
    .default(`http://127.0.0.1:${port}`)
    .describe(`base URL of the ${name} service (default http://127.0.0.1:${port})`);

export const PortalConfig = z.object({
  ...httpConfig.shape,
  PORT: httpConfig.shape.PORT.default(4100),
  ...logConfig.shape,
  ...cityProfileConfig.shape,
  NODE_ENV: z.string().default('development').describe('production disables the local sign-in'),
  PICKUP_URL: url(4101, 'pickup'),
  SORTING_URL: url(4102, 'sorting'),
  DISMANTLING_URL: url(4103, 'dismantling'),
  INVOICING_URL: url(4104, 'invoicing'),
  STATISTICS_URL: url(4105, 'statistics'),
  DISPOSALS_URL: url(4107, 'public institutions’ disposals'),
  REMANUFACTURING_URL: url(4108, 'remanufacturing'),
  SUBSIDIES_URL: z
    .url()
    .optional()
    .describe('base URL of the trade-in subsidies service, when the city runs one (none: not offered)'),
  JWT_SECRET: z
    .string()
    .min(16)
    .default(LOCAL_DEV_JWT_SECRET)
    .describe('HS256 secret the local sign-in signs with; must equal the services’ JWT_SECRET'),
  WEB_DIST: z
    .string()
    .default(path.resolve(__dirname, '..', 'dist'))
    .describe('folder of the built web app (default services/portal/dist)'),
  WEB_BUILD: z
    .enum(['auto', 'never'])
    .default('auto')
    .describe(
      'auto: build the web app at start when dist is missing or older than web/; never: serve dist as is',
    ),
  PROXY_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(15000)
    .describe('time limit of a proxied call'),
});
export type PortalConfig = z.output<typeof PortalConfig>;

export const SERVICE_NAMES = ['pickup', 'sorting', 'dismantling', 'invoicing', 'statistics'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
/** Services a city may or may not run: the proxy knows them only when their URL is set. */
export const OPTIONAL_SERVICE_NAMES = ['subsidies'] as const;
export type OptionalServiceName = (typeof OPTIONAL_SERVICE_NAMES)[number];
/** The channels of plan section 5 (public institutions' disposals, remanufacturing): proxied at their default URLs. */
export const CHANNEL_SERVICE_NAMES = ['disposals', 'remanufacturing'] as const;
export type ChannelServiceName = (typeof CHANNEL_SERVICE_NAMES)[number];
export type ProxiedService = ServiceName | ChannelServiceName | OptionalServiceName;

export const serviceUrls = (config: PortalConfig): Partial<Record<ProxiedService, string>> => ({
  pickup: config.PICKUP_URL,
  sorting: config.SORTING_URL,
  dismantling: config.DISMANTLING_URL,
  invoicing: config.INVOICING_URL,
  statistics: config.STATISTICS_URL,
  disposals: config.DISPOSALS_URL,
  remanufacturing: config.REMANUFACTURING_URL,
  ...(config.SUBSIDIES_URL ? { subsidies: config.SUBSIDIES_URL } : {}),
});
