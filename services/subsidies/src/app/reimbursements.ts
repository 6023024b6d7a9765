import { DomainError, SubsidyEventTypes, type Principal } from '@recycling/contracts';
import { localDateOf } from '../domain/calendar';
import { assertMayClaimReimbursement, reviewDeadline } from '../domain/claim-lifecycle';
import { programmeYear } from '../domain/programmes';
import type { ReimbursementDoc } from '../store/models';
import { calendarOf, listIds, listOfStatus, type SubsidyContext } from './context';

// A retailer claims back the discounts it advanced, in batches: each sale that is ready (its old
// item taken in where needed, not returned) enters the reviewers' queue. A sale belongs to one
// reimbursement only (the key `reimbursement:<sale>` is claimed by insert).

export interface ReimbursementInput {
  programmeCode: string;
  year: number;
  claimIds?: string[];
}

const MAX_PER_BATCH = 500;

export function reimbursementView(doc: ReimbursementDoc) {
  return {
    reimbursementId: doc._id,
    retailerId: doc.retailerId,
    programmeCode: doc.programmeCode,
    programmeYear: doc.programmeYear,
    claims: doc.claims,
    refused: doc.refused,
    totalFen: doc.totalFen,
    claimedAt: new Date(doc.claimedAt).toISOString(),
  };
}
export type ReimbursementView = ReturnType<typeof reimbursementView>;

export async function claimReimbursement(
  ctx: SubsidyContext,
  principal: Principal,
  retailerId: string,
  input: ReimbursementInput,
  reimbursementId: string,
): Promise<ReimbursementView> {
  const existing = await ctx.reimbursements.find(reimbursementId);
  if (existing) return reimbursementView(existing);
  const { programme, year } = programmeYear(ctx.tradeIn, input.programmeCode, input.year);
  if (programme.kind !== 'counter-sale') {
    throw DomainError.invalid(
      'not-a-counter-sale-programme',
      'programmeCode',
      `${programme.code} 不是柜台销售项目 / not a counter-sale programme.`,
    );
  }
  const readyList = listIds.ready(retailerId, programme.code, year.year);
  const candidates = (input.claimIds ?? (await ctx.lists.ids(readyList))).slice(0, MAX_PER_BATCH);
  const claims: ReimbursementDoc['claims'] = [];
  const refused: ReimbursementDoc['refused'] = [];
  for (const claimId of candidates) {
    const claim = await ctx.claims.find(claimId);
    if (
      !claim ||
      claim.sale?.retailerId !== retailerId ||
      claim.programmeCode !== programme.code ||
      claim.programmeYear !== year.year
    ) {
      refused.push({ claimId, code: 'sale-not-found' });
      continue;
    }
    const taken = await ctx.uniqueKeys.take(`reimbursement:${claimId}`, reimbursementId, 'reimbursement');
    if (!taken.taken) {
      refused.push({ claimId, code: 'already-claimed' });
      continue;
    }
    const now = ctx.now();
    try {
      await ctx.lists.add(listIds.review(programme.code, year.year), [claimId]);
      await ctx.claims.update(claimId, (doc) => {
        assertMayClaimReimbursement(doc);
        doc.status = 'in-review';
        doc.acceptedAt = now;
        doc.deadlines = {
          ...doc.deadlines,
          reviewBy: reviewDeadline(localDateOf(now, ctx.profile.timezone), year.deadlines, calendarOf(ctx)),
        };
        doc.sale = { ...doc.sale!, reimbursementId };
        doc.history.push({
          at: now,
          action: 'reimbursement-claimed',
          by: { role: principal.role, id: principal.sub },
          note: reimbursementId,
        });
        doc.markModified('deadlines');
        return {};
      });
      await ctx.lists.remove(listOfStatus({ ...claim, status: 'ready' })!, [claimId]);
      claims.push({ claimId, subsidyFen: claim.amountFen });
    } catch (error) {
      await ctx.uniqueKeys.release(`reimbursement:${claimId}`, reimbursementId);
      if (!(error instanceof DomainError)) throw error;
      refused.push({ claimId, code: error.code });
    }
  }
  if (claims.length === 0) {
    throw DomainError.conflict(
      'nothing-to-reimburse',
      '没有可申请结算的销售（须已交旧、未退货、未申请过）/ No sale can be claimed: each must be ready (old item taken in, not returned, not claimed before).',
      { details: { refused } },
    );
  }
  const now = ctx.now();
  const totalFen = claims.reduce((s, c) => s + c.subsidyFen, 0);
  const event = ctx.events(
    SubsidyEventTypes.reimbursementClaimed,
    {
      reimbursementId,
      retailerId,
      programmeCode: programme.code,
      programmeYear: year.year,
      claims,
      totalFen,
      occurredAt: now.toISOString(),
    },
    { subject: reimbursementId },
  );
  const doc = {
    _id: reimbursementId,
    retailerId,
    programmeCode: programme.code,
    programmeYear: year.year,
    claims,
    refused,
    totalFen,
    claimedBy: principal.sub,
    claimedAt: now,
  };
  await ctx.lists.add(listIds.reimbursements(retailerId), [reimbursementId]);
  const saved =
    (await ctx.reimbursements.create(doc, [event])) ?? (await ctx.reimbursements.get(reimbursementId));
  return reimbursementView(saved);
}

export async function getReimbursement(ctx: SubsidyContext, retailerId: string, reimbursementId: string) {
  const doc = await ctx.reimbursements.find(reimbursementId);
  if (!doc || doc.retailerId !== retailerId) {
    throw DomainError.notFound(
      'reimbursement-not-found',
      `未找到结算申请 ${reimbursementId} / Reimbursement ${reimbursementId} not found.`,
    );
  }
  return reimbursementView(doc);
}
