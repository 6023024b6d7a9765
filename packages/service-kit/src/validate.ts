// Input validation with zod 4. Handlers see parsed values only: `req.body`, `req.params` and
// `req.query` are replaced by what the schemas return (unknown keys stripped by z.object, rejected
// by z.strictObject), and a failure answers 400 naming each bad field.
//
// Express 5's `req.query` is a getter on the request prototype that parses the URL on every read;
// the parsed value is defined as an own property of the request, which shadows the getter. All three
// are also on `res.locals.input`, and `validated()` hands them to the handler typed.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { HttpProblem, validationProblem, zodFieldErrors, type FieldError } from './problem';

export interface InputSchemas<
  B extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  P extends z.ZodType = z.ZodType,
> {
  body?: B;
  query?: Q;
  params?: P;
  /** Request headers the endpoint reads (names in lower case); other headers are left alone. */
  headers?: z.ZodType;
}

export interface ValidatedInput<B = unknown, Q = unknown, P = unknown, H = unknown> {
  body: B;
  query: Q;
  params: P;
  headers: H;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** Parses the request against the schemas; throws a 400 HttpProblem naming every bad field. */
export async function parseInput<S extends InputSchemas>(
  req: Request,
  schemas: S,
): Promise<ValidatedInput<Out<S['body']>, Out<S['query']>, Out<S['params']>, Out<S['headers']>>> {
  const errors: FieldError[] = [];
  const parse = async (schema: z.ZodType | undefined, value: unknown, prefix?: string): Promise<unknown> => {
    if (!schema) return undefined;
    const result = await schema.safeParseAsync(value);
    if (result.success) return result.data;
    errors.push(...zodFieldErrors(result.error, prefix));
    return undefined;
  };
  const params = await parse(schemas.params, req.params, 'params');
  const query = await parse(schemas.query, req.query, 'query');
  const headers = await parse(schemas.headers, req.headers, 'headers');
  const body = await parse(schemas.body, req.body ?? {}, undefined);
  if (errors.length > 0) throw validationProblem(errors);
  return { body, query, params, headers } as ValidatedInput<
    Out<S['body']>,
    Out<S['query']>,
    Out<S['params']>,
    Out<S['headers']>
  >;
}

/** Middleware: validates and replaces req.body / req.query / req.params, or answers 400. */
export function validate(schemas: InputSchemas): RequestHandler {
  return async (req, res, next) => {
    const input = await parseInput(req, schemas);
    if (schemas.body) req.body = input.body;
    if (schemas.params) req.params = input.params as Request['params'];
    if (schemas.query) {
      Object.defineProperty(req, 'query', {
        value: input.query,
        writable: true,
        configurable: true,
        enumerable: true,
      });
    }
    res.locals.input = input;
    next();
  };
}

/**
 * A route handler that receives its parsed, typed input:
 *   router.post('/pickups', validated({ body: CreatePickup }, async ({ body }, req, res) => { ... }))
 */
export function validated<S extends InputSchemas>(
  schemas: S,
  handler: (
    input: ValidatedInput<Out<S['body']>, Out<S['query']>, Out<S['params']>>,
    req: Request,
    res: Response,
    next: NextFunction,
  ) => unknown,
): RequestHandler {
  return async (req, res, next) => {
    const input = await parseInput(req, schemas);
    res.locals.input = input;
    await handler(input, req, res, next);
  };
}

export interface OperatorGuardOptions {
  /** Nesting deeper than this is refused. Default 32. */
  maxDepth?: number;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Why a key is refused, or undefined when it is fine. */
function keyProblem(key: string): string | undefined {
  if (key.startsWith('$')) return 'starts with $';
  if (key.includes('.')) return 'contains a dot';
  if (/\[\s*\$/.test(key)) return 'names an operator';
  if (FORBIDDEN_KEYS.has(key)) return 'is reserved';
  return undefined;
}

/** The dotted paths of keys that could act as query operators or field paths in a store filter. */
export function findOperatorKeys(value: unknown, maxDepth = 32): Array<{ field: string; reason: string }> {
  const found: Array<{ field: string; reason: string }> = [];
  const stack: Array<{ value: unknown; path: string[] }> = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (path.length > maxDepth) {
      found.push({ field: path.join('.'), reason: 'is nested too deeply' });
      continue;
    }
    for (const key of Object.keys(v)) {
      const reason = keyProblem(key);
      if (reason) found.push({ field: [...path, key].join('.'), reason });
      else stack.push({ value: (v as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return found;
}

/**
 * Middleware: refuses (400) a body or query with a key that starts with '$', contains '.', or is
 * `__proto__`/`constructor`/`prototype`, at any depth — such keys turn into operators or paths in a
 * mongoose filter or update (`{ "residentId": { "$ne": null } }`).
 */
export function rejectOperatorKeys(options: OperatorGuardOptions = {}): RequestHandler {
  return (req, _res, next) => {
    const errors: FieldError[] = [
      ...findOperatorKeys(req.body, options.maxDepth).map((f) => ({ ...f, prefix: '' })),
      ...findOperatorKeys(req.query, options.maxDepth).map((f) => ({ ...f, prefix: 'query.' })),
    ].map(({ field, reason, prefix }) => ({
      field: `${prefix}${field}`,
      message: `Key ${reason}`,
      code: 'forbidden_key',
    }));
    if (errors.length > 0) {
      next(
        new HttpProblem(400, 'Forbidden keys', 'Keys may not start with $ or contain a dot.', {
          title_zh: '请求包含不允许的字段名',
          errors,
        }),
      );
      return;
    }
    next();
  };
}
