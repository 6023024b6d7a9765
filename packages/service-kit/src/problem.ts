// RFC 9457 problem details. `title` is English, a short summary for developers that does not change
// from occurrence to occurrence (RFC 9457 §3.1.4); `title_zh` is the same summary in Chinese for the
// portal, which shows `title_zh` (falling back to `title`) and, for a 400, highlights each entry of
// `errors` by its dotted `field` and maps its zod `code` to Chinese text. `detail` explains this
// occurrence; the thrower chooses its language (Chinese first where a person reads it).
import type { Response } from 'express';
import type { z } from 'zod';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** One bad input field: dotted path (`items.0.count`), message, and the zod issue code. */
export interface FieldError {
  field: string;
  message: string;
  code: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  title_zh?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** Titles by status: English (`title`) and Chinese (`title_zh`). */
export const STATUS_TITLES: Readonly<Record<number, readonly [en: string, zh: string]>> = {
  400: ['Bad Request', '请求有误'],
  401: ['Unauthorized', '未登录或登录已失效'],
  403: ['Forbidden', '无权进行此操作'],
  404: ['Not Found', '未找到'],
  405: ['Method Not Allowed', '不支持该请求方法'],
  406: ['Not Acceptable', '无法提供所要求的格式'],
  409: ['Conflict', '与当前状态冲突'],
  410: ['Gone', '已不存在'],
  412: ['Precondition Failed', '前提条件不满足'],
  413: ['Content Too Large', '请求内容过大'],
  415: ['Unsupported Media Type', '不支持的内容类型'],
  422: ['Unprocessable Content', '无法处理的内容'],
  428: ['Precondition Required', '缺少前提条件'],
  429: ['Too Many Requests', '请求过于频繁'],
  500: ['Internal Server Error', '服务器内部错误'],
  502: ['Bad Gateway', '上游服务出错'],
  503: ['Service Unavailable', '服务暂不可用'],
  504: ['Gateway Timeout', '上游服务超时'],
};

const RESERVED_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance']);

export interface ProblemExtras {
  /** A URI naming the problem type; default `about:blank` (the status says it all). */
  type?: string;
  title_zh?: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/**
 * A problem details object. `title` defaults to the status phrase, `title_zh` to its Chinese
 * counterpart when the title is the standard one.
 */
export function problem(
  status: number,
  title?: string,
  detail?: string,
  extra: ProblemExtras = {},
): ProblemDetails {
  const [en, zh] = STATUS_TITLES[status] ?? [
    status >= 500 ? 'Server Error' : 'Client Error',
    status >= 500 ? '服务器错误' : '请求错误',
  ];
  const resolvedTitle = title ?? en;
  const { type, title_zh, ...rest } = extra;
  const body: ProblemDetails = {
    type: type ?? 'about:blank',
    title: resolvedTitle,
    status,
  };
  const zhTitle = title_zh ?? (resolvedTitle === en ? zh : undefined);
  if (zhTitle !== undefined) body.title_zh = zhTitle;
  if (detail !== undefined) body.detail = detail;
  // Extension members never overwrite the members RFC 9457 defines (a refusal's details with a
  // `status` key must not change the answer's status).
  for (const [key, value] of Object.entries(rest)) {
    if (value !== undefined && !RESERVED_MEMBERS.has(key)) body[key] = value;
  }
  return body;
}

/** An error that the error handler answers with its problem details. Throw it from routes. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly problem: ProblemDetails;
  /** Extra response headers (e.g. WWW-Authenticate, Retry-After). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    title?: string,
    detail?: string,
    extra: ProblemExtras = {},
    headers: Record<string, string> = {},
  ) {
    const body = problem(status, title, detail, extra);
    super(detail ? `${body.title}: ${detail}` : body.title);
    this.name = 'HttpProblem';
    this.status = status;
    this.problem = body;
    this.headers = headers;
  }

  static badRequest(detail?: string, errors?: FieldError[]): HttpProblem {
    return new HttpProblem(400, undefined, detail, { errors });
  }
  static unauthorized(detail?: string, headers?: Record<string, string>): HttpProblem {
    return new HttpProblem(401, undefined, detail, {}, headers);
  }
  static forbidden(detail?: string): HttpProblem {
    return new HttpProblem(403, undefined, detail);
  }
  static notFound(detail?: string): HttpProblem {
    return new HttpProblem(404, undefined, detail);
  }
  static conflict(detail?: string, extra?: ProblemExtras): HttpProblem {
    return new HttpProblem(409, undefined, detail, extra);
  }
}

/** A zod path as a dotted field name: ['items', 0, 'count'] → 'items.0.count'. */
export function fieldPath(path: ReadonlyArray<PropertyKey>, prefix?: string): string {
  const parts = path.map((p) => (typeof p === 'symbol' ? (p.description ?? '') : String(p)));
  return [...(prefix ? [prefix] : []), ...parts].join('.');
}

/**
 * The field errors of a zod error. `prefix` names the part of the request (`query`, `params`); body
 * fields have none, so the portal matches them to form fields directly. An error at the root of
 * the body has the field '' (or the prefix).
 */
export function zodFieldErrors(error: z.ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => ({
    field: fieldPath(issue.path, prefix),
    message: issue.message,
    code: issue.code,
  }));
}

/** A 400 problem naming each bad field. */
export function validationProblem(errors: FieldError[], detail?: string): HttpProblem {
  const names = [...new Set(errors.map((e) => e.field || '(body)'))];
  return new HttpProblem(
    400,
    'Validation failed',
    // Chinese first, like every refusal a person may read; errors[] names each field for programs.
    detail ??
      `以下内容有误：${names.join('、')} / Invalid ${names.length === 1 ? 'field' : 'fields'}: ${names.join(', ')}`,
    { title_zh: '输入有误', errors },
  );
}

/** Writes a problem details response. */
export function sendProblem(res: Response, body: ProblemDetails, headers: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}
