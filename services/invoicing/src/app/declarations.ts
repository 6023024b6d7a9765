import { DeclarationEventTypes, type DeclarationPreparedData } from '@recycling/contracts';
import { enqueue } from '@recycling/messaging';
import { declarationContent, sameContent, type DeclaredInvoice } from '../domain/declaration';
import { declarationIdFor } from '../domain/ids';
import { addMonths, monthOf } from '../domain/months';
import type { AppContext } from './context';
import { getEnterprise } from './enterprises';
import { HttpProblem } from '@recycling/service-kit';

/**
 * Prepares the issuer's withholding declaration for a period from the invoices dated in it. A
 * declaration whose content has not changed is returned as it is (no new revision, no event), so
 * the scheduler and administrators can ask again safely; a changed one gets the next revision.
 */
export async function prepareDeclaration(
  ctx: AppContext,
  enterpriseId: string,
  period: string,
  now = new Date(),
): Promise<{ declaration: DeclarationPreparedData; changed: boolean }> {
  const enterprise = await getEnterprise(ctx, enterpriseId);
  if (!enterprise) {
    throw new HttpProblem(404, undefined, `未登记的企业 / Unknown enterprise ${enterpriseId}`, {
      title_zh: '未找到',
    });
  }
  const declarationId = declarationIdFor(enterpriseId, period);
  return ctx.messaging.locks.withLock(`declaration:${declarationId}`, async () => {
    const { Declaration, InvoiceRecord } = ctx.models;
    const records = await InvoiceRecord.find(
      { issuerId: enterpriseId, period, kind: { $in: ['issued', 'reversed'] } },
      { kind: 1, data: 1 },
    ).lean();
    const content = declarationContent(
      records.map((r) => ({ kind: r.kind, data: r.data }) as unknown as DeclaredInvoice),
    );
    const existing = await Declaration.findById(declarationId);
    const previous = existing?.data as DeclarationPreparedData | undefined;
    if (previous && sameContent(content, { summary: previous.summary, details: previous.details })) {
      return { declaration: previous, changed: false };
    }
    const data: DeclarationPreparedData = {
      declarationId,
      enterpriseId,
      issuer: { name: enterprise.name, taxpayerId: enterprise.taxpayerId },
      period,
      revision: (existing?.revision ?? 0) + 1,
      ...content,
      occurredAt: now.toISOString(),
    };
    const event = ctx.messaging.events(DeclarationEventTypes.prepared, data, { subject: declarationId });
    const doc =
      existing ??
      new Declaration({ _id: declarationId, enterpriseId, period, outbox: [], outboxUpdatedAt: null });
    enqueue(doc, [event], await ctx.messaging.relay.publishedAmong(doc.outbox.map((e) => e.id)));
    doc.revision = data.revision;
    doc.data = event.data as Record<string, unknown>;
    doc.preparedAt = now;
    doc.markModified('data');
    await doc.save();
    ctx.messaging.relay.nudge(Declaration, [declarationId]);
    return { declaration: event.data as DeclarationPreparedData, changed: true };
  });
}

/** The month before the one `now` falls in, in the city's time zone: the period filed now. */
export const previousPeriod = (ctx: AppContext, now = new Date()): string =>
  addMonths(monthOf(now, ctx.profile.timezone), -1);

/**
 * Prepares last month's declaration of every enterprise that issued or reversed invoices in it.
 * Run by the scheduler; unchanged declarations are left alone, so running it often is harmless.
 */
export async function prepareDueDeclarations(ctx: AppContext, now = new Date()): Promise<number> {
  const period = previousPeriod(ctx, now);
  const issuers = await ctx.models.InvoiceRecord.distinct('issuerId', {
    period,
    kind: { $in: ['issued', 'reversed'] },
  });
  let prepared = 0;
  for (const enterpriseId of issuers.sort()) {
    if (!(await getEnterprise(ctx, enterpriseId))) continue;
    const { changed } = await prepareDeclaration(ctx, enterpriseId, period, now);
    if (changed) prepared += 1;
  }
  return prepared;
}
