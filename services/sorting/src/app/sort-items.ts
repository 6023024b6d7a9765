import { randomUUID } from 'node:crypto';
import { IntakeEventTypes, type IntakeItemsSortedData, type Principal } from '@recycling/contracts';
import { assertStation } from '../domain/refusals';
import { checkSorting, type SortedPart } from '../domain/sorting';
import type { SortingContext } from './context';
import { intakeView } from './intake-views';

export interface SortItemsInput {
  outcomes: SortedPart[];
}

/** Records where items of an intake go (resale, refurbishment, dismantling, ...), in parts if need be. */
export async function sortItems(
  ctx: SortingContext,
  principal: Principal,
  intakeId: string,
  body: SortItemsInput,
) {
  const { doc } = await ctx.intakes.update(intakeId, (intake) => {
    assertStation(principal, intake.stationId);
    checkSorting(intake.contents, intake.sorted, body.outcomes);
    const now = ctx.now();
    const sortingId = `so-${randomUUID()}`;
    const data: IntakeItemsSortedData = {
      intakeId,
      stationId: intake.stationId,
      outcomes: body.outcomes,
      occurredAt: now.toISOString(),
    };
    for (const o of body.outcomes)
      intake.sorted.push({ sortingId, ...o, sortedAt: now, sortedBy: principal.sub });
    return { events: [ctx.events(IntakeEventTypes.itemsSorted, data, { subject: intakeId })] };
  });
  return intakeView(doc);
}
