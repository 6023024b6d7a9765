import {
  taxOf,
  type InvoiceKind,
  type InvoiceLine,
  type InvoiceTotals,
  type InvoiceableLine,
  type ReverseInvoicingTax,
  type ReversalLine,
  type VatMethod,
  type VatTreatment,
} from '@recycling/contracts';

// The seller's VAT and income tax on reverse invoices. Every parameter comes from the city profile
// (tax.reverseInvoicing), because the law changes them (the 1% rate ends on reducedVatRateUntil).
// Tax is computed per line, round(amount x rate / 10000) half away from zero (contracts' taxOf), so
// a red-letter line mirrors its original to the fen.

export interface VatRate {
  treatment: VatTreatment;
  rateBp: number;
}

/**
 * The rate for a seller's month: exempt while the month's sales (all enterprises) stay at or under the
 * threshold; above it the reduced rate while it is in force on `localDate`, else the standard rate.
 */
export const vatRateForMonth = (
  monthSalesFen: number,
  localDate: string,
  rules: ReverseInvoicingTax,
): VatRate => {
  if (monthSalesFen <= rules.monthlyExemptionThresholdFen) return { treatment: 'exempt', rateBp: 0 };
  return localDate <= rules.reducedVatRateUntil
    ? { treatment: 'reduced', rateBp: rules.reducedVatRateBp }
    : { treatment: 'standard', rateBp: rules.standardVatRateBp };
};

/**
 * A general-method buyer deducts input VAT with a special invoice; exempt sales may not be shown on a
 * special invoice, and a simplified-method buyer may only issue ordinary ones.
 */
export const invoiceKindFor = (vatMethod: VatMethod, rate: VatRate): InvoiceKind =>
  vatMethod === 'general' && rate.rateBp > 0 ? 'special' : 'ordinary';

export const taxLines = (lines: readonly InvoiceableLine[], rateBp: number): InvoiceLine[] =>
  lines.map((l) => ({ ...l, vatRateBp: rateBp, vatFen: taxOf(l.amountFen, rateBp) }));

/** The red-letter image of issued lines: negative quantity and amounts, the same unit price and rate. */
export const reverseLines = (lines: readonly InvoiceLine[]): ReversalLine[] =>
  lines.map((l) => ({
    ...l,
    quantity: `-${l.quantity}`,
    amountFen: -l.amountFen,
    vatFen: -l.vatFen,
  }));

export const totalsOf = (
  lines: readonly { amountFen: number; vatFen: number }[],
  incomeTaxRateBp: number,
): InvoiceTotals => {
  const amountFen = lines.reduce((s, l) => s + l.amountFen, 0);
  const vatFen = lines.reduce((s, l) => s + l.vatFen, 0);
  return {
    amountFen,
    vatFen,
    totalFen: amountFen + vatFen,
    incomeTaxRateBp,
    incomeTaxWithheldFen: taxOf(amountFen, incomeTaxRateBp),
  };
};
