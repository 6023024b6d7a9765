import {
  assertScope,
  DomainError,
  type Principal,
  type RemanufacturerQualification,
} from '@recycling/contracts';
import type { RemanufacturerFacts } from '../domain/qualification';
import type { RemanufacturerDoc } from '../store/models';
import { lineOf, type AppContext } from './context';
import { remanufacturerView } from './views';

export interface RemanufacturerInput {
  name: string;
  creditCode: string;
  districtCode: string;
  qualification: { kind: RemanufacturerQualification; number: string; validUntil: string };
  productLines: string[];
  active: boolean;
}

const remanufacturerNotFound = (id: string) =>
  DomainError.notFound(
    'remanufacturer-not-found',
    `未找到再制造企业 ${id} / Remanufacturer ${id} not found.`,
  );

/** The administrator records a remanufacturer, its qualification and the product lines it holds. */
export async function putRemanufacturer(
  ctx: AppContext,
  remanufacturerId: string,
  input: RemanufacturerInput,
  by: string,
) {
  input.productLines.forEach((code, i) => lineOf(ctx, code, `productLines.${i}`));
  if (!ctx.profile.districts.some((d) => d.code === input.districtCode)) {
    throw DomainError.invalid(
      'unknown-district',
      'districtCode',
      `没有街道或团镇 ${input.districtCode} / No district ${input.districtCode}.`,
    );
  }
  const { remanufacturer, created } = await ctx.remanufacturers.put(remanufacturerId, {
    ...input,
    productLines: [...new Set(input.productLines)],
    updatedAt: ctx.now(),
    updatedBy: by,
  });
  return { view: remanufacturerView(remanufacturer), created };
}

export async function getRemanufacturer(ctx: AppContext, principal: Principal, remanufacturerId: string) {
  assertScope(principal, remanufacturerId);
  const found = await ctx.remanufacturers.find(remanufacturerId);
  if (!found) throw remanufacturerNotFound(remanufacturerId);
  return remanufacturerView(found);
}

export async function listRemanufacturers(ctx: AppContext) {
  return (await ctx.remanufacturers.list()).map(remanufacturerView);
}

/** What the qualification rule reads of a remanufacturer. */
export const qualificationFacts = (r: RemanufacturerDoc): RemanufacturerFacts => ({
  remanufacturerId: r._id,
  active: r.active,
  qualification: r.qualification,
  productLines: r.productLines,
});

/** The remanufacturer, for a use case that needs it to exist. */
export async function requireRemanufacturer(ctx: AppContext, remanufacturerId: string) {
  const found = await ctx.remanufacturers.find(remanufacturerId);
  if (!found) throw remanufacturerNotFound(remanufacturerId);
  return found;
}
