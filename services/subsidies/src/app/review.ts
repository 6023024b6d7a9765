import { SubsidyEventTypes, type Principal } from '@recycling/contracts';
import { localDateOf } from '../domain/calendar';
import { assertMayDecide, overdueSteps, payDeadline, rejectionOutcome } from '../domain/claim-lifecycle';
import { programmeYear } from '../domain/programmes';
import type { ClaimDoc } from '../store/models';
import { claimView, type ClaimView } from './claim-view';
import { listIds, listOfStatus, todayOf, type SubsidyContext } from './context';

// The commerce bureau's review: approve (the amount is committed from the programme year's budget,
// under the budget's lock, or refused with budget-exhausted) or reject with reasons (the applicant may
// resubmit up to the programme's cap; after that the claim is closed and what it held is released).

export const QUEUE_STAGES = ['awaiting-evidence', 'in-review', 'approved'] as const;
export type QueueStage = (typeof QUEUE_STAGES)[number];

const stageList = (stage: QueueStage, programmeCode: string, year: number) =>
  stage === 'awaiting-evidence'
    ? listIds.awaiting(programmeCode, year)
    : stage === 'in-review'
      ? listIds.review(programmeCode, year)
      : listIds.payable(programmeCode, year);

/**
 * A programme year's queue at one stage, oldest first, overdue ones first of all: the claims with
 * their evidence and flags (a list by `_id`, then each claim by `_id`; entries that moved on are skipped).
 */
export async function reviewQueue(
  ctx: SubsidyContext,
  query: { programmeCode: string; year: number; stage: QueueStage; limit: number },
): Promise<{ items: ClaimView[]; total: number; overdue: number }> {
  programmeYear(ctx.tradeIn, query.programmeCode, query.year);
  const ids = await ctx.lists.ids(stageList(query.stage, query.programmeCode, query.year));
  const docs = (await ctx.claims.findMany(ids)).filter((d) => d.status === query.stage);
  const today = todayOf(ctx);
  const overdue = (d: ClaimDoc) => overdueSteps(d.status, d.deadlines, today).length > 0;
  const sorted = [...docs].sort((a, b) => Number(overdue(b)) - Number(overdue(a)));
  return {
    items: sorted.slice(0, query.limit).map((d) => claimView(ctx, d, 'official')),
    total: docs.length,
    overdue: docs.filter(overdue).length,
  };
}

export async function approveClaim(
  ctx: SubsidyContext,
  principal: Principal,
  claimId: string,
  note?: string,
): Promise<ClaimView> {
  let from: string | undefined;
  const { doc } = await ctx.claims.update(claimId, async (doc) => {
    assertMayDecide(doc);
    const { programme, year } = programmeYear(ctx.tradeIn, doc.programmeCode, doc.programmeYear);
    // The claim's lock, then the budget's (never the other way round): a counter sale committed its
    // amount when it was sold, and a retry after a crash finds its entry; both answer `already`.
    await ctx.budgets.apply({
      programmeCode: doc.programmeCode,
      year: doc.programmeYear,
      claimId,
      kind: 'reserve',
      amountFen: doc.amountFen,
      by: principal.sub,
      budget: { budgetFen: year.budgetFen, name: programme.name },
    });
    from = listOfStatus(doc);
    await ctx.lists.add(listIds.payable(doc.programmeCode, doc.programmeYear), [claimId]);
    const now = ctx.now();
    doc.status = 'approved';
    doc.approvedAt = now;
    doc.approvedBy = principal.sub;
    doc.deadlines = {
      ...doc.deadlines,
      payBy: payDeadline(localDateOf(now, ctx.profile.timezone), year.deadlines),
    };
    const event = ctx.events(
      SubsidyEventTypes.claimApproved,
      {
        claimId,
        programmeCode: doc.programmeCode,
        programmeKind: doc.kind,
        programmeYear: doc.programmeYear,
        districtCode: doc.districtCode,
        amountFen: doc.amountFen,
        decidedBy: principal.sub,
        occurredAt: now.toISOString(),
      },
      { subject: claimId },
    );
    doc.history.push({
      at: now,
      action: 'approved',
      by: { role: principal.role, id: principal.sub },
      ...(note ? { note } : {}),
      eventId: event.id,
    });
    doc.markModified('deadlines');
    return { events: [event] };
  });
  if (from) await ctx.lists.remove(from, [claimId]);
  ctx.logger.info({ claimId, amountFen: doc.amountFen, programmeCode: doc.programmeCode }, 'claim approved');
  return claimView(ctx, doc, 'official');
}

export interface RejectionInput {
  reasons: Array<{ code: string; note?: string }>;
}

export async function rejectClaim(
  ctx: SubsidyContext,
  principal: Principal,
  claimId: string,
  input: RejectionInput,
): Promise<ClaimView> {
  let after: { from?: string; release: string[] } = { release: [] };
  const { doc } = await ctx.claims.update(claimId, async (doc) => {
    assertMayDecide(doc);
    const { year } = programmeYear(ctx.tradeIn, doc.programmeCode, doc.programmeYear);
    const outcome = rejectionOutcome(doc, year.resubmissionCap);
    const now = ctx.now();
    // An amount committed for this claim (a counter sale's discount, or an approval that crashed
    // before it was saved) goes back to the budget.
    const reserved = await ctx.budgets.hasEntry(doc.programmeCode, doc.programmeYear, claimId, 'reserve');
    if (reserved && outcome.final) {
      await ctx.budgets.apply({
        programmeCode: doc.programmeCode,
        year: doc.programmeYear,
        claimId,
        kind: 'release',
        amountFen: doc.amountFen,
        by: principal.sub,
      });
    }
    after = {
      from: listOfStatus(doc),
      // A closed car claim releases its cars, certificate, invoice and seat, so a corrected claim can
      // be made; a counter sale keeps them (the sale happened; the retailer is not reimbursed).
      release: outcome.final && doc.kind !== 'counter-sale' ? [...doc.uniqueKeys] : [],
    };
    doc.status = outcome.final ? 'closed' : 'rejected';
    doc.lastRejection = { reasons: input.reasons, at: now, by: principal.sub };
    const event = ctx.events(
      SubsidyEventTypes.claimRejected,
      {
        claimId,
        programmeCode: doc.programmeCode,
        programmeKind: doc.kind,
        programmeYear: doc.programmeYear,
        districtCode: doc.districtCode,
        reasons: input.reasons,
        decidedBy: principal.sub,
        resubmissionsLeft: outcome.resubmissionsLeft,
        final: outcome.final,
        occurredAt: now.toISOString(),
      },
      { subject: claimId },
    );
    doc.history.push({
      at: now,
      action: outcome.final ? 'rejected-final' : 'rejected',
      by: { role: principal.role, id: principal.sub },
      note: input.reasons.map((r) => (r.note ? `${r.code}: ${r.note}` : r.code)).join('; '),
      eventId: event.id,
    });
    return { events: [event] };
  });
  if (after.from) await ctx.lists.remove(after.from, [claimId]);
  await ctx.uniqueKeys.releaseAll(after.release, claimId);
  return claimView(ctx, doc, 'official');
}
