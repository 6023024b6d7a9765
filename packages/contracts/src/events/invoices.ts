import { z } from 'zod';
import { Label } from '../labels';
import { InvoiceKind, VatMethod } from '../reference/enterprises';
import { BasisPoints, Fen, Id, Month, Note, SellerKey, SignedFen, TaxpayerId } from '../scalars';
import { checkSum, checkUnique } from '../validation';
import { InvoiceableLine, OccurredAt, SellerIdentity, checkLineAmount } from './common';
import { PurchaseId } from './purchases';

// Topic recycling.invoices.v1, written by invoicing, read by the tax office and statistics. Keyed by
// seller key, like purchases, so a person's invoices and refusals stay in decision order.
//
// Every invoice event describes the document it creates: invoiceId / invoiceNo are those of the
// issued invoice, or of the red-letter invoice for a reversal (which also names the original). An
// issued invoice is never changed, only reversed.

export const InvoiceEventTypes = {
  issued: 'recycling.invoice.issued.v1',
  reversed: 'recycling.invoice.reversed.v1',
  refused: 'recycling.invoice.refused.v1',
} as const;

export const InvoiceNo = z
  .string()
  .regex(/^\d{8,20}$/)
  .describe(
    "Invoice number, unique in the city: 20 digits as a fully digitalised e-invoice (year, region, issuing channel, sequence); earlier invoices: division code and the issuer's sequence",
  );

export const Issuer = z.object({
  enterpriseId: Id,
  name: z.string().min(1).max(200),
  taxpayerId: TaxpayerId,
  vatMethod: VatMethod.describe('general may issue special or ordinary invoices; simplified only ordinary'),
});
export type Issuer = z.infer<typeof Issuer>;

export const VatTreatment = z
  .enum(['exempt', 'reduced', 'standard'])
  .describe("The seller's month: exempt at or under the threshold, else the reduced or standard rate");
export type VatTreatment = z.infer<typeof VatTreatment>;

/** Tax rounded half away from zero to the fen, so a reversal mirrors its original exactly. */
export const taxOf = (amountFen: number, rateBp: number): number =>
  Math.sign(amountFen) * Math.round((Math.abs(amountFen) * rateBp) / 10_000);

const InvoiceLineTax = {
  vatRateBp: BasisPoints,
  vatFen: SignedFen.describe('round(amountFen x vatRateBp / 10000), half away from zero'),
};

export const InvoiceLine = InvoiceableLine.safeExtend(InvoiceLineTax);
export type InvoiceLine = z.infer<typeof InvoiceLine>;

/** Red-letter lines: negative quantity and amounts, positive unit price, as on the red invoice. */
export const ReversalLine = z
  .object({
    ...InvoiceableLine.shape,
    quantity: z
      .string()
      .regex(/^-(0|[1-9]\d{0,11})(\.\d{1,6})?$/, 'negative decimal, e.g. -12.5')
      .refine((s) => /[1-9]/.test(s), 'must be below 0'),
    amountFen: z.int().max(0),
    ...InvoiceLineTax,
  })
  .superRefine(checkLineAmount);
export type ReversalLine = z.infer<typeof ReversalLine>;

export const InvoiceTotals = z.object({
  amountFen: SignedFen.describe('Sum of line amounts, excluding VAT'),
  vatFen: SignedFen.describe('Sum of line VAT'),
  totalFen: SignedFen.describe('amountFen + vatFen'),
  incomeTaxRateBp: BasisPoints.describe("Prepayment rate of the seller's income tax"),
  incomeTaxWithheldFen: SignedFen.describe(
    'round(amountFen x incomeTaxRateBp / 10000), withheld by the issuer',
  ),
});
export type InvoiceTotals = z.infer<typeof InvoiceTotals>;

interface Taxed {
  lines: readonly { lineId: string; amountFen: number; vatRateBp: number; vatFen: number }[];
  totals: InvoiceTotals;
  vatTreatment: VatTreatment;
}

const checkTaxes = (inv: Taxed, ctx: z.core.$RefinementCtx): void => {
  checkUnique(ctx, ['lines'], inv.lines, (l) => l.lineId);
  inv.lines.forEach((l, i) => {
    if (l.vatFen !== taxOf(l.amountFen, l.vatRateBp)) {
      ctx.addIssue({
        code: 'custom',
        path: ['lines', i, 'vatFen'],
        message: `must be ${taxOf(l.amountFen, l.vatRateBp)}`,
      });
    }
    if ((inv.vatTreatment === 'exempt') !== (l.vatRateBp === 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['lines', i, 'vatRateBp'],
        message: 'rate is 0 exactly when the treatment is exempt',
      });
    }
  });
  const t = inv.totals;
  checkSum(
    ctx,
    ['totals', 'amountFen'],
    t.amountFen,
    inv.lines.map((l) => l.amountFen),
  );
  checkSum(
    ctx,
    ['totals', 'vatFen'],
    t.vatFen,
    inv.lines.map((l) => l.vatFen),
  );
  if (t.totalFen !== t.amountFen + t.vatFen) {
    ctx.addIssue({ code: 'custom', path: ['totals', 'totalFen'], message: 'must equal amountFen + vatFen' });
  }
  if (t.incomeTaxWithheldFen !== taxOf(t.amountFen, t.incomeTaxRateBp)) {
    ctx.addIssue({
      code: 'custom',
      path: ['totals', 'incomeTaxWithheldFen'],
      message: `must be ${taxOf(t.amountFen, t.incomeTaxRateBp)}`,
    });
  }
};

const InvoiceBody = {
  invoiceId: Id,
  invoiceNo: InvoiceNo,
  issuer: Issuer.describe('The buying enterprise, which issues reverse invoices'),
  seller: SellerIdentity,
  purchaseId: PurchaseId,
  purchaseRevision: z.int().min(1),
  kind: InvoiceKind,
  period: Month.describe('Tax month of the invoice date (city time zone)'),
  vatTreatment: VatTreatment,
  occurredAt: OccurredAt.describe('Invoice date and time'),
  saleOccurredAt: OccurredAt.optional().describe(
    'When the sale took place, set when it was dated in a month whose filing period had closed: the invoice is then dated when issued, in the open month',
  ),
};

export const InvoiceIssuedData = z
  .object({
    ...InvoiceBody,
    lines: z.array(InvoiceLine).min(1),
    totals: InvoiceTotals.extend({
      amountFen: Fen,
      vatFen: Fen,
      totalFen: Fen,
      incomeTaxWithheldFen: Fen,
    }),
  })
  .superRefine((inv, ctx) => {
    checkTaxes(inv, ctx);
    if (inv.kind === 'special' && inv.issuer.vatMethod !== 'general') {
      ctx.addIssue({
        code: 'custom',
        path: ['kind'],
        message: 'only a general-method issuer may issue special invoices',
      });
    }
  })
  .describe('A reverse invoice (反向开票) was issued for a purchase');
export type InvoiceIssuedData = z.infer<typeof InvoiceIssuedData>;

export const REVERSAL_REASON_CODES = [
  'purchase-corrected',
  'purchase-withdrawn',
  'issued-in-error',
  'other',
] as const;

export const InvoiceReversedData = z
  .object({
    ...InvoiceBody,
    invoiceId: Id.describe('Id of the red-letter invoice'),
    invoiceNo: InvoiceNo.describe('Number of the red-letter invoice'),
    originalInvoiceId: Id,
    originalInvoiceNo: InvoiceNo,
    confirmationNo: z
      .string()
      .min(1)
      .max(40)
      .optional()
      .describe('Red-letter confirmation (红字确认单) number'),
    purchaseRevision: z.int().min(1).describe('The purchase revision that caused the reversal'),
    reason: z.object({ code: z.enum(REVERSAL_REASON_CODES), note: Note.optional() }),
    lines: z.array(ReversalLine).min(1),
    totals: InvoiceTotals.extend({
      amountFen: z.int().max(0),
      vatFen: z.int().max(0),
      totalFen: z.int().max(0),
      incomeTaxWithheldFen: z.int().max(0),
    }),
  })
  .superRefine(checkTaxes)
  .describe('A red-letter invoice (红冲) reversed an issued invoice, wholly or in part');
export type InvoiceReversedData = z.infer<typeof InvoiceReversedData>;

export const REFUSAL_REASON_CODES = [
  'rolling-cap-exceeded',
  'issuer-not-qualified',
  'issuer-suspended',
  'unknown-issuer',
  'invalid-seller-identity',
  'other',
] as const;
export const RefusalReason = z.enum(REFUSAL_REASON_CODES);
export type RefusalReason = z.infer<typeof RefusalReason>;

export const InvoiceRefusedData = z
  .object({
    purchaseId: PurchaseId,
    purchaseRevision: z.int().min(1),
    issuer: z.object({ enterpriseId: Id }),
    sellerKey: SellerKey,
    reasonCode: RefusalReason,
    message: Label.describe('What happened, for the enterprise and the seller'),
    advice: Label.optional().describe(
      'What to do, e.g. register as a business (individual industrial household)',
    ),
    cap: z
      .object({
        windowStart: Month.describe('First month of the rolling window'),
        windowEnd: Month.describe('Last month of the rolling window'),
        invoicedFen: Fen.describe("The seller's reverse-invoiced sales in the window before this purchase"),
        requestedFen: Fen,
        capFen: Fen,
      })
      .optional()
      .describe('Set for rolling-cap-exceeded'),
    occurredAt: OccurredAt,
  })
  .refine((r) => (r.reasonCode === 'rolling-cap-exceeded') === (r.cap !== undefined), {
    message: 'cap is given for, and only for, rolling-cap-exceeded',
    path: ['cap'],
  })
  .describe(
    'No invoice was issued for a purchase (never partly): the whole purchase is refused with a reason',
  );
export type InvoiceRefusedData = z.infer<typeof InvoiceRefusedData>;

export const invoiceEventSchemas = {
  [InvoiceEventTypes.issued]: InvoiceIssuedData,
  [InvoiceEventTypes.reversed]: InvoiceReversedData,
  [InvoiceEventTypes.refused]: InvoiceRefusedData,
} as const;
