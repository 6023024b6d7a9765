// Mounts declared endpoints on an express router: authentication (unless public), the role check,
// the scope check, validation of every part of the request, the Idempotency-Key guard, and the
// answer. Also the two answers HTTP owes for a known path: 405 with `Allow` for a method the path
// does not serve, and 415 for a body that is not JSON.
import type { Request, RequestHandler, Response, Router } from 'express';
import type { Connection } from 'mongoose';
import { assertScope } from '@recycling/contracts';
import { authenticate, authorize, type Principal, type TokenVerifier } from './auth';
import { Reply, successStatusOf, type Endpoint, type EndpointCall } from './endpoint';
import {
  idempotencyKeyHeader,
  idempotent,
  type IdempotencyGuard,
  type IdempotentAnswer,
} from './idempotency';
import { HttpProblem } from './problem';
import { parseInput } from './validate';

export interface EndpointEnvironment {
  /** Verifies bearer tokens; every endpoint that is not public needs one. */
  verifier?: TokenVerifier;
  /** Where Idempotency-Key claims are kept (the service's own store). */
  connection?: Connection;
  now?: () => Date;
}

/** Refuses a list in which two endpoints share an operationId or a method and path. */
export function checkEndpoints(endpoints: readonly Endpoint[]): void {
  const seen = new Map<string, string>();
  for (const e of endpoints) {
    for (const key of [`operationId ${e.operationId}`, `route ${e.method.toUpperCase()} ${e.path}`]) {
      if (seen.has(key)) throw new Error(`two endpoints declare the same ${key}`);
      seen.set(key, e.operationId);
    }
  }
}

const METHODS_WITH_BODY = new Set(['post', 'put', 'patch']);

/** Methods a path answers, as HTTP names them (HEAD comes with GET, OPTIONS always). */
function allowedMethods(endpoints: readonly Endpoint[]): string[] {
  const methods = new Set(endpoints.map((e) => e.method.toUpperCase()));
  if (methods.has('GET')) methods.add('HEAD');
  methods.add('OPTIONS');
  return [...methods];
}

/** 405 for a method the path does not serve, before authentication: the method list is no secret. */
function methodGuard(allow: string[]): RequestHandler {
  const header = allow.join(', ');
  return (req, res, next) => {
    if (req.method === 'OPTIONS') {
      res.setHeader('Allow', header);
      res.status(204).end();
      return;
    }
    if (allow.includes(req.method)) {
      next();
      return;
    }
    throw new HttpProblem(
      405,
      undefined,
      `此地址不支持 ${req.method}，可用：${header} / ${req.method} is not allowed here; allowed: ${header}.`,
      {},
      { Allow: header },
    );
  };
}

const hasBody = (req: Request) =>
  Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;

/** 415 for a body that is not JSON (it would otherwise reach validation as an empty object). */
const jsonOnly: RequestHandler = (req, _res, next) => {
  if (hasBody(req) && !req.is(['application/json', 'application/*+json'])) {
    throw new HttpProblem(
      415,
      undefined,
      `请求体须为 JSON（Content-Type: application/json）/ The body must be JSON (Content-Type: application/json), not ${req.headers['content-type'] ?? 'unspecified'}.`,
      {},
      { 'Accept-Post': 'application/json' },
    );
  }
  next();
};

function send(res: Response, answer: IdempotentAnswer): void {
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
  if (answer.body === undefined) res.status(answer.status).end();
  else res.status(answer.status).json(answer.body);
}

const answerOf = (spec: Endpoint, result: unknown): IdempotentAnswer =>
  result instanceof Reply
    ? { status: result.status, body: result.body, headers: { ...result.headers } }
    : { status: successStatusOf(spec), body: result };

const defaultKeyScope = (p: Principal) => `${p.role}:${p.scope ?? ''}:${p.sub}`;

function handlerOf(spec: Endpoint, env: EndpointEnvironment): RequestHandler {
  const { body, query, params, headers } = spec.request ?? {};
  const headerSchema = spec.idempotency ? idempotencyKeyHeader().extend(headers?.shape ?? {}) : headers;
  let guard: IdempotencyGuard | undefined;
  const guardOf = () => {
    if (!env.connection) throw new Error(`${spec.operationId} is idempotent but no store was given`);
    const idempotency = spec.idempotency!;
    return (guard ??= idempotent({
      connection: env.connection,
      scopeOf: (req) => (idempotency.scopeOf ?? defaultKeyScope)(req.principal!),
      ...(idempotency.reserve
        ? { reserve: { field: 'reserved', make: (req: Request) => idempotency.reserve!(req.principal!) } }
        : {}),
      now: env.now,
    }));
  };

  return async (req, res) => {
    const input = await parseInput(req, { body, query, params, headers: headerSchema });
    for (const [where, name] of [
      ['params', spec.scope?.param],
      ['query', spec.scope?.query],
      ['body', spec.scope?.body],
    ] as const) {
      const value = name ? (input[where] as Record<string, unknown> | undefined)?.[name] : undefined;
      // An optional scope field left out is the use case's to narrow (a list of the caller's own).
      if (value !== undefined) assertScope(req.principal!, String(value));
    }
    const call: EndpointCall = { ...input, principal: req.principal!, req, res };
    if (spec.idempotency) {
      await guardOf()(req, res, async (reserved) =>
        answerOf(spec, await spec.handler({ ...call, reserved })),
      );
      return;
    }
    const result = await spec.handler(call);
    if (res.headersSent) return;
    if (result === undefined && !spec.responses[204]) {
      throw new Error(`${spec.operationId} returned nothing and wrote no answer`);
    }
    send(res, answerOf(spec, result));
  };
}

/** Mounts the endpoints (public ones before authentication) on the router. */
export function mountEndpoints(
  router: Router,
  endpoints: readonly Endpoint[],
  env: EndpointEnvironment = {},
): void {
  checkEndpoints(endpoints);
  const byPath = new Map<string, Endpoint[]>();
  for (const e of endpoints) byPath.set(e.path, [...(byPath.get(e.path) ?? []), e]);
  for (const [path, list] of byPath) router.all(path, methodGuard(allowedMethods(list)));

  const mount = (e: Endpoint, ...before: RequestHandler[]) => {
    const withBody = METHODS_WITH_BODY.has(e.method) ? [jsonOnly] : [];
    router[e.method](e.path, ...before, ...withBody, handlerOf(e, env));
  };
  for (const e of endpoints.filter((e) => e.roles === 'public')) mount(e);
  if (env.verifier) router.use(authenticate(env.verifier));
  for (const e of endpoints.filter((e) => e.roles !== 'public')) {
    mount(e, authorize(...(e.roles as Exclude<Endpoint['roles'], 'public'>)));
  }
}
