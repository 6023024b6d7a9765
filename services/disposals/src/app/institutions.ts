import { assertScope, DomainError, type Principal } from '@recycling/contracts';
import type { InstitutionDoc } from '../store/models';
import type { AppContext } from './context';

export interface InstitutionInput {
  name: string;
  districtCode: string;
  supervisor: string;
  active: boolean;
}

export const institutionView = (i: InstitutionDoc) => ({
  creditCode: i._id,
  name: i.name,
  districtCode: i.districtCode,
  supervisor: i.supervisor,
  active: i.active,
  updatedAt: new Date(i.updatedAt).toISOString(),
});
export type InstitutionView = ReturnType<typeof institutionView>;

const institutionNotFound = (creditCode: string) =>
  DomainError.notFound(
    'institution-not-found',
    `未登记的公共机构 ${creditCode} / No public institution ${creditCode}.`,
  );

export async function putInstitution(
  ctx: AppContext,
  creditCode: string,
  input: InstitutionInput,
  by: string,
) {
  const { institution, created } = await ctx.institutions.put(creditCode, {
    ...input,
    updatedAt: ctx.now(),
    updatedBy: by,
  });
  return { view: institutionView(institution), created };
}

export async function getInstitution(ctx: AppContext, principal: Principal, creditCode: string) {
  assertScope(principal, creditCode);
  const found = await ctx.institutions.find(creditCode);
  if (!found) throw institutionNotFound(creditCode);
  return institutionView(found);
}

export async function listInstitutions(ctx: AppContext) {
  return (await ctx.institutions.list()).map(institutionView);
}

/** The institution, registered and active, for a registration. */
export async function activeInstitution(ctx: AppContext, creditCode: string): Promise<InstitutionDoc> {
  const found = await ctx.institutions.find(creditCode);
  if (!found) {
    throw DomainError.unprocessable(
      'institution-not-registered',
      `公共机构 ${creditCode} 尚未登记，请联系管理员 / Public institution ${creditCode} is not registered; ask an administrator.`,
    );
  }
  if (!found.active) {
    throw DomainError.conflict(
      'institution-inactive',
      `公共机构 ${creditCode} 已停用 / Institution ${creditCode} is inactive.`,
    );
  }
  return found;
}
