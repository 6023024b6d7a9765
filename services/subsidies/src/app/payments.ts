import { DomainError, SubsidyEventTypes, type Principal } from '@recycling/contracts';
import { localMonthOf } from '../domain/calendar';
import { needsPayment } from '../domain/claim-lifecycle';
import { programmeYear } from '../domain/programmes';
import { open } from '../domain/protect';
import { paymentIdOf } from '../domain/references';
import type { PaymentBatchDoc, PaymentDoc } from '../store/models';
import type { SealedApplicant } from './car-claims';
import { listIds, type SubsidyContext } from './context';

// A finance officer releases the approved claims of a programme year in a batch. Each claim is paid
// at most once, whatever crashes, retries or replicas do: its payment (`pay-<claimId>`) is claimed by
// insert before anything else; the budget's `pay` entry, the claim's `paid` status (with its event)
// and the payment's completion each happen once and are repeated harmlessly. A payment another
// release left `initiated` (it crashed) is completed by the next batch, never made twice.

export interface PaymentBatchInput {
  programmeCode: string;
  year: number;
  claimIds?: string[];
  limit: number;
}

/** An `initiated` payment older than this was left by a crashed release, and is taken over. */
const ABANDONED_AFTER_MS = 60_000;

type Outcome =
  | { paid: true; claimId: string; paymentId: string; amountFen: number }
  | { paid: false; claimId: string; code: string };

export function batchView(doc: PaymentBatchDoc) {
  return {
    batchId: doc._id,
    programmeCode: doc.programmeCode,
    programmeYear: doc.programmeYear,
    paid: doc.paid,
    skipped: doc.skipped,
    totalFen: doc.totalFen,
    releasedBy: doc.releasedBy,
    releasedAt: new Date(doc.releasedAt).toISOString(),
  };
}
export type PaymentBatchView = ReturnType<typeof batchView>;

async function payClaim(
  ctx: SubsidyContext,
  principal: Principal,
  claimId: string,
  batchId: string,
  expected: { programmeCode: string; year: number },
): Promise<Outcome> {
  const claim = await ctx.claims.find(claimId);
  if (!claim || claim.programmeCode !== expected.programmeCode || claim.programmeYear !== expected.year) {
    return { paid: false, claimId, code: 'claim-not-found' };
  }
  const paymentId = paymentIdOf(claimId);
  // A claim saved `paid` by a release that crashed before completing its payment is completed below.
  const earlier = claim.status === 'paid' ? await ctx.payments.get(paymentId) : null;
  if (claim.status === 'paid' && earlier?.status !== 'initiated') {
    return { paid: false, claimId, code: 'already-paid' };
  }
  if (claim.status !== 'approved' && claim.status !== 'paid')
    return { paid: false, claimId, code: 'not-approved' };

  const now = ctx.now();
  const payment: PaymentDoc = {
    _id: paymentId,
    claimId,
    batchId,
    programmeCode: claim.programmeCode,
    programmeYear: claim.programmeYear,
    amountFen: claim.amountFen,
    payee: claim.sale ? { kind: 'retailer', retailerId: claim.sale.retailerId } : { kind: 'applicant' },
    status: 'initiated',
    releasedBy: principal.sub,
    releasedAt: now,
  };
  const claimed = await ctx.payments.claimPayment(payment);
  let record = payment;
  if (!claimed.claimed) {
    const holder = claimed.holder;
    if (!holder) return { paid: false, claimId, code: 'payment-in-progress' };
    if (holder.status === 'completed') return { paid: false, claimId, code: 'already-paid' };
    const abandoned = now.getTime() - new Date(holder.releasedAt).getTime() > ABANDONED_AFTER_MS;
    if (holder.batchId !== batchId && !abandoned)
      return { paid: false, claimId, code: 'payment-in-progress' };
    record = holder; // ours from a crashed attempt, or abandoned by another: completed here, once
  }

  // Completed under the payment's lock: two batches taking over one abandoned payment complete it once.
  return ctx.payments.oneCompleterAtATime(paymentId, async (): Promise<Outcome> => {
    const current = await ctx.payments.get(paymentId);
    if (!current) return { paid: false, claimId, code: 'not-approved' }; // withdrawn meanwhile
    if (current.status === 'completed') return { paid: false, claimId, code: 'already-paid' };
    // The claim first, under its lock: a sale returned meanwhile is not paid (and its payment withdrawn).
    const { result: payable } = await ctx.claims.update(claimId, (doc) => {
      if (doc.status !== 'approved' && doc.status !== 'paid') return { result: false };
      if (!needsPayment(doc)) return { result: true };
      const event = ctx.events(
        SubsidyEventTypes.claimPaid,
        {
          claimId,
          programmeCode: doc.programmeCode,
          programmeKind: doc.kind,
          programmeYear: doc.programmeYear,
          districtCode: doc.districtCode,
          paymentId,
          batchId: record.batchId,
          amountFen: record.amountFen,
          payee: record.payee,
          releasedBy: record.releasedBy,
          occurredAt: now.toISOString(),
        },
        { subject: claimId },
      );
      doc.status = 'paid';
      doc.paidAt = now;
      doc.payment = { paymentId, batchId: record.batchId };
      doc.history.push({
        at: now,
        action: 'paid',
        by: { role: principal.role, id: principal.sub },
        eventId: event.id,
      });
      return { events: [event], result: true };
    });
    if (!payable) {
      await ctx.payments.withdraw(paymentId, claimId);
      return { paid: false, claimId, code: 'not-approved' };
    }
    await ctx.budgets.apply({
      programmeCode: record.programmeCode,
      year: record.programmeYear,
      claimId,
      kind: 'pay',
      amountFen: record.amountFen,
      by: principal.sub,
    });
    await ctx.lists.add(listIds.payments(localMonthOf(new Date(record.releasedAt), ctx.profile.timezone)), [
      paymentId,
    ]);
    await ctx.payments.complete(paymentId, now);
    await ctx.lists.remove(listIds.payable(record.programmeCode, record.programmeYear), [claimId]);
    return { paid: true, claimId, paymentId, amountFen: record.amountFen };
  });
}

/** Releases a batch under `batchId` (reserved with the Idempotency-Key: a retry completes the same batch). */
export async function releasePayments(
  ctx: SubsidyContext,
  principal: Principal,
  input: PaymentBatchInput,
  batchId: string,
): Promise<PaymentBatchView> {
  const done = await ctx.payments.batch(batchId);
  if (done) return batchView(done);
  const { programme, year } = programmeYear(ctx.tradeIn, input.programmeCode, input.year);
  const candidates = (
    input.claimIds ?? (await ctx.lists.ids(listIds.payable(programme.code, year.year)))
  ).slice(0, input.limit);
  const outcomes: Outcome[] = [];
  for (const claimId of candidates) {
    outcomes.push(
      await payClaim(ctx, principal, claimId, batchId, { programmeCode: programme.code, year: year.year }),
    );
  }
  const paid = outcomes.flatMap((o) =>
    o.paid ? [{ claimId: o.claimId, paymentId: o.paymentId, amountFen: o.amountFen }] : [],
  );
  const batch: PaymentBatchDoc = {
    _id: batchId,
    programmeCode: programme.code,
    programmeYear: year.year,
    paid,
    skipped: outcomes.flatMap((o) => (o.paid ? [] : [{ claimId: o.claimId, code: o.code }])),
    totalFen: paid.reduce((s, p) => s + p.amountFen, 0),
    releasedBy: principal.sub,
    releasedAt: ctx.now(),
  };
  await ctx.lists.add(listIds.batches(programme.code, year.year), [batchId]);
  const saved = await ctx.payments.saveBatch(batch);
  ctx.logger.info(
    { batchId, paid: paid.length, skipped: batch.skipped.length, totalFen: batch.totalFen },
    'payment batch released',
  );
  return batchView(saved);
}

export async function getPaymentBatch(ctx: SubsidyContext, batchId: string): Promise<PaymentBatchView> {
  const batch = await ctx.payments.batch(batchId);
  if (!batch)
    throw DomainError.notFound(
      'batch-not-found',
      `未找到拨付批次 ${batchId} / Payment batch ${batchId} not found.`,
    );
  return batchView(batch);
}

/** A programme year's payment batches, newest first (at most `limit`), read by `_id` from its list. */
export async function listPaymentBatches(
  ctx: SubsidyContext,
  programmeCode: string,
  year: number,
  limit = 50,
): Promise<PaymentBatchView[]> {
  const ids = (await ctx.lists.ids(listIds.batches(programmeCode, year))).slice(-limit).reverse();
  const batches = await Promise.all(ids.map((id) => ctx.payments.batch(id)));
  return batches.filter((b): b is NonNullable<typeof b> => Boolean(b)).map(batchView);
}

/**
 * The bank's transfer file of a batch: the one place the applicants' sealed card numbers are opened.
 * Never logged; answered with no-store. Retailers are paid to the account they registered with the
 * finance bureau, named by their id.
 */
export async function bankFileRows(ctx: SubsidyContext, batchId: string): Promise<string[][]> {
  const batch = await ctx.payments.batch(batchId);
  if (!batch)
    throw DomainError.notFound(
      'batch-not-found',
      `未找到拨付批次 ${batchId} / Payment batch ${batchId} not found.`,
    );
  const claims = await ctx.claims.findMany(batch.paid.map((p) => p.claimId));
  const rows = [['支付编号 payment', '收款人 payee', '卡号 card', '开户行 bank', '金额（元）amount (yuan)']];
  for (const p of batch.paid) {
    const claim = claims.find((c) => c._id === p.claimId);
    if (claim?.applicant) {
      const a = open<SealedApplicant>(ctx.dataKey, claim._id, claim.applicant.sealed);
      rows.push([
        p.paymentId,
        a.holderName,
        a.bankCardNo,
        claim.applicant.bankName,
        (p.amountFen / 100).toFixed(2),
      ]);
    } else if (claim?.sale) {
      rows.push([p.paymentId, `retailer:${claim.sale.retailerId}`, '', '', (p.amountFen / 100).toFixed(2)]);
    }
  }
  return rows;
}
