import type { Principal } from '@recycling/contracts';
import { assertActsFor } from '../domain/access';
import type { IntakeRecord } from '../store/models';
import { intakeNotFound } from '../store/vehicle-intake-repository';
import type { AppContext } from './context';

export async function getIntake(
  ctx: AppContext,
  principal: Principal,
  vehicleIntakeId: string,
): Promise<IntakeRecord> {
  const intake = await ctx.intakes.record(vehicleIntakeId);
  if (!intake) throw intakeNotFound(vehicleIntakeId);
  assertActsFor(principal, intake.dismantlerId);
  return intake;
}

/** A site's intakes, newest first. */
export async function listIntakes(
  ctx: AppContext,
  principal: Principal,
  query: { dismantlerId: string; status?: 'received' | 'voided'; limit: number },
): Promise<IntakeRecord[]> {
  assertActsFor(principal, query.dismantlerId);
  return ctx.intakes.list(query);
}
