// A market lists its used-car transactions, newest sale first, a page at a time. Pages walk the
// market's months backwards (one point read each) and continue after the last transaction shown, so
// a transaction recorded meanwhile never shifts a page (it is shown or not, never twice).
import type { Principal } from '@recycling/contracts';
import { listedMarketOf } from '../domain/market-scope';
import { addMonths } from '../domain/months';
import type { MarketMonthStore, UsedCarView } from '../store/market-months';
import { currentMonthOf, type StatisticsContext } from './context';

/** A market lists at most five years of sales at a time (a page reads one document per month). */
export const MAX_LIST_MONTHS = 60;

export interface ListPosition {
  transactedOn: string;
  transactionId: string;
}

export interface UsedCarListQuery {
  from: string;
  to: string;
  limit: number;
  after?: ListPosition;
}

const newestFirst = (a: ListPosition, b: ListPosition): number =>
  b.transactedOn.localeCompare(a.transactedOn) ||
  (b.transactionId < a.transactionId ? -1 : b.transactionId > a.transactionId ? 1 : 0);

export const encodeCursor = (p: ListPosition): string =>
  Buffer.from(`${p.transactedOn}|${p.transactionId}`, 'utf8').toString('base64url');

/** The position a cursor names, or undefined when it is not one of ours. */
export function decodeCursor(cursor: string): ListPosition | undefined {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return undefined;
  const [transactedOn = '', ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const transactionId = rest.join('|');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(transactedOn) || !transactionId) return undefined;
  return { transactedOn, transactionId };
}

export async function listUsedCarTransactions(
  store: Pick<MarketMonthStore, 'month'>,
  marketId: string,
  q: UsedCarListQuery,
): Promise<{ items: UsedCarView[]; nextCursor?: string }> {
  const found: UsedCarView[] = [];
  const start = q.after && q.after.transactedOn.slice(0, 7) < q.to ? q.after.transactedOn.slice(0, 7) : q.to;
  for (let m = start; m >= q.from && found.length <= q.limit; m = addMonths(m, -1)) {
    const items = [...(await store.month(marketId, m))].sort(newestFirst);
    found.push(...(q.after ? items.filter((i) => newestFirst(q.after!, i) < 0) : items));
  }
  const items = found.slice(0, q.limit);
  const last = items.at(-1);
  return found.length > q.limit && last ? { items, nextCursor: encodeCursor(last) } : { items };
}

/** What a caller asks of the list; `to` defaults to the current month, or 60 months from `from`. */
export interface MarketListRequest {
  marketId?: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

export interface MarketListPage {
  marketId: string;
  from: string;
  to: string;
  items: UsedCarView[];
  nextCursor?: string;
}

/** A page of the transactions of the market the caller may list (its own, or the one named). */
export async function listMarketTransactions(
  ctx: Pick<StatisticsContext, 'marketMonths' | 'now' | 'profile'>,
  principal: Principal,
  request: MarketListRequest,
): Promise<MarketListPage> {
  const marketId = listedMarketOf(principal, request.marketId);
  const to =
    request.to ??
    [currentMonthOf(ctx), ...(request.from ? [addMonths(request.from, MAX_LIST_MONTHS - 1)] : [])].sort()[0]!;
  const from = request.from ?? addMonths(to, -11);
  const page = await listUsedCarTransactions(ctx.marketMonths, marketId, {
    from,
    to,
    limit: request.limit,
    after: request.cursor ? decodeCursor(request.cursor) : undefined,
  });
  return { marketId, from, to, ...page };
}
