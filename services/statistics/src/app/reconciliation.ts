// Reconciliation: the active rollups against a rebuild from the topics (cell by cell, with both
// consumer groups' positions, since figures compare only when both read the same offsets), or
// against counts an owner reports from its own records.
import { DomainError } from '@recycling/contracts';
import { counterKeyString, type Fields } from '../domain/facts';
import { compareCells, type Difference } from '../domain/reconcile';
import type { StatisticsContext } from './context';
import { rebuildStatus } from './rebuilds';

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
  const byQuery = new Map<string, { metric: string; dim: string; months: Set<string> }>();
  for (const c of counts) {
    const key = counterKeyString(c);
    expected.set(key, { ...expected.get(key), [c.field]: c.count });
    const q = byQuery.get(`${c.metric}|${c.dim}`) ?? { metric: c.metric, dim: c.dim, months: new Set() };
    q.months.add(c.month);
    byQuery.set(`${c.metric}|${c.dim}`, q);
  }
  for (const q of byQuery.values()) {
    const months = [...q.months].sort();
    const rows = await ctx.counters.cells(generation, {
      metric: q.metric,
      dim: q.dim,
      from: months[0] ?? '',
      to: months.at(-1) ?? '',
    });
    for (const r of rows) {
      const key = counterKeyString({ metric: q.metric, month: r.month, dim: q.dim, value: r.value });
      const wanted = expected.get(key);
      if (!wanted) continue;
      actual.set(key, Object.fromEntries(Object.keys(wanted).map((f) => [f, r.fields[f] ?? 0])));
    }
  }
  const differences = compareCells(expected, actual);
  return { owner, generation, matches: differences.length === 0, differences };
}
