import { RuleError } from '../domain/rule-error';
import type { Actor, SortingContext } from './context';

/** An intake the actor may see or change: 404 when it does not exist, 403 when it is another station's. */
export async function loadIntake(ctx: SortingContext, actor: Actor, intakeId: string) {
  const doc = await ctx.models.Intake.findById(intakeId);
  if (!doc) throw new RuleError('not-found', `没有该入库单 / No intake ${intakeId}`);
  actor.assertStation(doc.stationId);
  return doc;
}
