import type { InvoiceRecordDoc, InvoiceRecordKind } from '../store/models';
import type { AppContext } from './context';

// The tax office's feed: every issued, red-letter and refused invoice in the order it was recorded,
// paged with an opaque cursor (the position after the last entry seen), so a reader can stop and
// resume at any point and poll for what is new. Entries are shown only once they are `settleMs` old:
// a document recorded a moment before another may commit after it, and a reader who had already
// moved past its position would otherwise never see it.

export interface FeedFilter {
  enterpriseId?: string;
  period?: string;
  kind?: InvoiceRecordKind;
  sellerKey?: string;
  /** Start at this instant instead of the beginning (ignored when a cursor is given). */
  since?: string;
}

export interface FeedEntry {
  id: string;
  type: string;
  kind: InvoiceRecordKind;
  recordedAt: string;
  data: Record<string, unknown>;
}

export interface FeedPage {
  items: FeedEntry[];
  /** Pass it back to continue after the last item; unchanged when nothing new was found. */
  nextCursor: string | null;
}

interface Position {
  t: number;
  id: string;
}

export class InvalidCursorError extends Error {}

export const encodeCursor = (p: Position): string => Buffer.from(JSON.stringify(p)).toString('base64url');

export function decodeCursor(cursor: string): Position {
  try {
    const p = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Position;
    if (typeof p.t === 'number' && Number.isFinite(p.t) && typeof p.id === 'string') return p;
  } catch {
    // fall through
  }
  throw new InvalidCursorError('invalid cursor');
}

export const toFeedEntry = (r: InvoiceRecordDoc): FeedEntry => ({
  id: r._id,
  type: r.eventType,
  kind: r.kind,
  recordedAt: r.recordedAt.toISOString(),
  data: r.data,
});

export async function readFeed(
  ctx: AppContext,
  filter: FeedFilter,
  options: { cursor?: string; limit: number; settleMs: number; now?: Date },
): Promise<FeedPage> {
  const position = options.cursor ? decodeCursor(options.cursor) : undefined;
  const settled = new Date((options.now ?? new Date()).getTime() - options.settleMs);
  const query: Record<string, unknown> = {};
  if (filter.enterpriseId) query.issuerId = filter.enterpriseId;
  if (filter.period) query.period = filter.period;
  if (filter.kind) query.kind = filter.kind;
  if (filter.sellerKey) query.sellerKey = filter.sellerKey;
  const conditions: Record<string, unknown>[] = [{ recordedAt: { $lte: settled } }];
  if (position) {
    const t = new Date(position.t);
    conditions.push({ $or: [{ recordedAt: { $gt: t } }, { recordedAt: t, _id: { $gt: position.id } }] });
  } else if (filter.since) {
    conditions.push({ recordedAt: { $gte: new Date(filter.since) } });
  }
  const records = await ctx.models.InvoiceRecord.find(
    { ...query, $and: conditions },
    { outbox: 0, outboxUpdatedAt: 0 },
  )
    .sort({ recordedAt: 1, _id: 1 })
    .limit(options.limit)
    .lean<InvoiceRecordDoc[]>();
  const last = records.at(-1);
  return {
    items: records.map(toFeedEntry),
    nextCursor: last
      ? encodeCursor({ t: last.recordedAt.getTime(), id: last._id })
      : (options.cursor ?? null),
  };
}

export async function getInvoiceRecord(ctx: AppContext, id: string): Promise<InvoiceRecordDoc | undefined> {
  const r = await ctx.models.InvoiceRecord.findById(id, {
    outbox: 0,
    outboxUpdatedAt: 0,
  }).lean<InvoiceRecordDoc>();
  return r ?? undefined;
}
