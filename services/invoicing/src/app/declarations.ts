import {
  CITY_WIDE_ROLES,
  DeclarationEventTypes,
  DomainError,
  type DeclarationPreparedData,
  type Principal,
} from '@recycling/contracts';
import { declarationContent, sameContent, type DeclaredInvoice } from '../domain/declaration';
import { declarationIdFor } from '../domain/ids';
import { addMonths, monthOf } from '../domain/months';
import { declarationNotFound } from '../store/declaration-repository';
import type { InvoicingContext } from './context';
import { assertEnterpriseScope, enterpriseNotFound } from './enterprises';

/** More declarations than one listing needs (an enterprise files twelve a year). */
const MAX_LISTED = 1_000;

/**
 * Prepares the issuer's withholding declaration for a period from the invoices dated in it. A
 * declaration whose content has not changed is returned as it is (no new revision, no event), so
 * the scheduler and administrators can ask again safely; a changed one gets the next revision.
 */
export async function prepareDeclaration(
  ctx: InvoicingContext,
  enterpriseId: string,
  period: string,
  now = ctx.now(),
): Promise<{ declaration: DeclarationPreparedData; changed: boolean }> {
  assertDeclarablePeriod(ctx, period, now);
  const enterprise = await ctx.enterprises.find(enterpriseId);
  if (!enterprise) throw enterpriseNotFound(enterpriseId);
  const declarationId = declarationIdFor(enterpriseId, period);
  let previous: DeclarationPreparedData | undefined;
  const revised = await ctx.declarations.revise(
    { declarationId, enterpriseId, period },
    now,
    async (current) => {
      const records = await ctx.invoices.ofIssuerPeriod(enterpriseId, period);
      const content = declarationContent(records as unknown as DeclaredInvoice[]);
      previous = current?.data as DeclarationPreparedData | undefined;
      if (previous && sameContent(content, { summary: previous.summary, details: previous.details })) {
        return undefined;
      }
      const data: DeclarationPreparedData = {
        declarationId,
        enterpriseId,
        issuer: { name: enterprise.name, taxpayerId: enterprise.taxpayerId },
        period,
        revision: (current?.revision ?? 0) + 1,
        ...content,
        occurredAt: now.toISOString(),
      };
      const event = ctx.events(DeclarationEventTypes.prepared, data, { subject: declarationId });
      return { revision: data.revision, data: event.data as Record<string, unknown>, event };
    },
  );
  return revised
    ? { declaration: revised.data as unknown as DeclarationPreparedData, changed: true }
    : { declaration: previous!, changed: false };
}

/**
 * The months a declaration may be prepared for: from the month reverse invoicing took effect in the
 * city (the profile's `effectiveFrom`) to the current month, in the city's time zone. Anything else
 * (the year 0000, a month of next year) is a mistake: 400 naming the field period.
 */
export function assertDeclarablePeriod(ctx: InvoicingContext, period: string, now = ctx.now()): void {
  const first = ctx.profile.tax.reverseInvoicing.effectiveFrom.slice(0, 7);
  const last = monthOf(now, ctx.profile.timezone);
  if (/^\d{4}-(0[1-9]|1[0-2])$/.test(period) && period >= first && period <= last) return;
  throw DomainError.invalid(
    'period-out-of-range',
    'period',
    `申报所属期须在${first}至${last}之间（反向开票施行之月至本月）/ The period must be from ${first} (when reverse invoicing took effect) to ${last} (the current month).`,
  );
}

/** The month before the one `now` falls in, in the city's time zone: the period filed now. */
export const previousPeriod = (ctx: InvoicingContext, now = ctx.now()): string =>
  addMonths(monthOf(now, ctx.profile.timezone), -1);

/**
 * Prepares last month's declaration of every enterprise that issued or reversed invoices in it.
 * Run by the scheduler; unchanged declarations are left alone, so running it often is harmless.
 */
export async function prepareDueDeclarations(ctx: InvoicingContext, now = ctx.now()): Promise<number> {
  const period = previousPeriod(ctx, now);
  let prepared = 0;
  for (const enterpriseId of await ctx.invoices.issuersOf(period)) {
    if (!(await ctx.enterprises.find(enterpriseId))) continue;
    const { changed } = await prepareDeclaration(ctx, enterpriseId, period, now);
    if (changed) prepared += 1;
  }
  return prepared;
}

/** Declarations the caller may read: operators name their enterprise, city-wide roles need not. */
export async function listDeclarations(
  ctx: InvoicingContext,
  principal: Principal,
  filter: { enterpriseId?: string; period?: string },
): Promise<DeclarationPreparedData[]> {
  if (!filter.enterpriseId && !CITY_WIDE_ROLES.includes(principal.role)) {
    throw DomainError.invalid(
      'enterprise-required',
      'query.enterpriseId',
      '运营人员须指定企业 / Required for operators: the enterprise whose declarations to list.',
    );
  }
  if (filter.enterpriseId) await assertEnterpriseScope(ctx, principal, filter.enterpriseId);
  const docs = await ctx.declarations.list(filter, MAX_LISTED);
  return docs.map((d) => d.data as unknown as DeclarationPreparedData);
}

/** One declaration (its latest revision), if the caller may read its enterprise's. */
export async function getDeclaration(
  ctx: InvoicingContext,
  principal: Principal,
  declarationId: string,
): Promise<DeclarationPreparedData> {
  const doc = await ctx.declarations.find(declarationId);
  if (!doc) throw declarationNotFound(declarationId);
  await assertEnterpriseScope(ctx, principal, doc.enterpriseId);
  return doc.data as unknown as DeclarationPreparedData;
}
