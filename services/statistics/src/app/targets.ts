// Baselines and targets per metric: seeded from the city profile, set by administrators.
import { DomainError, type MetricCode } from '@recycling/contracts';
import type { TargetDoc } from '../store/targets';
import type { StatisticsContext } from './context';

/** A target as clients read it: the metric named, the time as an ISO string. */
export type TargetView = Omit<TargetDoc, '_id' | 'updatedAt'> & { metric: MetricCode; updatedAt: string };

/** What an administrator sets of a target. */
export type TargetSettings = Pick<
  TargetDoc,
  'baseline' | 'baselineAssumed' | 'baselineYear' | 'targetYear' | 'growthBp'
>;

export const targetView = (t: TargetDoc): TargetView => ({
  metric: t._id,
  name: t.name,
  unit: t.unit,
  baseline: t.baseline,
  baselineAssumed: t.baselineAssumed,
  baselineYear: t.baselineYear,
  targetYear: t.targetYear,
  growthBp: t.growthBp,
  source: t.source,
  updatedAt: t.updatedAt.toISOString(),
  updatedBy: t.updatedBy,
});

/** The target of a metric, or the refusal naming it. */
export async function targetOf(
  ctx: Pick<StatisticsContext, 'targets'>,
  metric: MetricCode,
): Promise<TargetDoc> {
  const target = await ctx.targets.get(metric);
  if (!target) {
    throw DomainError.notFound('target-not-found', `没有该指标的目标 / No target for ${metric}.`);
  }
  return target;
}

export async function listTargets(ctx: Pick<StatisticsContext, 'targets'>): Promise<TargetView[]> {
  return (await ctx.targets.list()).map(targetView);
}

/** An administrator's baseline and target replace the profile's (or an earlier administrator's). */
export async function setTarget(
  ctx: Pick<StatisticsContext, 'targets' | 'now'>,
  metric: MetricCode,
  settings: TargetSettings,
  by: string,
): Promise<TargetView> {
  const existing = await targetOf(ctx, metric);
  const doc: TargetDoc = {
    ...existing,
    ...settings,
    updatedAt: ctx.now(),
    updatedBy: by,
    source: 'administrator',
  };
  await ctx.targets.put(doc);
  return targetView(doc);
}
