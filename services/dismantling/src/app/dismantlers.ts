import { RuleViolation } from '../domain/errors';
import type { PutDismantlerBody } from '../http/schemas';
import type { DismantlerDoc } from '../store/models';
import type { AppContext } from './context';

// Dismantlers are reference records an administrator keeps; they publish nothing (the vehicle events
// carry the site and enterprise ids), so a plain write under the site's lock is enough.

export async function putDismantler(
  ctx: AppContext,
  dismantlerId: string,
  input: PutDismantlerBody,
): Promise<{ dismantler: DismantlerDoc; created: boolean }> {
  if (!ctx.profile.districts.some((d) => d.code === input.districtCode)) {
    throw new RuleViolation(
      'invalid',
      'unknown-district',
      `区域代码 ${input.districtCode} 不在本市 / District ${input.districtCode} is not in ${ctx.profile.name.en}.`,
      'districtCode',
    );
  }
  return ctx.messaging.locks.withLock(`dismantler:${dismantlerId}`, async () => {
    const existing = await ctx.models.Dismantler.findById(dismantlerId);
    if (existing) {
      existing.set({ ...input, qualificationValidUntil: input.qualificationValidUntil ?? undefined });
      await existing.save();
      return { dismantler: existing.toObject(), created: false };
    }
    const created = await ctx.models.Dismantler.create({ _id: dismantlerId, ...input });
    return { dismantler: created.toObject(), created: true };
  });
}

export async function getDismantler(ctx: AppContext, dismantlerId: string): Promise<DismantlerDoc> {
  const found = await ctx.models.Dismantler.findById(dismantlerId).lean();
  if (!found) {
    throw new RuleViolation(
      'not-found',
      'dismantler-not-found',
      `未找到拆解企业 ${dismantlerId} / Dismantler ${dismantlerId} not found.`,
    );
  }
  return found;
}
