import { randomUUID } from 'node:crypto';
import { IntakeEventTypes, type IntakeItemsSortedData } from '@recycling/contracts';
import { enqueue } from '@recycling/messaging';
import { checkSorting } from '../domain/sorting';
import type { SortItemsBody } from '../http/schemas';
import type { IntakeDoc } from '../store/models';
import type { Actor, SortingContext } from './context';
import { intakeView } from './intake-views';
import { loadIntake } from './load-intake';

/** Records where items of an intake go (resale, refurbishment, dismantling, ...), in parts if need be. */
export async function sortItems(ctx: SortingContext, actor: Actor, intakeId: string, body: SortItemsBody) {
  const doc = await ctx.messaging.locks.withLock(`intake:${intakeId}`, async () => {
    const intake = await loadIntake(ctx, actor, intakeId);
    const current = intake.toObject() as IntakeDoc;
    checkSorting(current.contents, current.sorted, body.outcomes);
    const now = ctx.now();
    const sortingId = `so-${randomUUID()}`;
    const data: IntakeItemsSortedData = {
      intakeId,
      stationId: current.stationId,
      outcomes: body.outcomes,
      occurredAt: now.toISOString(),
    };
    for (const o of body.outcomes)
      intake.sorted.push({ sortingId, ...o, sortedAt: now, sortedBy: actor.sub });
    const event = ctx.messaging.events(IntakeEventTypes.itemsSorted, data, { subject: intakeId });
    enqueue(intake, [event], await ctx.messaging.relay.publishedAmong(intake.outbox.map((e) => e.id)));
    await intake.save();
    return intake.toObject() as IntakeDoc;
  });
  ctx.messaging.relay.nudge(ctx.models.Intake, [intakeId]);
  return intakeView(doc);
}
