// The last middlewares of every app: 404 for unknown routes, and one error handler that answers
// every error as problem+json. Unexpected errors are logged and answered 500 without their message
// or stack.
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Logger } from '@recycling/observability';
import { DomainError, type DomainErrorKind } from '@recycling/contracts';
import { ZodError } from 'zod';
import { isInfrastructureError, someCause } from '@recycling/messaging';
import {
  HttpProblem,
  problem,
  sendProblem,
  validationProblem,
  zodFieldErrors,
  type FieldError,
} from './problem';

/** Answers 404 for a route that no handler matched. */
export function notFound(): RequestHandler {
  return (req, _res, next) => next(new HttpProblem(404, undefined, `No route for ${req.method} ${req.path}`));
}

type BodyParserError = Error & {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
  limit?: number;
};
type MongooseValidationError = Error & {
  errors?: Record<string, { path?: string; kind?: string; message?: string }>;
};
type MongooseCastError = Error & { path?: string; kind?: string };
type MongoServerError = Error & { code?: number; keyPattern?: Record<string, unknown> };

/**
 * True when `err` (or its cause) says a dependency is unreachable, so the request may be retried:
 * what the consumer runner retries without limit (messaging's one list of the store's and the
 * broker's connection errors), and a document lock that could not be had in time (its holder may
 * have lost the store mid-request).
 */
export function isUnavailableError(err: unknown): boolean {
  return isInfrastructureError(err) || someCause(err, (e) => e.name === 'LockTimeoutError');
}

/** Seconds a client is asked to wait before retrying a request answered 503. */
export const UNAVAILABLE_RETRY_AFTER_S = 5;

/** How each kind of domain refusal is answered: the one place a rule's refusal meets HTTP. */
export const DOMAIN_ERROR_ANSWERS: Readonly<
  Record<DomainErrorKind, { status: number; title: string; title_zh: string }>
> = {
  invalid: { status: 400, title: 'Validation failed', title_zh: '输入有误' },
  forbidden: { status: 403, title: 'Forbidden', title_zh: '无权进行此操作' },
  'not-found': { status: 404, title: 'Not Found', title_zh: '未找到' },
  conflict: { status: 409, title: 'Conflict', title_zh: '与当前状态冲突' },
  unprocessable: { status: 422, title: 'Unprocessable Content', title_zh: '无法按要求办理' },
};

/**
 * A domain refusal as problem+json: the kind gives the status, the code travels as `code` (clients
 * translate and branch on it), the fields as `errors`, the details as extension members.
 */
export function domainProblem(error: DomainError): HttpProblem {
  const answer = DOMAIN_ERROR_ANSWERS[error.kind];
  return new HttpProblem(answer.status, error.title?.en ?? answer.title, error.detail, {
    ...error.details,
    title_zh: error.title?.zh ?? answer.title_zh,
    code: error.code,
    ...(error.fields.length > 0 ? { errors: error.fields.map((f) => ({ ...f })) } : {}),
  });
}

/** Turns any thrown value into an HttpProblem (status, body, headers); undefined for a 500. */
export function toHttpProblem(err: unknown): HttpProblem | undefined {
  if (err instanceof HttpProblem) return err;
  if (err instanceof DomainError) return domainProblem(err);
  if (err instanceof ZodError) return validationProblem(zodFieldErrors(err));
  if (!(err instanceof Error)) return undefined;

  const e = err as BodyParserError;
  switch (e.type) {
    case 'entity.parse.failed':
      return new HttpProblem(400, 'Malformed JSON', 'The request body is not valid JSON.', {
        title_zh: '请求体不是有效的 JSON',
      });
    case 'entity.too.large':
      return new HttpProblem(
        413,
        undefined,
        `The request body exceeds the limit of ${e.limit ?? '?'} bytes.`,
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpProblem(415, undefined, e.message);
    case 'request.aborted':
      return new HttpProblem(400, undefined, 'The request was aborted.');
    default:
      break;
  }

  if (err.name === 'ValidationError' && (err as MongooseValidationError).errors) {
    const errors: FieldError[] = Object.entries((err as MongooseValidationError).errors ?? {}).map(
      ([path, v]) => ({
        field: v.path ?? path,
        message: `Invalid value (${v.kind ?? 'invalid'})`,
        code: v.kind ?? 'invalid',
      }),
    );
    return validationProblem(errors);
  }
  if (err.name === 'CastError') {
    const c = err as MongooseCastError;
    return validationProblem([
      { field: c.path ?? '', message: `Expected ${c.kind ?? 'another type'}`, code: 'invalid_type' },
    ]);
  }
  if ((err as MongoServerError).code === 11000) {
    const keys = Object.keys((err as MongoServerError).keyPattern ?? {});
    return new HttpProblem(409, undefined, `Already exists${keys.length ? ` (${keys.join(', ')})` : ''}.`, {
      title_zh: '记录已存在',
    });
  }

  if (isUnavailableError(err)) {
    // Not the request's fault: the client sends it again once the dependency is back, with the
    // same Idempotency-Key where the route takes one (the store may have gone mid-request).
    return new HttpProblem(
      503,
      undefined,
      '存储或消息服务暂时无法访问，请稍后重试（使用同一幂等键）/ The store or the broker cannot be reached right now; retry shortly (with the same Idempotency-Key).',
      { title_zh: '服务暂不可用' },
      { 'Retry-After': String(UNAVAILABLE_RETRY_AFTER_S) },
    );
  }

  // Other http-errors style errors that are safe to show (4xx with expose).
  const status = e.status ?? e.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500 && e.expose !== false) {
    return new HttpProblem(status, undefined, e.message);
  }
  return undefined;
}

export interface ErrorHandlerOptions {
  logger: Logger;
}

/** The error-handling middleware: problem+json for everything, 500s logged with their stack. */
export function errorHandler(options: ErrorHandlerOptions): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const instance = req.originalUrl ? req.originalUrl.split('?')[0] : undefined;
    const requestId = requestIdOf(req);
    const known = toHttpProblem(err);
    if (known) {
      const body = { ...known.problem, instance: known.problem.instance ?? instance, requestId };
      if (known.status >= 500) logOf(req, options.logger).error({ err }, 'request failed');
      sendProblem(res, body, { ...known.headers });
      return;
    }
    logOf(req, options.logger).error({ err }, 'unexpected error');
    sendProblem(
      res,
      problem(500, undefined, 'An unexpected error occurred. Quote the request id when reporting it.', {
        instance,
        requestId,
      }),
    );
  };
}

function requestIdOf(req: Request): string | undefined {
  const id = (req as Request & { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

function logOf(req: Request, fallback: Logger): Logger {
  return (req as Request & { log?: Logger }).log ?? fallback;
}
