// One declaration per endpoint: method, path, who may call it and on whose data, the zod schemas of
// its request and responses, its operationId, a summary in Chinese and English, and whether a retry
// with the same Idempotency-Key acts once. Both the express route (`mountEndpoints`) and the OpenAPI
// 3.1 document (`openApiDocument`) are made from it, so a route cannot exist undocumented, nor be
// documented with other schemas than those it validates with.
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Principal } from './auth';
import type { Role } from './roles';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Both languages of a text a person reads: Chinese first. */
export interface Bilingual {
  zh: string;
  en: string;
}

export interface ResponseSpec {
  /** `中文 / English`. */
  description: string;
  /** The body's schema; none for an empty answer. */
  schema?: z.ZodType;
  /** Default `application/json` (`application/problem+json` for errors). */
  contentType?: string;
  /** Other content types the same status may answer (chosen by the request), with their schemas. */
  alternatives?: Record<string, z.ZodType>;
}

/**
 * Whose data a caller may touch. `param`, `query` and `body` name the request field that must equal
 * the token's scope (city-wide roles pass); the kit checks each one present before the handler
 * runs. `rule` says it in words, also how a use case narrows what the caller sees where no field
 * names the scope (a resident sees only their own pickups).
 */
export interface ScopeRule {
  rule: string;
  /** A path parameter. */
  param?: string;
  /** A query parameter. */
  query?: string;
  /** A top-level field of the body. */
  body?: string;
}

export interface IdempotencySpec {
  /** Whose keys these are; default role, scope and subject, so keys of two callers never meet. */
  scopeOf?: (principal: Principal) => string;
  /**
   * A value chosen with the key and kept across a takeover after a crash (the id of what the
   * request creates), handed to the handler as `reserved`.
   */
  reserve?: (principal: Principal) => string;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a handler gets: its parsed input, who calls, and the raw request for what is left. */
export interface EndpointCall<B = unknown, Q = unknown, P = unknown, H = unknown> {
  body: B;
  query: Q;
  params: P;
  headers: H;
  principal: Principal;
  /** The value reserved with the Idempotency-Key (see IdempotencySpec.reserve). */
  reserved?: string;
  req: Request;
  res: Response;
}

/** An answer with a status and headers of its own (a 201 with Location, a 200-or-201 upsert). */
export class Reply {
  constructor(
    readonly status: number,
    readonly body?: unknown,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}
}

export const reply = (status: number, body?: unknown, headers?: Record<string, string>) =>
  new Reply(status, body, headers);

/**
 * What a handler returns: a body (sent as JSON with the endpoint's success status), a Reply, or
 * nothing when it wrote the response itself (a CSV, an HTML page).
 */
export type HandlerResult = unknown;

export interface RequestSchemas {
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
  headers?: z.ZodObject;
}

export interface EndpointSpec<S extends RequestSchemas = RequestSchemas> {
  method: HttpMethod;
  /** Express path: `/pickups/:pickupId`. */
  path: string;
  /** Unique in the service, camelCase: `bookPickup`. */
  operationId: string;
  summary: Bilingual;
  /** More for the reader of the document: cross-field rules a schema cannot state, limits. */
  description?: string;
  /** Roles that may call it, or 'public' for no token at all. */
  roles: readonly Role[] | 'public';
  scope?: ScopeRule;
  request?: S;
  /** Every answer the endpoint gives besides the standard ones the kit adds (400, 401, 403, 413, 415, 503). */
  responses: Record<number, ResponseSpec>;
  idempotency?: IdempotencySpec;
  handler: (
    call: EndpointCall<Out<S['body']>, Out<S['query']>, Out<S['params']>, Out<S['headers']>>,
  ) => Promise<HandlerResult>;
}

/** An endpoint as the kit keeps it (handlers erased to one type; `endpoint` types each one). */
export type Endpoint = Omit<EndpointSpec<RequestSchemas>, 'handler'> & {
  readonly kind: 'endpoint';
  handler: (call: EndpointCall) => Promise<HandlerResult>;
};

/** Declares an endpoint; its handler is typed by its own request schemas. */
export function endpoint<S extends RequestSchemas = Record<never, never>>(spec: EndpointSpec<S>): Endpoint {
  return { ...(spec as unknown as Omit<Endpoint, 'kind'>), kind: 'endpoint' };
}

/** The status a handler's plain return value is sent with: the endpoint's lowest 2xx. */
export function successStatusOf(spec: Pick<EndpointSpec, 'responses'>): number {
  const ok = Object.keys(spec.responses)
    .map(Number)
    .filter((s) => s >= 200 && s < 300)
    .sort((a, b) => a - b);
  return ok[0] ?? 200;
}
