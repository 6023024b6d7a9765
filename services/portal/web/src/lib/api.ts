// Calls to the services through the portal (/api/<service>/…), with the session's bearer token.
// Every failure becomes an ApiProblem, so pages show one kind of error.
import { ApiProblem, problemFrom } from './problem';
import { loadSession } from './session';

export type ServiceName =
  | 'pickup'
  | 'sorting'
  | 'dismantling'
  | 'invoicing'
  | 'statistics'
  | 'subsidies'
  | 'disposals'
  | 'remanufacturing'
  | 'portal';

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  signal?: AbortSignal;
}

let onUnauthorized: () => void = () => {};
/** Set by the app: a 401 means the token expired, so the person signs in again. */
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

export function apiUrl(service: ServiceName, path: string, query?: CallOptions['query']): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') qs.set(k, String(v));
  const q = qs.toString();
  return `/api/${service}/${path.replace(/^\/+/, '')}${q ? `?${q}` : ''}`;
}

async function send(service: ServiceName, path: string, options: CallOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  const session = loadSession();
  if (session) headers.Authorization = `Bearer ${session.token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(apiUrl(service, path, options.query), {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiProblem(0, {
      title: 'Network error',
      title_zh: '网络错误',
      detail: '无法连接门户 / Cannot reach the portal.',
    });
  }
  if (!res.ok) {
    if (res.status === 401 && service !== 'portal') onUnauthorized();
    throw problemFrom(res.status, await res.text());
  }
  return res;
}

export async function api<T>(service: ServiceName, path: string, options: CallOptions = {}): Promise<T> {
  const res = await send(service, path, options);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

const prefetched = new Map<string, { at: number; promise: Promise<unknown> }>();
const PREFETCH_FRESH_MS = 15_000;

/**
 * Starts a GET before the page that needs it is even loaded (the app's start-up knows what the first
 * screen asks for): the page then takes the answer with `takeOrGet` instead of asking again.
 */
export function prefetch(service: ServiceName, path: string): void {
  const promise = api<unknown>(service, path);
  promise.catch(() => undefined); // the page that takes it sees the error
  prefetched.set(`${service} ${path}`, { at: Date.now(), promise });
}

/** The prefetched answer of a GET, once, if still fresh; else a new GET. */
export function takeOrGet<T>(service: ServiceName, path: string, signal?: AbortSignal): Promise<T> {
  const key = `${service} ${path}`;
  const hit = prefetched.get(key);
  prefetched.delete(key);
  if (hit && Date.now() - hit.at < PREFETCH_FRESH_MS) return hit.promise as Promise<T>;
  return api<T>(service, path, { signal });
}

/** Downloads a file (CSV export) with the bearer token, which a plain link cannot carry. */
export async function download(
  service: ServiceName,
  path: string,
  query: CallOptions['query'],
  name: string,
) {
  const res = await send(service, path, { query });
  const blob = await res.blob();
  const disposition = res.headers.get('content-disposition') ?? '';
  const fileName = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? name;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

export { asList } from './lists';
