import { DomainError, type Principal } from '@recycling/contracts';
import type { FeedStart } from '../store/invoice-repository';
import type { InvoiceRecordDoc, InvoiceRecordKind } from '../store/models';
import type { InvoicingContext } from './context';
import { assertEnterpriseScope } from './enterprises';

// The tax office's feed: every issued, red-letter and refused invoice in the order it was recorded,
// paged with an opaque cursor (the position after the last entry seen), so a reader can stop and
// resume at any point and poll for what is new. Entries are shown only once they are
// `ctx.feedSettleMs` old: a document recorded a moment before another may commit after it, and a
// reader who had already moved past its position would otherwise never see it.

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

const encodeCursor = (p: Position): string => Buffer.from(JSON.stringify(p)).toString('base64url');

function decodeCursor(cursor: string): Position {
  try {
    const p = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Position;
    if (typeof p.t === 'number' && Number.isFinite(p.t) && typeof p.id === 'string') return p;
  } catch {
    // fall through
  }
  throw DomainError.invalid(
    'invalid-cursor',
    'query.cursor',
    '不是本数据流给出的游标 / Not a cursor this feed issued.',
  );
}

const toFeedEntry = (r: InvoiceRecordDoc): FeedEntry => ({
  id: r._id,
  type: r.eventType,
  kind: r.kind,
  recordedAt: r.recordedAt.toISOString(),
  data: r.data,
});

/** A page of the feed, from the start (or `since`) or after the cursor. */
export async function readFeed(
  ctx: InvoicingContext,
  { enterpriseId, since, ...filter }: FeedFilter,
  options: { cursor?: string; limit: number },
): Promise<FeedPage> {
  const position = options.cursor ? decodeCursor(options.cursor) : undefined;
  const start: FeedStart = position
    ? { after: { recordedAt: new Date(position.t), id: position.id } }
    : since
      ? { since: new Date(since) }
      : undefined;
  const settled = new Date(ctx.now().getTime() - ctx.feedSettleMs);
  const records = await ctx.invoices.page(
    { ...filter, issuerId: enterpriseId },
    start,
    settled,
    options.limit,
  );
  const last = records.at(-1);
  return {
    items: records.map(toFeedEntry),
    nextCursor: last
      ? encodeCursor({ t: last.recordedAt.getTime(), id: last._id })
      : (options.cursor ?? null),
  };
}

/** An enterprise's own invoices, for the caller who may read them. */
export async function readEnterpriseInvoices(
  ctx: InvoicingContext,
  principal: Principal,
  enterpriseId: string,
  filter: Omit<FeedFilter, 'enterpriseId'>,
  options: { cursor?: string; limit: number },
): Promise<FeedPage> {
  await assertEnterpriseScope(ctx, principal, enterpriseId);
  return readFeed(ctx, { ...filter, enterpriseId }, options);
}

/** One invoice, red-letter invoice or refusal, if the caller may read its issuer's. */
export async function getInvoice(ctx: InvoicingContext, principal: Principal, invoiceId: string) {
  const record = await ctx.invoices.get(invoiceId);
  await assertEnterpriseScope(ctx, principal, record.issuerId);
  return toFeedEntry(record);
}
