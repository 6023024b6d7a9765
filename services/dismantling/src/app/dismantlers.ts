import { DomainError } from '@recycling/contracts';
import { refusal } from '../domain/errors';
import type { DismantlerFields } from '../store/dismantler-repository';
import type { DismantlerDoc } from '../store/models';
import type { AppContext } from './context';

export async function putDismantler(
  ctx: AppContext,
  dismantlerId: string,
  input: DismantlerFields,
): Promise<{ dismantler: DismantlerDoc; created: boolean }> {
  if (!ctx.profile.districts.some((d) => d.code === input.districtCode)) {
    throw refusal(
      'invalid',
      'unknown-district',
      `区域代码 ${input.districtCode} 不在本市 / District ${input.districtCode} is not in ${ctx.profile.name.en}.`,
      'districtCode',
    );
  }
  return ctx.dismantlers.put(dismantlerId, input);
}

export async function getDismantler(ctx: AppContext, dismantlerId: string): Promise<DismantlerDoc> {
  const found = await ctx.dismantlers.find(dismantlerId);
  if (!found) {
    throw DomainError.notFound(
      'dismantler-not-found',
      `未找到拆解企业 ${dismantlerId} / Dismantler ${dismantlerId} not found.`,
    );
  }
  return found;
}
