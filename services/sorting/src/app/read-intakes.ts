import type { Principal } from '@recycling/contracts';
import { assertStation } from '../domain/refusals';
import type { IntakeDoc } from '../store/models';
import type { SortingContext } from './context';
import { intakeView } from './intake-views';

/** An intake the caller may see: 404 when there is none, 403 when it is another station's. */
export async function visibleIntake(
  ctx: SortingContext,
  principal: Principal,
  intakeId: string,
): Promise<IntakeDoc> {
  const intake = await ctx.intakes.get(intakeId);
  assertStation(principal, intake.stationId);
  return intake;
}

export const getIntake = async (ctx: SortingContext, principal: Principal, intakeId: string) =>
  intakeView(await visibleIntake(ctx, principal, intakeId));

/** A station's latest intakes, newest first (the endpoint checks the caller's station). */
export const latestIntakes = async (ctx: SortingContext, stationId: string, limit: number) =>
  (await ctx.intakes.latestAt(stationId, limit)).map(intakeView);
