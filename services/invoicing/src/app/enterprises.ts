import { CITY_WIDE_ROLES, DomainError, type Principal } from '@recycling/contracts';
import { enterpriseCovers, type Enterprise } from '../domain/enterprise';
import type { InvoicingContext } from './context';

export const enterpriseNotFound = (enterpriseId: string) =>
  DomainError.notFound(
    'enterprise-not-found',
    `未登记的企业 ${enterpriseId} / Unknown enterprise ${enterpriseId}.`,
  );

/** The fields an administrator keeps on an enterprise record. */
export type EnterpriseInput = Omit<Enterprise, 'enterpriseId'>;

/** Creates or replaces an enterprise record (administrators keep them). */
export async function putEnterprise(
  ctx: InvoicingContext,
  enterpriseId: string,
  input: EnterpriseInput,
): Promise<{ enterprise: Enterprise; created: boolean }> {
  const enterprise: Enterprise = { enterpriseId, ...input };
  return { enterprise, created: await ctx.enterprises.put(enterprise, ctx.now()) };
}

export const listEnterprises = (ctx: InvoicingContext): Promise<Enterprise[]> => ctx.enterprises.list();

/**
 * City-wide roles read every enterprise; an operator reads the enterprise whose id, or one of whose
 * sites, is the token's scope. Anything else is refused, an enterprise that does not exist included
 * (an operator learns nothing of other enterprises).
 */
export async function assertEnterpriseScope(
  ctx: InvoicingContext,
  principal: Principal,
  enterpriseId: string,
): Promise<void> {
  if (CITY_WIDE_ROLES.includes(principal.role)) return;
  const enterprise = await ctx.enterprises.find(enterpriseId);
  if (!enterprise || principal.scope === undefined || !enterpriseCovers(enterprise, principal.scope)) {
    throw DomainError.forbidden(
      'outside-scope',
      '无权访问该企业的数据 / This enterprise is outside your scope.',
      {
        title: { zh: '无权访问该数据', en: 'Forbidden' },
      },
    );
  }
}

/** An enterprise the caller may read. */
export async function getEnterprise(
  ctx: InvoicingContext,
  principal: Principal,
  enterpriseId: string,
): Promise<Enterprise> {
  await assertEnterpriseScope(ctx, principal, enterpriseId);
  const enterprise = await ctx.enterprises.find(enterpriseId);
  if (!enterprise) throw enterpriseNotFound(enterpriseId);
  return enterprise;
}
