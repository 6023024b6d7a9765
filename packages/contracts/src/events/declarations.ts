import { z } from 'zod';
import { Id, Month, SignedFen, TaxpayerId } from '../scalars';
import { checkSum, checkUnique } from '../validation';
import { OccurredAt, SellerIdentity } from './common';

// Topic recycling.declarations.v1, written by invoicing, keyed by enterprise id: the monthly summary
// (代办税费报告表) and detail (代办税费明细报告表) reports an issuer files for the sellers it invoiced.
// Amounts are net of red-letter invoices issued in the month, which may make a seller's line negative
// when an earlier month's invoice is reversed.

export const DeclarationEventTypes = {
  prepared: 'recycling.declaration.prepared.v1',
} as const;

const Amounts = {
  salesFen: SignedFen.describe('Reverse-invoiced sales, excluding VAT'),
  exemptSalesFen: SignedFen.describe('Part of salesFen that is VAT-exempt'),
  vatFen: SignedFen,
  incomeTaxFen: SignedFen.describe('Income tax withheld'),
  invoiceCount: z.int().min(0).describe('Blue invoices issued in the period'),
  reversalCount: z.int().min(0).describe('Red-letter invoices issued in the period'),
};

export const DeclarationDetail = z.object({ seller: SellerIdentity, ...Amounts });
export type DeclarationDetail = z.infer<typeof DeclarationDetail>;

export const DeclarationPreparedData = z
  .object({
    declarationId: Id,
    enterpriseId: Id,
    issuer: z.object({ name: z.string().min(1).max(200), taxpayerId: TaxpayerId }),
    period: Month.describe('The month declared; filed in the following month'),
    revision: z.int().min(1).describe('A re-prepared declaration replaces the previous revision'),
    summary: z.object({ sellerCount: z.int().min(0), ...Amounts }).describe('Sums over details'),
    details: z.array(DeclarationDetail).describe('One entry per seller'),
    occurredAt: OccurredAt,
  })
  .superRefine((d, ctx) => {
    checkUnique(ctx, ['details'], d.details, (x) => x.seller.sellerKey);
    if (d.summary.sellerCount !== d.details.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['summary', 'sellerCount'],
        message: 'must equal the number of details',
      });
    }
    for (const field of [
      'salesFen',
      'exemptSalesFen',
      'vatFen',
      'incomeTaxFen',
      'invoiceCount',
      'reversalCount',
    ] as const) {
      checkSum(
        ctx,
        ['summary', field],
        d.summary[field],
        d.details.map((x) => x[field]),
      );
    }
  })
  .describe("An issuer's monthly withholding declaration for the natural persons it reverse-invoiced");
export type DeclarationPreparedData = z.infer<typeof DeclarationPreparedData>;

export const declarationEventSchemas = {
  [DeclarationEventTypes.prepared]: DeclarationPreparedData,
} as const;
