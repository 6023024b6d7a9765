import { z } from 'zod';
import { Fen, Id, IsoUtc, Note } from '../scalars';
import { checkSum, checkUnique } from '../validation';
import { InvoiceableLine, OccurredAt, PurchaseEvidence, SellerIdentity } from './common';

// Topic recycling.purchases.v1, written by sorting and dismantling: purchases of scrap from natural
// persons, the input of reverse invoicing. It is keyed by seller key so that every sale of one person,
// from every enterprise, is decided in order on one partition (monthly threshold, rolling cap).
//
// Unlike the other topics it carries the seller's full identity, because the invoicing service must
// print it on the invoice and cannot ask the producer (services never call each other). Its readers
// are therefore limited, and none of them may log or store the identity except invoicing.
// Purchases from organisations are not published: organisations issue their own invoices.
//
// Each revision restates the whole purchase, so invoicing can reverse and reissue from the event alone.

export const PurchaseEventTypes = {
  recorded: 'recycling.purchase.recorded.v1',
  corrected: 'recycling.purchase.corrected.v1',
} as const;

export const PurchaseId = Id.regex(
  /^[a-z][a-z-]*:.+$/,
  '<source>:<id>, e.g. intake:I-20250301-0007',
).describe('Stable id derived from the source record, e.g. intake:<intakeId> or vehicle:<vehicleIntakeId>');

const PurchaseBody = {
  purchaseId: PurchaseId,
  buyer: z
    .object({ enterpriseId: Id })
    .describe('The enterprise that bought and will issue the reverse invoice'),
  siteId: Id.describe('Station or dismantling site where the trade happened'),
  pickupId: Id.optional().describe(
    'The booked pickup (recycling.pickups.v1) the goods came through; absent for walk-ins and other sources',
  ),
  seller: SellerIdentity,
  paidAt: IsoUtc.describe('When the seller was paid'),
  evidence: PurchaseEvidence,
  occurredAt: OccurredAt,
};

const checkLines = (
  p: { lines: readonly InvoiceableLine[]; totalFen: number },
  ctx: z.core.$RefinementCtx,
): void => {
  checkUnique(ctx, ['lines'], p.lines, (l) => l.lineId);
  checkSum(
    ctx,
    ['totalFen'],
    p.totalFen,
    p.lines.map((l) => l.amountFen),
  );
};

export const PurchaseRecordedData = z
  .object({
    ...PurchaseBody,
    revision: z.literal(1),
    lines: z.array(InvoiceableLine).min(1),
    totalFen: Fen.describe('Sum of amountFen over the lines, excluding VAT'),
  })
  .superRefine(checkLines)
  .describe('An enterprise bought scrap from a natural person and paid for it');
export type PurchaseRecordedData = z.infer<typeof PurchaseRecordedData>;

export const PurchaseCorrectedData = z
  .object({
    ...PurchaseBody,
    revision: z.int().min(2).describe('Previous revision + 1'),
    reason: Note,
    lines: z.array(InvoiceableLine).describe('The complete lines from now on; empty when withdrawn'),
    totalFen: Fen.describe('Sum of amountFen over the lines; 0 means the purchase is withdrawn'),
  })
  .superRefine((p, ctx) => {
    checkLines(p, ctx);
    if ((p.lines.length === 0) !== (p.totalFen === 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['lines'],
        message: 'a withdrawn purchase (total 0) has no lines',
      });
    }
  })
  .describe(
    'A purchase was corrected; the event restates it in full. A wrong seller is corrected by withdrawing ' +
      'the purchase (it lives on that seller key) and recording a new one under the right seller.',
  );
export type PurchaseCorrectedData = z.infer<typeof PurchaseCorrectedData>;

export const purchaseEventSchemas = {
  [PurchaseEventTypes.recorded]: PurchaseRecordedData,
  [PurchaseEventTypes.corrected]: PurchaseCorrectedData,
} as const;
