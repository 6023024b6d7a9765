// The portal's own routes against its OpenAPI document, and the rules of the local sign-in and of
// the proxy's path mapping (no sockets: the express app is inspected, not served).
import type { Express } from 'express';
import { createDocument } from 'zod-openapi';
import { createLogger } from '@recycling/observability';
import { loadConfig } from '@recycling/service-kit';
import { PortalConfig, SERVICE_NAMES } from '../src/config';
import { openApiDocument, openApiPathOf, portalPaths } from '../src/http/openapi';
import { upstreamUrl } from '../src/http/proxy';
import { DevTokenRequest } from '../src/http/schemas';
import { buildPortal } from '../src/server';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every (method, path) registered on the app, nested routers included. */
function registeredRoutes(app: Express): Array<{ method: string; path: string }> {
  const found: Array<{ method: string; path: string }> = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route && typeof layer.route.path === 'string') {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on) found.push({ method, path: layer.route.path });
        }
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return found;
}

const config = loadConfig(PortalConfig, { NODE_ENV: 'test' });
const { app } = buildPortal(config, createLogger({ service: 'portal-test', level: 'silent' }));
const doc = openApiDocument();

describe('the OpenAPI document', () => {
  it('lists every API route the portal serves (pages and probes aside)', () => {
    const api = registeredRoutes(app).filter((r) => r.path.startsWith('/api/') || r.path === '/openapi.json');
    expect(api.length).toBeGreaterThanOrEqual(4);
    for (const r of api) {
      const documented = doc.paths?.[openApiPathOf(r.path)];
      expect({ route: `${r.method} ${r.path}`, documented: documented !== undefined }).toEqual({
        route: `${r.method} ${r.path}`,
        documented: true,
      });
      if (r.method !== '_all') {
        expect(Object.keys(documented ?? {})).toContain(r.method);
      }
    }
  });

  it('describes the sign-in body with the schema the route validates with', () => {
    const body = doc.paths?.['/api/portal/dev-token']?.post?.requestBody;
    expect(body).toBeDefined();
    const alone = createDocument({
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: {
        '/x': {
          post: {
            requestBody: { content: { 'application/json': { schema: DevTokenRequest } } },
            responses: { '201': { description: 'minted' } },
          },
        },
      },
    });
    expect(doc.components?.schemas?.DevTokenRequest).toEqual(alone.components?.schemas?.DevTokenRequest);
    expect(doc.components?.schemas?.DevTokenRequest).toMatchObject({
      required: expect.arrayContaining(['role', 'sub']),
    });
    expect(Object.keys(portalPaths)).toContain('/api/{service}/{path}');
  });
});

describe('local sign-in requests', () => {
  const parse = (b: unknown) => DevTokenRequest.safeParse(b);
  it('need a site for site operators and none for city-wide roles', () => {
    expect(parse({ role: 'station-operator', sub: 'op-1' }).success).toBe(false);
    expect(parse({ role: 'station-operator', sub: 'op-1', scope: 'st-01' }).success).toBe(true);
    expect(parse({ role: 'tax-officer', sub: 'tax-1', scope: 'st-01' }).success).toBe(false);
    expect(parse({ role: 'administrator', sub: 'admin-1' }).success).toBe(true);
    // The city's officials (commerce bureau, development commission) read the whole city's progress.
    expect(parse({ role: 'city-official', sub: 'city-1' }).success).toBe(true);
    expect(parse({ role: 'city-official', sub: 'city-1', scope: 'st-01' }).success).toBe(false);
  });

  it('give a resident only their own id as scope, and refuse odd ids and unknown keys', () => {
    expect(parse({ role: 'resident', sub: 'r-1' }).success).toBe(true);
    expect(parse({ role: 'resident', sub: 'r-1', scope: 'r-2' }).success).toBe(false);
    expect(parse({ role: 'resident', sub: 'r 1' }).success).toBe(false);
    expect(parse({ role: 'resident', sub: 'r-1', admin: true }).success).toBe(false);
    expect(parse({ role: 'mayor', sub: 'm-1' }).success).toBe(false);
  });
});

describe('the proxy', () => {
  const urls = {
    pickup: 'http://p:1/',
    sorting: 'http://s:2',
    dismantling: 'http://d:3',
    invoicing: 'http://i:4',
    statistics: 'http://st:5',
  };
  it("maps /api/<service>/<path> onto the service's URL, keeping the query", () => {
    expect(upstreamUrl(urls, 'pickup', ['pickups', 'pk-1'], '?x=1')).toBe('http://p:1/pickups/pk-1?x=1');
    expect(upstreamUrl(urls, 'statistics', ['progress', 'appliances-recovered'], '')).toBe(
      'http://st:5/progress/appliances-recovered',
    );
    expect(SERVICE_NAMES.map((s) => upstreamUrl(urls, s, [], '')!.split(':')[1])).toEqual([
      '//p',
      '//s',
      '//d',
      '//i',
      '//st',
    ]);
  });

  it('refuses names that are not services and keeps encoded segments encoded', () => {
    expect(upstreamUrl(urls, 'portal', ['x'], '')).toBeUndefined();
    expect(upstreamUrl(urls, '..', ['x'], '')).toBeUndefined();
    expect(upstreamUrl(urls, 'sorting', ['intakes', '../admin'], '')).toBe('http://s:2/intakes/..%2Fadmin');
  });
});
