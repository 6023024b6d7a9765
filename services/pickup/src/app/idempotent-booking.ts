import { createHash, randomUUID } from 'node:crypto';
import { HttpProblem } from '@recycling/service-kit';
import { isDuplicateKey, type IdempotencyDoc } from '../store/models';
import type { PickupContext } from './context';

// Idempotency-Key on booking. The key is claimed by inserting `(resident, key)`, which is atomic; the
// first request's answer is stored with it and replayed to retries. A retry with another body is a
// client bug (422). A claim left pending by a crashed request is taken over after STALE_MS, and the
// takeover books under the same pickup id, so it finds what the crashed attempt made.

const STALE_MS = 60_000;

export type Claim =
  | { kind: 'new'; pickupId: string; attempt: string; id: string }
  | { kind: 'replay'; status: number; body: unknown };

export const requestHashOf = (body: unknown): string =>
  createHash('sha256').update(stableJson(body)).digest('hex');

const stableJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

export async function claimKey(
  ctx: PickupContext,
  residentId: string,
  key: string,
  requestHash: string,
  newPickupId: () => string,
): Promise<Claim> {
  const id = `${residentId}#${key}`;
  for (let round = 0; round < 3; round++) {
    const attempt = randomUUID();
    const existing = await ctx.models.Idempotency.findById(id).lean();
    if (!existing) {
      const doc: IdempotencyDoc = {
        _id: id,
        requestHash,
        state: 'pending',
        pickupId: newPickupId(),
        attempt,
        createdAt: ctx.now(),
      };
      try {
        await ctx.models.Idempotency.collection.insertOne(doc as never);
        return { kind: 'new', pickupId: doc.pickupId, attempt, id };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        continue; // someone else claimed it first: read theirs
      }
    }
    if (existing.requestHash !== requestHash) {
      throw new HttpProblem(
        422,
        'Idempotency key reused',
        '该幂等键已用于另一请求 / This Idempotency-Key was used with a different request.',
        { title_zh: '幂等键已被另一请求使用' },
      );
    }
    if (existing.state === 'done' && existing.response) {
      return { kind: 'replay', status: existing.response.status, body: existing.response.body };
    }
    if (ctx.now().getTime() - new Date(existing.createdAt).getTime() < STALE_MS) {
      throw new HttpProblem(
        409,
        'Request in progress',
        '相同请求正在处理中，请稍后重试 / The same request is still being processed; retry shortly.',
        { title_zh: '请求处理中' },
        { 'Retry-After': '1' },
      );
    }
    // Abandoned: remove that attempt's claim (only it) and claim again with the same pickup id.
    await ctx.models.Idempotency.deleteOne({ _id: id, attempt: existing.attempt });
    const pickupId = existing.pickupId;
    newPickupId = () => pickupId;
  }
  throw new HttpProblem(
    409,
    'Request in progress',
    '请稍后重试 / Please retry shortly.',
    {},
    { 'Retry-After': '1' },
  );
}

export async function completeKey(
  ctx: PickupContext,
  claim: Extract<Claim, { kind: 'new' }>,
  response: { status: number; body: unknown },
): Promise<void> {
  await ctx.models.Idempotency.updateOne(
    { _id: claim.id, attempt: claim.attempt },
    { $set: { state: 'done', response } },
  );
}

/** An unexpected failure is not an answer to replay: free the key so a retry runs again. */
export async function abandonKey(ctx: PickupContext, claim: Extract<Claim, { kind: 'new' }>): Promise<void> {
  await ctx.models.Idempotency.deleteOne({ _id: claim.id, attempt: claim.attempt });
}
