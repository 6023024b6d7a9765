import type { Enterprise } from '../domain/enterprise';
import type { EnterpriseDoc } from '../store/models';
import type { AppContext } from './context';

export const toEnterprise = (doc: EnterpriseDoc): Enterprise => ({
  enterpriseId: doc._id,
  name: doc.name,
  taxpayerId: doc.taxpayerId,
  qualification: doc.qualification ?? null,
  vatMethod: doc.vatMethod,
  status: doc.status,
  siteIds: doc.siteIds ?? [],
});

/** Creates or replaces an enterprise record (administrators keep them). Returns whether it was new. */
export async function putEnterprise(ctx: AppContext, enterprise: Enterprise): Promise<{ created: boolean }> {
  const { enterpriseId, ...fields } = enterprise;
  return ctx.messaging.locks.withLock(`enterprise:${enterpriseId}`, async () => {
    const result = await ctx.models.Enterprise.replaceOne(
      { _id: enterpriseId },
      { ...fields, updatedAt: new Date() },
      { upsert: true },
    );
    return { created: result.upsertedCount > 0 };
  });
}

export async function getEnterprise(ctx: AppContext, enterpriseId: string): Promise<Enterprise | undefined> {
  const doc = await ctx.models.Enterprise.findById(enterpriseId).lean<EnterpriseDoc>();
  return doc ? toEnterprise(doc) : undefined;
}

export async function listEnterprises(ctx: AppContext): Promise<Enterprise[]> {
  const docs = await ctx.models.Enterprise.find().sort({ _id: 1 }).lean<EnterpriseDoc[]>();
  return docs.map(toEnterprise);
}
