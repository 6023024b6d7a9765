// Rebuilds: a new generation of rollups consumed from the beginning of every counted topic, one at a
// time, whose progress is its consumer group's position against the high watermarks noted when it
// started; once caught up it may be promoted to answer reads.
import { DomainError } from '@recycling/contracts';
import type { GenerationDoc, GenerationStatus, RebuildRequest } from '../store/generations';
import type { StatisticsContext } from './context';

type RebuildContext = Pick<StatisticsContext, 'generations' | 'rollups'>;

export interface RebuildStatus {
  generation: number;
  status: GenerationStatus;
  createdAt: string;
  reason?: string;
  requestedBy?: string;
  caughtUp: boolean;
  /** Events between the group's position and the watermarks noted at the start. */
  remaining: number;
  /** Per `topic~partition`: the high watermark when the rebuild started. */
  endOffsets: Record<string, string>;
  /** Per `topic~partition`: the group's committed offset. */
  position: Record<string, string>;
}

/** The status without the offsets per partition (whose keys have dots, which the store refuses). */
export type RebuildSummary = Omit<RebuildStatus, 'endOffsets' | 'position'>;

async function statusOf(ctx: RebuildContext, doc: GenerationDoc): Promise<RebuildStatus> {
  const position = await ctx.rollups.position(doc._id);
  const endOffsets = Object.fromEntries((doc.endOffsets ?? []).map((e) => [e.part, e.offset]));
  const behind = Object.entries(endOffsets)
    .map(([part, end]) => ({ part, end: Number(end), at: Math.max(0, Number(position[part] ?? '-1')) }))
    .filter((p) => p.at < p.end);
  return {
    generation: doc._id,
    status: doc.status,
    createdAt: doc.createdAt.toISOString(),
    ...(doc.reason ? { reason: doc.reason } : {}),
    ...(doc.requestedBy ? { requestedBy: doc.requestedBy } : {}),
    caughtUp: behind.length === 0,
    remaining: behind.reduce((n, p) => n + (p.end - p.at), 0),
    endOffsets,
    position,
  };
}

export async function rebuildStatus(ctx: RebuildContext, gen: number): Promise<RebuildStatus> {
  return statusOf(ctx, await ctx.generations.getOrRefuse(gen));
}

/**
 * Starts a rebuild, or answers the one already running (`created: false`) without starting another.
 * Its consumers start here at once rather than at the next sync.
 */
export async function startRebuild(
  ctx: RebuildContext,
  about: RebuildRequest,
): Promise<{ created: boolean; summary: RebuildSummary }> {
  const started = await ctx.generations.startRebuild(
    async () => Object.entries(await ctx.rollups.endOffsets()).map(([part, offset]) => ({ part, offset })),
    about,
  );
  if (started.created) await ctx.rollups.sync();
  const { endOffsets: _end, position: _position, ...summary } = await rebuildStatus(ctx, started.generation);
  return { created: started.created, summary };
}

/** Makes a caught-up rebuild the generation that answers reads; the previous one is retired. */
export async function promoteRebuild(ctx: RebuildContext, gen: number): Promise<{ active: number }> {
  await ctx.generations.promote(gen, async (doc) => {
    if (doc.status !== 'building') {
      throw DomainError.conflict(
        'not-a-rebuild',
        `第 ${gen} 代不在重建中 / Generation ${gen} is not a rebuild in progress.`,
      );
    }
    const status = await statusOf(ctx, doc);
    if (!status.caughtUp) {
      throw DomainError.conflict(
        'rebuild-not-caught-up',
        `重建尚未追平 / The rebuild has not caught up yet (${status.remaining} events left).`,
      );
    }
  });
  await ctx.rollups.sync();
  return { active: await ctx.generations.active() };
}

/**
 * Discards a rebuild that was started and not promoted: its consumer stops at once (here; other
 * replicas at their next sync) and its counters and records are purged once every replica has had
 * time to stop. The active generation and a retired one are refused (409); a discarded one is
 * answered again as it is.
 */
export async function discardRebuild(
  ctx: RebuildContext,
  gen: number,
  about: { reason?: string; discardedBy?: string },
): Promise<RebuildSummary> {
  await ctx.generations.discard(
    gen,
    (doc) => {
      if (doc.status === 'active') {
        throw DomainError.conflict(
          'generation-active',
          `第 ${gen} 代正在使用，不能丢弃 / Generation ${gen} answers reads and cannot be discarded.`,
        );
      }
      if (doc.status === 'retired') {
        throw DomainError.conflict(
          'not-a-rebuild',
          `第 ${gen} 代已启用过并已停用，不是进行中的重建 / Generation ${gen} was promoted and retired; it is not a rebuild in progress.`,
        );
      }
    },
    about,
  );
  await ctx.rollups.sync();
  const { endOffsets: _end, position: _position, ...summary } = await rebuildStatus(ctx, gen);
  return summary;
}
