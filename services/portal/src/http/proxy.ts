// /api/<service>/<path> → <SERVICE_URL>/<path>. Services never call each other, but a browser may
// only talk to its own origin, so the portal forwards the caller's bearer token untouched and the
// services decide what it may see. A service that is down answers 502 problem+json with Chinese text,
// so the page can say which part of the network is unavailable.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Request, Response } from 'express';
import { HttpProblem, REQUEST_ID_HEADER } from '@recycling/service-kit';
import type { ProxiedService } from '../config';

const FORWARDED_REQUEST_HEADERS = ['authorization', 'accept', 'accept-language', 'if-none-match'];
const FORWARDED_RESPONSE_HEADERS = [
  'content-type',
  'content-disposition',
  'cache-control',
  'etag',
  'location',
  'retry-after',
  'www-authenticate',
];

const SERVICE_LABELS: Record<ProxiedService, string> = {
  pickup: '上门回收预约服务 / pickup service',
  sorting: '分拣中心服务 / sorting service',
  dismantling: '拆解企业服务 / dismantling service',
  invoicing: '反向开票服务 / invoicing service',
  statistics: '统计服务 / statistics service',
  disposals: '公共机构办公设备处置服务 / public institutions’ disposals service',
  remanufacturing: '再制造服务 / remanufacturing service',
  subsidies: '以旧换新补贴服务 / trade-in subsidies service',
};

/**
 * The upstream URL for a portal path, or undefined when the service is not one of ours, or one this
 * city does not run (its URL unset): the web app offers what the proxy knows, nothing more.
 */
export function upstreamUrl(
  urls: Readonly<Partial<Record<ProxiedService, string>>>,
  service: string,
  rest: readonly string[],
  search: string,
): string | undefined {
  if (!Object.hasOwn(SERVICE_LABELS, service)) return undefined;
  const configured = urls[service as ProxiedService];
  if (!configured) return undefined;
  const base = configured.replace(/\/+$/, '');
  const path = rest.map((segment) => encodeURIComponent(segment)).join('/');
  return `${base}/${path}${search}`;
}

export interface ProxyOptions {
  urls: Readonly<Partial<Record<ProxiedService, string>>>;
  timeoutMs: number;
}

export const PROXY_PATH = '/api/:service/{*rest}';

/** Forwards the request to its service and streams the answer back. */
export function forward(options: ProxyOptions) {
  return async (req: Request, res: Response): Promise<void> => {
    const { service } = req.params as { service: string };
    const rest = ((req.params as { rest?: string[] }).rest ?? []).filter(Boolean);
    const queryAt = req.originalUrl.indexOf('?');
    const search = queryAt >= 0 ? req.originalUrl.slice(queryAt) : '';
    const target = upstreamUrl(options.urls, service, rest, search);
    if (!target) throw HttpProblem.notFound(`没有名为 ${service} 的服务 / No service named ${service}.`);

    const headers = new Headers();
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers.set(name, value);
    }
    const requestId = res.getHeader(REQUEST_ID_HEADER);
    if (typeof requestId === 'string') headers.set(REQUEST_ID_HEADER, requestId);
    const hasBody = !['GET', 'HEAD'].includes(req.method) && req.body !== undefined;
    if (hasBody) headers.set('content-type', 'application/json');

    let upstream: globalThis.Response;
    try {
      upstream = await fetch(target, {
        method: req.method,
        headers,
        // express.json() has parsed (and the operator-key guard has checked) the body already.
        body: hasBody ? JSON.stringify(req.body) : undefined,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (err) {
      const timedOut = err instanceof Error && err.name === 'TimeoutError';
      const label = SERVICE_LABELS[service as ProxiedService];
      throw new HttpProblem(
        timedOut ? 504 : 502,
        undefined,
        timedOut ? `${label} 响应超时 / timed out.` : `${label} 暂时无法连接 / cannot be reached.`,
        { service },
      );
    }

    res.status(upstream.status);
    for (const name of FORWARDED_RESPONSE_HEADERS) {
      const value = upstream.headers.get(name);
      if (value !== null) res.setHeader(name, value);
    }
    if (!upstream.body || req.method === 'HEAD') {
      res.end();
      return;
    }
    await new Promise<void>((resolve, reject) => {
      Readable.fromWeb(upstream.body as WebReadableStream)
        .on('error', reject)
        .pipe(res)
        .on('finish', resolve)
        .on('error', reject);
    });
  };
}
