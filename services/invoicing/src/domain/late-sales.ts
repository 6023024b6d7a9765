import type { ReverseInvoicingTax } from '@recycling/contracts';
import { addMonths, localDateOf, monthOf } from './months';

// When a sale is dated in a month whose declaration is already filed (docs/decisions/18): the
// invoice is issued in the open month, dated when it is issued, and names the sale's time
// (`saleOccurredAt`); a filed declaration is never reopened. A month is open until the end of the
// `declarationDueDay` of the following month (the filing period, 申报期); a sale dated more than
// `lateSaleMaxMonths` calendar months before the current month is refused.

export type SaleTiming =
  /** Dated in an open month: invoiced at the sale's time, in the sale's month. */
  | { kind: 'on-time' }
  /** Dated in a closed month: invoiced at `invoicedAt` (when decided), in the current month. */
  | { kind: 'late'; invoicedAt: string; closedMonth: string }
  /** Dated before `earliestMonth`: refused (what it reverses is reversed at `invoicedAt`). */
  | { kind: 'too-old'; invoicedAt: string; earliestMonth: string };

/** The earliest month still open at `now`: last month until its filing day has ended, else this one. */
export function earliestOpenMonth(now: Date | string, rules: ReverseInvoicingTax, timeZone: string): string {
  const today = localDateOf(now, timeZone);
  const current = today.slice(0, 7);
  return Number(today.slice(8, 10)) <= rules.declarationDueDay ? addMonths(current, -1) : current;
}

/** How a sale dated `occurredAt` is invoiced when it is decided at `now`. */
export function saleTiming(
  occurredAt: string,
  now: Date | string,
  rules: ReverseInvoicingTax,
  timeZone: string,
): SaleTiming {
  const month = monthOf(occurredAt, timeZone);
  const earliestMonth = addMonths(monthOf(now, timeZone), -rules.lateSaleMaxMonths);
  const invoicedAt = new Date(now).toISOString();
  if (month < earliestMonth) return { kind: 'too-old', invoicedAt, earliestMonth };
  if (month >= earliestOpenMonth(now, rules, timeZone)) return { kind: 'on-time' };
  return { kind: 'late', invoicedAt, closedMonth: month };
}
