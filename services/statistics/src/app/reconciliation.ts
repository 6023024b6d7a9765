// Reconciliation: the active rollups against a rebuild from the topics (cell by cell, with both
// consumer groups' positions, since figures compare only when both read the same offsets), or
// against counts an owner reports from its own records.
import { DomainError } from '@recycling/contracts';
import { counterKeyString, type Fields } from '../domain/facts';
import { compareCells, type Difference } from '../domain/reconcile';
import type { StatisticsContext } from './context';
import { rebuildStatus } from './rebuilds';

/**
 * Owners' counts span at most this many months (earliest to latest): the comparison reads every
 * year between them, and an unbounded range read for seconds (issue 18: 9.6 s).
 */
export const MAX_OWNER_COUNT_MONTHS = 24;
/** And name at most this many dimensions of metrics (each is read on its own). */
export const MAX_OWNER_COUNT_DIMENSIONS = 50;

/** The report lists at most this many differences (`differenceCount` has them all). */
const DIFFERENCES_SHOWN = 1_000;

export interface RebuildReconciliation {
  active: number;
  rebuild: number;
  rebuildCaughtUp: boolean;
  comparable: boolean;
  cellsCompared: number;
  matches: boolean;
  differences: Difference[];
  differenceCount: number;
  positions: { active: Record<string, string>; rebuild: Record<string, string> };
}

/** The active rollups against rebuild `gen` (a whole-generation read: an administrator's check). */
export async function reconcileWithRebuild(
  ctx: Pick<StatisticsContext, 'counters' | 'generations' | 'rollups'>,
  gen: number,
): Promise<RebuildReconciliation> {
  const active = await ctx.generations.active();
  if (gen === active) {
    throw new DomainError(
      'invalid',
      'active-generation',
      '请指定重建的一代 / Name a rebuild, not the active generation.',
      { fields: [{ field: 'query.generation', message: 'is the active generation', code: 'invalid_value' }] },
    );
  }
  const rebuild = await rebuildStatus(ctx, gen);
  const [activePosition, expected, actual] = await Promise.all([
    ctx.rollups.position(active),
    ctx.counters.allCells(gen),
    ctx.counters.allCells(active),
  ]);
  const differences = compareCells(expected, actual);
  // Figures are only comparable when both groups have read exactly the same offsets.
  const parts = new Set([...Object.keys(activePosition), ...Object.keys(rebuild.position)]);
  // Negative offsets (-1 nothing committed, -2 reset to earliest) both mean nothing read yet.
  const at = (position: Record<string, string>, p: string) => Math.max(0, Number(position[p] ?? '-1'));
  const comparable = [...parts].every((p) => at(activePosition, p) === at(rebuild.position, p));
  return {
    active,
    rebuild: gen,
    rebuildCaughtUp: rebuild.caughtUp,
    comparable,
    cellsCompared: new Set([...expected.keys(), ...actual.keys()]).size,
    matches: differences.length === 0,
    differences: differences.slice(0, DIFFERENCES_SHOWN),
    differenceCount: differences.length,
    positions: { active: activePosition, rebuild: rebuild.position },
  };
}

/** One count from an owner's own records. */
export interface OwnerCount {
  metric: string;
  month: string;
  dim: string;
  value: string;
  field: string;
  count: number;
}

export interface OwnerReconciliation {
  owner: string;
  generation: number;
  matches: boolean;
  differences: Difference[];
}

/** An owner's counts against the active rollups; only the cells and fields it reported compare. */
export async function reconcileOwnerCounts(
  ctx: Pick<StatisticsContext, 'counters' | 'generations'>,
  owner: string,
  counts: readonly OwnerCount[],
): Promise<OwnerReconciliation> {
  const generation = await ctx.generations.active();
  const expected = new Map<string, Fields>();
  const actual = new Map<string, Fields>();
  // One read per metric and year for every dimension it names (the range is at most
  // MAX_OWNER_COUNT_MONTHS, checked by the request's schema).
  const byMetric = new Map<string, { dims: Set<string>; months: Set<string> }>();
  for (const c of counts) {
    const key = counterKeyString(c);
    expected.set(key, { ...expected.get(key), [c.field]: c.count });
    const q = byMetric.get(c.metric) ?? { dims: new Set<string>(), months: new Set<string>() };
    q.dims.add(c.dim);
    q.months.add(c.month);
    byMetric.set(c.metric, q);
  }
  for (const [metric, q] of byMetric) {
    const months = [...q.months].sort();
    const byDim = await ctx.counters.cellsOfDims(generation, {
      metric,
      dims: [...q.dims],
      from: months[0] ?? '',
      to: months.at(-1) ?? '',
    });
    for (const [dim, rows] of byDim) {
      for (const r of rows) {
        const key = counterKeyString({ metric, month: r.month, dim, value: r.value });
        const wanted = expected.get(key);
        if (!wanted) continue;
        actual.set(key, Object.fromEntries(Object.keys(wanted).map((f) => [f, r.fields[f] ?? 0])));
      }
    }
  }
  const differences = compareCells(expected, actual);
  return { owner, generation, matches: differences.length === 0, differences };
}
