import { DomainError, type Principal } from '@recycling/contracts';
import type { Enterprise } from '../domain/enterprise';
import { enterpriseMatches, parseEnterpriseFilter } from '../domain/enterprise-filter';
import type { FeedStart, InvoiceFilter } from '../store/invoice-repository';
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
  /** Part of the issuer's name (the tax desk's filter; the enterprises are few, see `issuersOf`). */
  enterpriseName?: string;
  /** The issuer's unified social credit code. */
  creditCode?: string;
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

/**
 * The store's filter for a feed filter: the enterprise named by id, or by name or credit code (the
 * enterprises are a small collection, read whole, docs/conventions.md); undefined when no enterprise
 * answers the name or code, so nothing can match.
 */
async function storeFilter(
  ctx: InvoicingContext,
  { enterpriseId, enterpriseName, creditCode, since: _since, ...filter }: FeedFilter,
): Promise<{ where?: InvoiceFilter; matched?: Enterprise[] }> {
  const byName = parseEnterpriseFilter({ enterpriseName, creditCode });
  if (!byName.name && !byName.creditCode) return { where: { ...filter, issuerId: enterpriseId } };
  const matched = (await ctx.enterprises.list()).filter(
    (e) => enterpriseMatches(byName, e) && (!enterpriseId || e.enterpriseId === enterpriseId),
  );
  const issuerIds = matched.map((e) => e.enterpriseId);
  return issuerIds.length > 0 ? { where: { ...filter, issuerIds }, matched } : { matched };
}

/** A page of the feed, from the start (or `since`) or after the cursor. */
export async function readFeed(
  ctx: InvoicingContext,
  filter: FeedFilter,
  options: { cursor?: string; limit: number },
): Promise<FeedPage> {
  const position = options.cursor ? decodeCursor(options.cursor) : undefined;
  const start: FeedStart = position
    ? { after: { recordedAt: new Date(position.t), id: position.id } }
    : filter.since
      ? { since: new Date(filter.since) }
      : undefined;
  const settled = new Date(ctx.now().getTime() - ctx.feedSettleMs);
  const { where } = await storeFilter(ctx, filter);
  const records = where ? await ctx.invoices.page(where, start, settled, options.limit) : [];
  const last = records.at(-1);
  return {
    items: records.map(toFeedEntry),
    nextCursor: last
      ? encodeCursor({ t: last.recordedAt.getTime(), id: last._id })
      : (options.cursor ?? null),
  };
}

export interface FeedTotals {
  /** Entries of the filter: invoices, red-letter invoices and refusals. */
  count: number;
  issued: number;
  reversed: number;
  refused: number;
  /** Sums over invoices and red-letter invoices (negative), in fen: net of reversals. */
  amountFen: number;
  vatFen: number;
  totalFen: number;
  /** The enterprises the name or credit code matched (all of them for a filter without one). */
  enterprises: { enterpriseId: string; name: string; taxpayerId: string }[];
}

/**
 * Totals of every settled entry of the filter (not of a page): what the tax desk shows above the
 * list. Reads the filter's entries (a filter on fields other than `_id`, the tax office's rare path).
 */
export async function feedTotals(ctx: InvoicingContext, filter: FeedFilter): Promise<FeedTotals> {
  const settled = new Date(ctx.now().getTime() - ctx.feedSettleMs);
  const { where, matched } = await storeFilter(ctx, filter);
  const sums = where
    ? await ctx.invoices.totals(where, filter.since ? new Date(filter.since) : undefined, settled)
    : { issued: 0, reversed: 0, refused: 0, amountFen: 0, vatFen: 0, totalFen: 0 };
  // Matched by name or code: read already. By id alone: that one enterprise.
  const byId = where?.issuerId ? await ctx.enterprises.find(where.issuerId) : undefined;
  const enterprises = matched ?? (byId ? [byId] : []);
  return {
    count: sums.issued + sums.reversed + sums.refused,
    ...sums,
    enterprises: enterprises.map((e) => ({
      enterpriseId: e.enterpriseId,
      name: e.name,
      taxpayerId: e.taxpayerId,
    })),
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
