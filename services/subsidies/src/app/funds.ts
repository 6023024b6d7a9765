import { DomainError, localDateTime } from '@recycling/contracts';
import { remainingFen, ZERO_TOTALS } from '../domain/budget';
import { allProgrammeYears, programmeYear } from '../domain/programmes';
import { claimView } from './claim-view';
import { listIds, type SubsidyContext } from './context';
import { neededEvidence } from './evidence';

// Oversight of the fund for the finance bureau (and, read only, the city's officials): per programme
// year the budget, what is committed, paid and reversed, and what remains; spending by Asia/Shanghai
// month; the whole chain behind any payment; a CSV of a month's payments with local times.

export async function fundOverview(ctx: SubsidyContext, year?: number) {
  const rows = [];
  for (const { programme, year: y } of allProgrammeYears(ctx.tradeIn)) {
    if (year !== undefined && y.year !== year) continue;
    const doc = await ctx.budgets.find(programme.code, y.year);
    const totals = doc ?? ZERO_TOTALS;
    rows.push({
      programmeCode: programme.code,
      programmeName: programme.name,
      kind: programme.kind,
      year: y.year,
      validFrom: y.validFrom,
      validTo: y.validTo,
      budgetFen: y.budgetFen,
      budgetAssumed: y.budgetAssumed,
      committedFen: totals.committedFen,
      paidFen: totals.paidFen,
      reversedFen: totals.reversedFen,
      remainingFen: remainingFen(y.budgetFen, totals),
    });
  }
  return rows;
}

export async function monthlySpending(ctx: SubsidyContext, programmeCode: string, year: number) {
  const { programme, year: y } = programmeYear(ctx.tradeIn, programmeCode, year);
  const doc = await ctx.budgets.find(programme.code, y.year);
  const months = Object.entries(doc?.monthly ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, t]) => ({ month, ...t }));
  return {
    programmeCode: programme.code,
    programmeName: programme.name,
    year: y.year,
    budgetFen: y.budgetFen,
    months,
  };
}

/** From a payment, one call: the claim, the evidence events with their ids, the decisions, the money. */
export async function paymentChain(ctx: SubsidyContext, paymentId: string) {
  const payment = await ctx.payments.get(paymentId);
  if (!payment) {
    throw DomainError.notFound(
      'payment-not-found',
      `未找到支付 ${paymentId} / Payment ${paymentId} not found.`,
    );
  }
  const claim = await ctx.claims.get(payment.claimId);
  const evidence = await ctx.evidence.getMany(neededEvidence(claim));
  const entries = await ctx.budgets.entriesOf(claim.programmeCode, claim.programmeYear, claim._id);
  const batch = await ctx.payments.batch(payment.batchId);
  const view = claimView(ctx, claim, 'official');
  return {
    payment: {
      paymentId: payment._id,
      claimId: payment.claimId,
      batchId: payment.batchId,
      amountFen: payment.amountFen,
      payee: payment.payee,
      status: payment.status,
      releasedBy: payment.releasedBy,
      releasedAt: new Date(payment.releasedAt).toISOString(),
      ...(payment.completedAt ? { completedAt: new Date(payment.completedAt).toISOString() } : {}),
    },
    claim: view,
    evidence: {
      refs: claim.evidence.refs,
      records: [...evidence.entries()].map(([key, data]) => ({ key, data: data as Record<string, unknown> })),
    },
    decisions: view.history,
    budgetEntries: entries.map((e) => ({
      entryId: e._id,
      kind: e.kind,
      amountFen: e.amountFen,
      at: new Date(e.at).toISOString(),
      ...(e.by ? { by: e.by } : {}),
    })),
    batch: batch
      ? {
          batchId: batch._id,
          releasedBy: batch.releasedBy,
          releasedAt: new Date(batch.releasedAt).toISOString(),
        }
      : null,
  };
}

const csvCell = (value: string | number): string => {
  const s = String(value);
  // Formula injection: a cell starting with = + - @ is read as a formula by spreadsheets.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export const toCsv = (rows: ReadonlyArray<ReadonlyArray<string | number>>): string =>
  `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;

/** A month's payments (an Asia/Shanghai month), times in the city's zone with the offset written. */
export async function paymentsCsvRows(
  ctx: SubsidyContext,
  month: string,
): Promise<Array<Array<string | number>>> {
  const ids = await ctx.lists.ids(listIds.payments(month));
  const payments = await ctx.payments.many(ids);
  const tz = ctx.profile.timezone;
  const header = [
    '支付编号 payment',
    '申请编号 claim',
    '项目 programme',
    '年度 year',
    '金额（元）amount (yuan)',
    '金额（分）amount (fen)',
    '收款方 payee',
    '批次 batch',
    '拨付人 released by',
    `拨付时间 released at (${tz})`,
    `完成时间 completed at (${tz})`,
  ];
  const rows: Array<Array<string | number>> = [header];
  for (const p of payments) {
    rows.push([
      p._id,
      p.claimId,
      p.programmeCode,
      p.programmeYear,
      (p.amountFen / 100).toFixed(2),
      p.amountFen,
      p.payee.kind === 'retailer' ? `retailer:${p.payee.retailerId}` : 'applicant',
      p.batchId,
      p.releasedBy,
      localDateTime(new Date(p.releasedAt), tz),
      p.completedAt ? localDateTime(new Date(p.completedAt), tz) : '',
    ]);
  }
  return rows;
}
