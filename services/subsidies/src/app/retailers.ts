import { DomainError, type Principal } from '@recycling/contracts';
import { findProgramme } from '../domain/programmes';
import type { RetailerDoc } from '../store/models';
import type { SubsidyContext } from './context';

export interface RetailerInput {
  name: string;
  districtCode: string;
  programmeCodes: string[];
  active: boolean;
}

export const retailerView = (r: RetailerDoc) => ({
  retailerId: r._id,
  name: r.name,
  districtCode: r.districtCode,
  programmeCodes: r.programmeCodes,
  active: r.active,
  updatedAt: new Date(r.updatedAt).toISOString(),
});
export type RetailerView = ReturnType<typeof retailerView>;

/** An administrator registers a participating retailer and the counter-sale programmes it runs. */
export async function putRetailer(
  ctx: SubsidyContext,
  principal: Principal,
  retailerId: string,
  input: RetailerInput,
): Promise<{ retailer: RetailerView; created: boolean }> {
  input.programmeCodes.forEach((code, i) => {
    const programme = findProgramme(ctx.tradeIn, code);
    if (programme?.kind !== 'counter-sale') {
      throw DomainError.invalid(
        'not-a-counter-sale-programme',
        `programmeCodes.${i}`,
        `${code} 不是柜台销售项目 / ${code} is not a counter-sale programme.`,
      );
    }
  });
  const doc: RetailerDoc = { _id: retailerId, ...input, updatedAt: ctx.now(), updatedBy: principal.sub };
  const created = await ctx.retailers.put(doc);
  return { retailer: retailerView(doc), created };
}

export async function getRetailer(ctx: SubsidyContext, retailerId: string): Promise<RetailerView> {
  const r = await ctx.retailers.get(retailerId);
  if (!r)
    throw DomainError.notFound(
      'retailer-not-found',
      `未找到零售商 ${retailerId} / Retailer ${retailerId} not found.`,
    );
  return retailerView(r);
}

export async function listRetailers(ctx: SubsidyContext): Promise<RetailerView[]> {
  return (await ctx.retailers.list()).map(retailerView);
}
