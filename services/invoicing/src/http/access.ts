import { CITY_WIDE_ROLES, HttpProblem, type Principal } from '@recycling/service-kit';
import type { AppContext } from '../app/context';
import { getEnterprise } from '../app/enterprises';
import { enterpriseCovers } from '../domain/enterprise';

const outOfScope = () =>
  new HttpProblem(403, undefined, '无权访问该企业的数据 / This enterprise is outside your scope.', {
    title_zh: '无权访问该数据',
  });

/**
 * City-wide roles read every enterprise; an operator reads the enterprise whose id, or one of whose
 * sites, is the token's scope.
 */
export async function assertEnterpriseScope(
  ctx: AppContext,
  principal: Principal,
  enterpriseId: string,
): Promise<void> {
  if (CITY_WIDE_ROLES.includes(principal.role)) return;
  const enterprise = await getEnterprise(ctx, enterpriseId);
  if (!enterprise || principal.scope === undefined || !enterpriseCovers(enterprise, principal.scope)) {
    throw outOfScope();
  }
}
