// A small HTTP client for the demo seed: one base URL per service (the *_URL variables `npm start`
// passes), bearer tokens minted with the local development secret, JSON in and out.
import { LOCAL_DEV_JWT_SECRET, type Role } from '../../packages/service-kit/src/roles';
import { mintToken } from '../../packages/service-kit/src/token';

export const SERVICES = [
  'portal',
  'pickup',
  'sorting',
  'dismantling',
  'invoicing',
  'statistics',
  'subsidies',
] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Reads whatever the services answer; each step checks the fields it relies on. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export interface Reply {
  status: number;
  text: string;
  body: Loose;
}

export interface Caller {
  role: Role;
  sub: string;
  scope?: string;
}

export class DemoClient {
  private readonly tokens = new Map<string, Promise<string>>();

  constructor(
    private readonly urls: Record<ServiceName, string>,
    private readonly secret: string,
  ) {}

  static fromEnv(env: NodeJS.ProcessEnv = process.env): DemoClient {
    const urls = Object.fromEntries(
      SERVICES.map((s, i) => [s, env[`${s.toUpperCase()}_URL`] ?? `http://127.0.0.1:${4100 + i}`]),
    ) as Record<ServiceName, string>;
    return new DemoClient(urls, env.JWT_SECRET || LOCAL_DEV_JWT_SECRET);
  }

  url(service: ServiceName): string {
    return this.urls[service];
  }

  token(caller: Caller): Promise<string> {
    const key = `${caller.role}|${caller.sub}|${caller.scope ?? ''}`;
    let token = this.tokens.get(key);
    if (!token) {
      token = mintToken({ ...caller, ttl: '1h', secret: this.secret });
      this.tokens.set(key, token);
    }
    return token;
  }

  async call(
    service: ServiceName,
    method: string,
    path: string,
    caller: Caller,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    const res = await fetch(`${this.urls[service]}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await this.token(caller)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // HTML or empty
    }
    return { status: res.status, text, body: parsed };
  }
}

export class SeedError extends Error {}

/** Throws with the service's own answer (problem+json names the fields) unless the status is wanted. */
export function expectStatus(
  what: string,
  reply: Reply,
  ok: (status: number) => boolean = (s) => s < 300,
): Reply {
  if (!ok(reply.status)) throw new SeedError(`${what}: HTTP ${reply.status} ${reply.text.slice(0, 600)}`);
  return reply;
}

/** Polls until `probe` returns something truthy; events between services take a moment. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | false | undefined | null>,
  timeoutMs = 60_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new SeedError(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
