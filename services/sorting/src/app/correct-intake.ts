import {
  DomainError,
  IntakeEventTypes,
  PurchaseEventTypes,
  type IntakeContents,
  type IntakeCorrectedData,
  type Principal,
} from '@recycling/contracts';
import type { PendingEvent } from '@recycling/messaging';
import { correctedContents, sameContents, type LineInput } from '../domain/intake-lines';
import { purchaseChangeFor, purchaseCorrected, purchaseLines, purchaseRecorded } from '../domain/purchase';
import { assertStation } from '../domain/refusals';
import { checkCorrectionKeepsSorted } from '../domain/sorting';
import type { IntakeDoc } from '../store/models';
import type { SortingContext } from './context';
import { intakeView, purchaseFactsOf } from './intake-views';

// A correction never edits a revision: it appends the next one (complete contents and the reason)
// and emits intake.corrected with before and after, plus the purchase's restatement, so statistics
// adjust and invoicing reverses and reissues from the events alone.

export interface CorrectIntakeInput {
  reason: string;
  /** The complete lines from now on; a line naming a current lineId restates it. */
  lines: LineInput[];
  paymentRecordId?: string;
}

export async function correctIntake(
  ctx: SortingContext,
  principal: Principal,
  intakeId: string,
  body: CorrectIntakeInput,
) {
  const { doc } = await ctx.intakes.update(intakeId, (intake) => {
    assertStation(principal, intake.stationId);
    const everUsed = intake.revisions.flatMap((r) => r.contents.lines.map((l) => l.lineId));
    const after = correctedContents(
      body.lines,
      intake.contents,
      everUsed,
      ctx.profile.appliances.defaultWeightGrams,
    );
    if (sameContents(intake.contents, after)) {
      throw DomainError.invalid(
        'correction-changes-nothing',
        'lines',
        '更正内容与当前版本相同 / The correction changes nothing',
      );
    }
    checkCorrectionKeepsSorted(after, intake.sorted);

    const now = ctx.now();
    const revision = intake.revision + 1;
    const corrected: IntakeCorrectedData = {
      intakeId,
      stationId: intake.stationId,
      revision,
      reason: body.reason,
      before: intake.contents,
      after,
      occurredAt: now.toISOString(),
    };
    const events: PendingEvent[] = [ctx.events(IntakeEventTypes.corrected, corrected, { subject: intakeId })];
    const purchase = purchaseEvent(ctx, intake, after, body, now);
    if (purchase) {
      events.push(purchase.event);
      intake.purchaseRevision = purchase.revision;
    }

    intake.revisions.push({
      revision,
      contents: after,
      reason: body.reason,
      ...(body.paymentRecordId ? { paymentRecordId: body.paymentRecordId } : {}),
      recordedAt: now,
      recordedBy: principal.sub,
    });
    intake.revision = revision;
    intake.contents = after;
    return { events };
  });
  ctx.logger.info({ intakeId, revision: doc.revision }, 'intake corrected');
  // Withdrawn (no lines left): nothing of it is left to sort or dispatch.
  if (doc.contents.lines.length === 0) await ctx.workLists.closeIntake(doc.stationId, doc._id);
  return intakeView(doc);
}

function purchaseEvent(
  ctx: SortingContext,
  intake: IntakeDoc,
  after: IntakeContents,
  body: CorrectIntakeInput,
  now: Date,
): { event: PendingEvent; revision: number } | undefined {
  if (intake.seller.kind !== 'person') return undefined;
  const before = purchaseLines(intake.contents, ctx.scrapTaxCategoryCode);
  const lines = purchaseLines(after, ctx.scrapTaxCategoryCode);
  const change = purchaseChangeFor(
    intake.purchaseRevision,
    before,
    lines,
    body.paymentRecordId !== undefined,
  );
  const facts = purchaseFactsOf(intake, intake.seller, body.paymentRecordId ?? intake.paymentRecordId);
  const at = now.toISOString();
  switch (change.kind) {
    case 'none':
      return undefined;
    case 'record': {
      const data = purchaseRecorded(facts, lines, at);
      return {
        event: ctx.events(PurchaseEventTypes.recorded, data, { subject: intake._id }),
        revision: 1,
      };
    }
    case 'correct': {
      const data = purchaseCorrected(facts, lines, change.revision, body.reason, at);
      const event = ctx.events(PurchaseEventTypes.corrected, data, { subject: intake._id });
      return { event, revision: change.revision };
    }
  }
}
