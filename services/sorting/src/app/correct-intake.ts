import {
  IntakeEventTypes,
  PurchaseEventTypes,
  type IntakeContents,
  type IntakeCorrectedData,
} from '@recycling/contracts';
import { enqueue, type PendingEvent } from '@recycling/messaging';
import { correctedContents, sameContents } from '../domain/intake-lines';
import { purchaseChangeFor, purchaseCorrected, purchaseLines, purchaseRecorded } from '../domain/purchase';
import { RuleError } from '../domain/rule-error';
import { checkCorrectionKeepsSorted } from '../domain/sorting';
import type { CorrectIntakeBody } from '../http/schemas';
import type { IntakeDoc } from '../store/models';
import type { Actor, SortingContext } from './context';
import { intakeView, purchaseFactsOf } from './intake-views';
import { loadIntake } from './load-intake';

// A correction never edits a revision: it appends the next one (complete contents and the reason)
// and emits intake.corrected with before and after, plus the purchase's restatement, so statistics
// adjust and invoicing reverses and reissues from the events alone.

export async function correctIntake(
  ctx: SortingContext,
  actor: Actor,
  intakeId: string,
  body: CorrectIntakeBody,
) {
  const doc = await ctx.messaging.locks.withLock(`intake:${intakeId}`, async () => {
    const intake = await loadIntake(ctx, actor, intakeId);
    const current = intake.toObject() as IntakeDoc;
    const everUsed = current.revisions.flatMap((r) => r.contents.lines.map((l) => l.lineId));
    const after = correctedContents(
      body.lines,
      current.contents,
      everUsed,
      ctx.profile.appliances.defaultWeightGrams,
    );
    if (sameContents(current.contents, after)) {
      throw new RuleError('invalid', '更正内容与当前版本相同 / The correction changes nothing', 'lines');
    }
    checkCorrectionKeepsSorted(after, current.sorted);

    const now = ctx.now();
    const revision = current.revision + 1;
    const corrected: IntakeCorrectedData = {
      intakeId,
      stationId: current.stationId,
      revision,
      reason: body.reason,
      before: current.contents,
      after,
      occurredAt: now.toISOString(),
    };
    const events: PendingEvent[] = [
      ctx.messaging.events(IntakeEventTypes.corrected, corrected, { subject: intakeId }),
    ];
    const purchase = purchaseEvent(ctx, current, after, body, now);
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
      recordedBy: actor.sub,
    });
    intake.revision = revision;
    intake.contents = after;
    intake.markModified('contents');
    enqueue(intake, events, await ctx.messaging.relay.publishedAmong(intake.outbox.map((e) => e.id)));
    await intake.save();
    return intake.toObject() as IntakeDoc;
  });
  ctx.messaging.relay.nudge(ctx.models.Intake, [intakeId]);
  ctx.logger.info({ intakeId, revision: doc.revision }, 'intake corrected');
  return intakeView(doc);
}

function purchaseEvent(
  ctx: SortingContext,
  intake: IntakeDoc,
  after: IntakeContents,
  body: CorrectIntakeBody,
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
        event: ctx.messaging.events(PurchaseEventTypes.recorded, data, { subject: intake._id }),
        revision: 1,
      };
    }
    case 'correct': {
      const data = purchaseCorrected(facts, lines, change.revision, body.reason, at);
      const event = ctx.messaging.events(PurchaseEventTypes.corrected, data, { subject: intake._id });
      return { event, revision: change.revision };
    }
  }
}
