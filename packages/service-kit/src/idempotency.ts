// Idempotency-Key for POST requests that create something (a booking, an intake): a client that
// retries after a timeout gets the first answer again instead of a second record.
//
// FerretDB v1 does not make conditional updates atomic (docs/conventions.md), so the key is claimed
// by INSERTING `<scope>#<key>`, which is. The first request's answer (status, body, headers) is
// stored on the claim and replayed to retries, refusals (4xx) included, because a refusal is the
// answer to that request. A retry with another body is a client bug: 422. A claim left pending by a
// request that crashed is taken over once it is older than `staleAfterMs`; a `reserve`d value (the
// id of the record to create) is kept across the takeover, so the new attempt can find what the
// crashed one made. `#` separates scope and key because keys may contain `:` but never `#`.
import { createHash, randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Connection } from 'mongoose';
import { z } from 'zod';
import { groupedWrites } from '@recycling/store';
import { toHttpProblem } from './error-handler';
import { HttpProblem, validationProblem, zodFieldErrors, type ProblemDetails } from './problem';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/** The documented and validated header; `description` says what a retry gets on this route. */
export const idempotencyKeyHeader = (
  description = 'A retried request with the same key returns the first answer instead of acting twice',
) =>
  z.object({
    [IDEMPOTENCY_HEADER]: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,128}$/, '1-128 of letters, digits and . _ : -')
      .optional()
      .describe(description),
  });

export type IdempotencyHeaderSchema = ReturnType<typeof idempotencyKeyHeader>;

/** What a request answered: replayed as is to its retries. */
export interface IdempotentAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface IdempotencyOptions {
  connection: Connection;
  /** Whose keys these are (a resident, an operator at a station): keys of different scopes never meet. */
  scopeOf: (req: Request) => string;
  /** What must be the same for a retry; default the (parsed) body. */
  fingerprintOf?: (req: Request) => unknown;
  /** A value chosen with the claim and kept when a stale claim is taken over, stored under `field`. */
  reserve?: { field: string; make: (req: Request) => string };
  /** Default `idempotency_keys`. */
  collection?: string;
  /** A pending claim older than this is taken to be abandoned by a crash; default 60 s. */
  staleAfterMs?: number;
  /** Default `idempotencyKeyHeader()`; pass the schema the route documents. */
  header?: IdempotencyHeaderSchema;
  now?: () => Date;
}

interface ClaimDoc {
  _id: string;
  requestHash: string;
  state: 'pending' | 'done';
  attempt: string;
  response?: IdempotentAnswer;
  createdAt: Date;
  [reserved: string]: unknown;
}

type Claim =
  | { kind: 'new'; id: string; attempt: string; reserved?: string }
  | { kind: 'replay'; answer: IdempotentAnswer };

/** The work of the request; gets the reserved value (if any) and returns its answer. */
export type IdempotentWork = (reserved: string | undefined) => Promise<IdempotentAnswer>;

/** Runs `work` once per key and sends its answer; call it from a route handler after validation. */
export type IdempotencyGuard = (req: Request, res: Response, work: IdempotentWork) => Promise<void>;

const DEFAULT_STALE_MS = 60_000;
const CLAIM_ROUNDS = 3;

/** SHA-256 of the value as JSON with sorted keys, so key order and undefined fields do not matter. */
export const requestHashOf = (value: unknown): string =>
  createHash('sha256').update(stableJson(value)).digest('hex');

const stableJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

const inProgress = (detail: string) =>
  new HttpProblem(409, 'Request in progress', detail, { title_zh: '请求处理中' }, { 'Retry-After': '1' });

/** A stored refusal, thrown again so the error handler answers it with this request's id. */
const replayedProblem = (answer: IdempotentAnswer): HttpProblem => {
  const body = answer.body as ProblemDetails;
  const { type, title, detail, status: _s, instance: _i, requestId: _r, ...extra } = body;
  return new HttpProblem(
    answer.status,
    title,
    detail,
    { type, ...extra },
    { ...answer.headers, [REPLAYED_HEADER]: 'true' },
  );
};

const send = (res: Response, answer: IdempotentAnswer, replayed: boolean) => {
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
  if (replayed) res.setHeader(REPLAYED_HEADER, 'true');
  res.status(answer.status).json(answer.body);
};

export function idempotent(options: IdempotencyOptions): IdempotencyGuard {
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_MS;
  const header = options.header ?? idempotencyKeyHeader();
  const now = options.now ?? (() => new Date());
  const fingerprintOf = options.fingerprintOf ?? ((req: Request) => req.body as unknown);
  const claims = () => options.connection.collection<ClaimDoc>(options.collection ?? 'idempotency_keys');
  // The keys of requests that arrive together are claimed and completed in one bulk write each.
  const writes = () => groupedWrites(claims());

  /**
   * Claims the key for this request. Nearly every request brings a key never seen, so the claim is
   * inserted at once (reading first cost a second round trip: issue 17), grouped with the claims of
   * other requests; the holder is read only when the insert finds the key taken.
   */
  async function claim(id: string, requestHash: string, req: Request): Promise<Claim> {
    let reserved: string | undefined;
    for (let round = 0; round < CLAIM_ROUNDS; round++) {
      const attempt = randomUUID();
      reserved ??= options.reserve?.make(req);
      const doc: ClaimDoc = {
        _id: id,
        requestHash,
        state: 'pending',
        attempt,
        createdAt: now(),
        ...(options.reserve && reserved !== undefined ? { [options.reserve.field]: reserved } : {}),
      };
      if (await writes().insert(doc)) return { kind: 'new', id, attempt, reserved };
      const existing = await claims().findOne({ _id: id });
      if (!existing) continue; // its holder gave it up meanwhile: claim it again
      if (existing.requestHash !== requestHash) {
        throw new HttpProblem(
          422,
          'Idempotency key reused',
          '该幂等键已用于另一请求 / This Idempotency-Key was used with a different request.',
          { title_zh: '幂等键已被另一请求使用' },
        );
      }
      if (existing.state === 'done' && existing.response)
        return { kind: 'replay', answer: existing.response };
      if (now().getTime() - new Date(existing.createdAt).getTime() < staleAfterMs) {
        throw inProgress(
          '相同请求正在处理中，请稍后重试 / The same request is still being processed; retry shortly.',
        );
      }
      // Abandoned: remove that attempt's claim only (a concurrent takeover may already have replaced
      // it) and claim again with what it reserved.
      await claims().deleteOne({ _id: id, attempt: existing.attempt });
      const kept = options.reserve ? existing[options.reserve.field] : undefined;
      if (typeof kept === 'string') reserved = kept;
    }
    throw inProgress('请稍后重试 / Please retry shortly.');
  }

  // Stored as the client saw it: through JSON, so an undefined field stays absent (the driver would
  // store null) and a Date is the string the first answer carried. Only the attempt that holds the
  // claim stores its answer (one taken over as abandoned must not overwrite its successor's). The
  // holder is read, then written, both by `_id` alone: FerretDB serves a filter of `_id` and
  // `attempt` without the `_id` index, 13–39 ms a write against 3 ms for a read and a write by
  // `_id` (measured here), and a conditional update is no more atomic there (decision 8).
  const complete = async (c: Extract<Claim, { kind: 'new' }>, answer: IdempotentAnswer) => {
    const holder = await claims().findOne({ _id: c.id }, { projection: { attempt: 1 } });
    if (holder?.attempt !== c.attempt) return;
    await writes().updateOne(
      { _id: c.id },
      { $set: { state: 'done', response: JSON.parse(JSON.stringify(answer)) as IdempotentAnswer } },
    );
  };

  /** An unexpected failure is not an answer to replay: free the key so a retry runs again. */
  const abandon = (c: Extract<Claim, { kind: 'new' }>) =>
    writes().deleteOne({ _id: c.id, attempt: c.attempt });

  return async (req, res, work) => {
    const parsed = header.safeParse({ [IDEMPOTENCY_HEADER]: req.get(IDEMPOTENCY_HEADER) });
    if (!parsed.success) throw validationProblem(zodFieldErrors(parsed.error, 'headers'));
    const key = parsed.data[IDEMPOTENCY_HEADER];
    if (!key) {
      send(res, await work(options.reserve?.make(req)), false);
      return;
    }
    const c = await claim(`${options.scopeOf(req)}#${key}`, requestHashOf(fingerprintOf(req)), req);
    if (c.kind === 'replay') {
      if (c.answer.status >= 400) throw replayedProblem(c.answer);
      send(res, c.answer, true);
      return;
    }
    let answer: IdempotentAnswer;
    try {
      answer = await work(c.reserved);
    } catch (error) {
      // A refusal (a domain error or a 4xx) is this request's answer; anything else is not.
      const refusal = toHttpProblem(error);
      if (refusal && refusal.status < 500) {
        await complete(c, { status: refusal.status, body: refusal.problem, headers: { ...refusal.headers } });
      } else {
        await abandon(c).catch(() => undefined);
      }
      throw error;
    }
    await complete(c, answer);
    send(res, answer, false);
  };
}
