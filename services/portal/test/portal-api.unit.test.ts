// The portal's own routes against its OpenAPI document, and the rules of the local sign-in and of
// the proxy's path mapping (no sockets: the express app is inspected, not served).
import { createLogger } from '@recycling/observability';
import { loadConfig } from '@recycling/service-kit';
import { PortalConfig, SERVICE_NAMES } from '../src/config';
import { upstreamUrl } from '../src/http/proxy';
import { DevTokenRequest } from '../src/http/schemas';
import { buildPortal } from '../src/server';

const config = loadConfig(PortalConfig, { NODE_ENV: 'test' });
const portal = buildPortal(config, createLogger({ service: 'portal-test', level: 'silent' }));
const doc = portal.document() as {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown> };
};

// The shared OpenAPI test (e2e/test/openapi-contracts.unit.test.ts) checks the document against the
// routes; here, what only the portal has.
describe('the OpenAPI document', () => {
  it('documents the pass-through to every service under one path, for every method', () => {
    expect(Object.keys(doc.paths['/api/{service}/{rest}'] ?? {}).sort()).toEqual([
      'delete',
      'get',
      'patch',
      'post',
      'put',
    ]);
  });

  it('describes the sign-in body with the schema the route validates with', () => {
    expect(doc.components.schemas.DevTokenRequest).toMatchObject({
      required: expect.arrayContaining(['role', 'sub']),
    });
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

  it('knows the subsidies service only where the city runs one (its URL set)', () => {
    expect(upstreamUrl(urls, 'subsidies', ['openapi.json'], '')).toBeUndefined();
    expect(upstreamUrl({ ...urls, subsidies: 'http://sb:6' }, 'subsidies', ['openapi.json'], '')).toBe(
      'http://sb:6/openapi.json',
    );
  });

  it('refuses names that are not services and keeps encoded segments encoded', () => {
    expect(upstreamUrl(urls, 'portal', ['x'], '')).toBeUndefined();
    expect(upstreamUrl(urls, '..', ['x'], '')).toBeUndefined();
    expect(upstreamUrl(urls, 'sorting', ['intakes', '../admin'], '')).toBe('http://s:2/intakes/..%2Fadmin');
  });
});
