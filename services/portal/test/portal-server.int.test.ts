// The portal server over real sockets: the local sign-in (and its refusal in production), the proxy
// against a real upstream HTTP server standing in for a service, and the pages with their policy.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createLogger } from '@recycling/observability';
import { createTokenVerifier, LOCAL_DEV_JWT_SECRET, listen, loadConfig } from '@recycling/service-kit';
import { PortalConfig } from '../src/config';
import { buildPortal } from '../src/server';
import { ensureWebBuild, WEB_DIR } from '../src/web-build';

jest.setTimeout(120_000);

const logger = createLogger({ service: 'portal-test', level: 'silent' });
const servers: Server[] = [];
const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function startPortal(env: Record<string, string>): Promise<string> {
  const config = loadConfig(PortalConfig, { LOG_LEVEL: 'silent', ...env });
  const server = await listen(buildPortal(config, logger).app, 0, '127.0.0.1');
  servers.push(server);
  return urlOf(server);
}

let upstreamUrl = '';
const seen: Array<{ method: string; url: string; auth?: string; body: unknown; requestId?: string }> = [];

beforeAll(async () => {
  await ensureWebBuild(WEB_DIR, loadConfig(PortalConfig, {}).WEB_DIST);
  const upstream = express();
  upstream.use(express.json());
  upstream.all('/{*rest}', (req, res) => {
    seen.push({
      method: req.method,
      url: req.originalUrl,
      auth: req.headers.authorization,
      body: req.body,
      requestId: req.headers['x-request-id'] as string | undefined,
    });
    if (req.path === '/slots/full') {
      res
        .status(409)
        .type('application/problem+json')
        .send({ status: 409, title: 'Conflict', title_zh: '该时段已约满' });
      return;
    }
    if (req.path === '/exports/x.csv') {
      res.setHeader('Content-Disposition', 'attachment; filename="x.csv"');
      res.type('text/csv').send('月份 month,数量 count\n2026-11,2\n');
      return;
    }
    res.status(req.method === 'POST' ? 201 : 200).json({ ok: true });
  });
  const server = await listen(upstream, 0, '127.0.0.1');
  servers.push(server);
  upstreamUrl = urlOf(server);
});

afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

describe('local sign-in', () => {
  it('mints a token the services accept, with the role and scope asked for', async () => {
    const portal = await startPortal({ NODE_ENV: 'development' });
    const res = await fetch(`${portal}/api/portal/dev-token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ role: 'station-operator', sub: 'op-7', scope: 'st-01' }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { token: string; principal: { scope: string } };
    expect(body.principal.scope).toBe('st-01');
    const principal = await createTokenVerifier({ secret: LOCAL_DEV_JWT_SECRET }).verify(body.token);
    expect(principal).toMatchObject({ sub: 'op-7', role: 'station-operator', scope: 'st-01' });
  });

  it('names the bad fields of a sign-in request', async () => {
    const portal = await startPortal({ NODE_ENV: 'development' });
    const res = await fetch(`${portal}/api/portal/dev-token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ role: 'dismantler-operator', sub: 'has space' }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { title_zh: string; errors: Array<{ field: string }> };
    expect(problem.title_zh).toBe('输入有误');
    expect(problem.errors.map((e) => e.field).sort()).toEqual(['scope', 'sub']);
  });

  it('is refused in production', async () => {
    const portal = await startPortal({ NODE_ENV: 'production' });
    const res = await fetch(`${portal}/api/portal/dev-token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ role: 'administrator', sub: 'admin-1' }),
    });
    expect(res.status).toBe(403);
    const problem = (await res.json()) as { title_zh: string; token?: string };
    expect(problem.title_zh).toBe('生产环境不提供本地登录');
    expect(problem.token).toBeUndefined();
  });
});

describe('the proxy to the services', () => {
  it('forwards method, path, query, body, bearer token and request id, and answers with the service’s answer', async () => {
    const portal = await startPortal({ PICKUP_URL: upstreamUrl });
    seen.length = 0;
    const res = await fetch(`${portal}/api/pickup/pickups/pk-1/cancel?x=1&y=%E6%96%B0`, {
      method: 'POST',
      headers: {
        Authorization: 'Bearer abc',
        'Content-Type': 'application/json',
        'X-Request-Id': 'req-portal-1',
      },
      body: JSON.stringify({ reason: '不需要了' }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ ok: true });
    expect(seen).toEqual([
      {
        method: 'POST',
        url: '/pickups/pk-1/cancel?x=1&y=%E6%96%B0',
        auth: 'Bearer abc',
        body: { reason: '不需要了' },
        requestId: 'req-portal-1',
      },
    ]);
  });

  it('passes problems and downloads through unchanged', async () => {
    const portal = await startPortal({ STATISTICS_URL: upstreamUrl });
    const conflict = await fetch(`${portal}/api/statistics/slots/full`);
    expect(conflict.status).toBe(409);
    expect(conflict.headers.get('content-type')).toContain('application/problem+json');
    expect(((await conflict.json()) as { title_zh: string }).title_zh).toBe('该时段已约满');

    const csv = await fetch(`${portal}/api/statistics/exports/x.csv`);
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="x.csv"');
    expect(await csv.text()).toContain('2026-11,2');
  });

  it('answers 502 naming the service when it is down, and 404 for a service that does not exist', async () => {
    const portal = await startPortal({ INVOICING_URL: 'http://127.0.0.1:9' });
    const down = await fetch(`${portal}/api/invoicing/feed/invoices`);
    expect(down.status).toBe(502);
    const problem = (await down.json()) as { title_zh: string; detail: string; service: string };
    expect(problem.title_zh).toBe('上游服务出错');
    expect(problem.detail).toContain('反向开票服务');
    expect(problem.service).toBe('invoicing');

    const unknown = await fetch(`${portal}/api/billing/anything`);
    expect(unknown.status).toBe(404);
  });

  it('refuses operator keys in bodies before they reach a service', async () => {
    const portal = await startPortal({ PICKUP_URL: upstreamUrl });
    seen.length = 0;
    const res = await fetch(`${portal}/api/pickup/pickups`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ residentId: { $ne: null } }),
    });
    expect(res.status).toBe(400);
    expect(seen).toEqual([]);
  });
});

describe('the pages', () => {
  it('serve the app for deep links, with a policy that does not force https on a local network', async () => {
    const portal = await startPortal({});
    const page = await fetch(`${portal}/station`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');

    const doc = await fetch(`${portal}/openapi.json`);
    expect(((await doc.json()) as { openapi: string }).openapi).toBe('3.1.0');
    expect((await fetch(`${portal}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${portal}/readyz`)).status).toBe(200);
  });

  it('send hashed assets precompressed and cached for good, the page compressed and revalidated', async () => {
    const portal = await startPortal({});
    const page = await fetch(`${portal}/resident`, { headers: { 'Accept-Encoding': 'gzip' } });
    const html = await page.text();
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const script = /src="(\/assets\/index-[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    for (const encoding of ['br', 'gzip']) {
      const asset = await fetch(`${portal}${script}`, { headers: { 'Accept-Encoding': encoding } });
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-encoding')).toBe(encoding);
      expect(asset.headers.get('content-type')).toMatch(/javascript/);
      expect(asset.headers.get('cache-control')).toContain('immutable');
      expect(asset.headers.get('vary')).toContain('Accept-Encoding');
    }
    const plain = await fetch(`${portal}${script}`, { headers: { 'Accept-Encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    // A service's JSON answer is compressed on the way too.
    const reference = await fetch(`${portal}/api/portal/reference`, {
      headers: { 'Accept-Encoding': 'gzip' },
    });
    expect(reference.headers.get('content-encoding')).toBe('gzip');
    // No subsidies service in this city: the proxy does not know one, so the app offers none.
    expect((await fetch(`${portal}/api/subsidies/openapi.json`)).status).toBe(404);
  });
});
