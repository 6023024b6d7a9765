import type {
  DeclarationDetail,
  DeclarationPreparedData,
  InvoiceIssuedData,
  InvoiceReversedData,
} from '@recycling/contracts';

// The monthly withholding declaration of one issuer (代办税费报告表 and 明细报告表): per seller, the
// sales, exempt sales, VAT and income tax withheld on the blue and red-letter invoices dated in the
// period. Red-letter invoices count in their own month, so a reversal of an earlier month's invoice
// lowers this month's figures (possibly below zero), as the contracts state.

export type DeclaredInvoice =
  { kind: 'issued'; data: InvoiceIssuedData } | { kind: 'reversed'; data: InvoiceReversedData };

export type DeclarationContent = Pick<DeclarationPreparedData, 'summary' | 'details'>;

export function declarationContent(invoices: readonly DeclaredInvoice[]): DeclarationContent {
  const bySeller = new Map<string, DeclarationDetail>();
  for (const inv of invoices) {
    const d = inv.data;
    const key = d.seller.sellerKey;
    const detail = bySeller.get(key) ?? {
      seller: d.seller,
      salesFen: 0,
      exemptSalesFen: 0,
      vatFen: 0,
      incomeTaxFen: 0,
      invoiceCount: 0,
      reversalCount: 0,
    };
    detail.salesFen += d.totals.amountFen;
    if (d.vatTreatment === 'exempt') detail.exemptSalesFen += d.totals.amountFen;
    detail.vatFen += d.totals.vatFen;
    detail.incomeTaxFen += d.totals.incomeTaxWithheldFen;
    if (inv.kind === 'issued') detail.invoiceCount += 1;
    else detail.reversalCount += 1;
    bySeller.set(key, detail);
  }
  // Stable order, so an unchanged month prepares an identical declaration.
  const details = [...bySeller.values()].sort((a, b) => a.seller.sellerKey.localeCompare(b.seller.sellerKey));
  const total = (f: keyof Omit<DeclarationDetail, 'seller'>) => details.reduce((s, d) => s + d[f], 0);
  return {
    summary: {
      sellerCount: details.length,
      salesFen: total('salesFen'),
      exemptSalesFen: total('exemptSalesFen'),
      vatFen: total('vatFen'),
      incomeTaxFen: total('incomeTaxFen'),
      invoiceCount: total('invoiceCount'),
      reversalCount: total('reversalCount'),
    },
    details,
  };
}

/** Key order may differ after a round trip through the store, so compare canonically. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

export const sameContent = (a: DeclarationContent, b: DeclarationContent): boolean =>
  canonical(a) === canonical(b);
