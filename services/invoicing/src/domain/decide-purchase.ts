import type {
  InvoiceIssuedData,
  InvoiceRefusedData,
  InvoiceReversedData,
  InvoiceableLine,
  ReverseInvoicingTax,
  SellerIdentity,
} from '@recycling/contracts';
import { checkIssuer, issuerOf, type Enterprise } from './enterprise';
import { invoiceIdFor, refusalIdFor } from './ids';
import { inWindow, localDateOf, monthOf, rollingWindow } from './months';
import { saleTiming, type SaleTiming } from './late-sales';
import { refusalMessage, tooOldMessage } from './refusal-messages';
import { invoiceKindFor, reverseLines, taxLines, totalsOf, vatRateForMonth, type VatRate } from './tax';

// The reverse-invoicing decision for one purchase revision (domain.md section 3), over the seller's
// ledger: which invoices it reverses, whether it is refused or invoiced, and at which rate.
//
// The month that crosses the exemption threshold: the small-scale taxpayer rule looks at the month's
// sales, so the whole month becomes taxable. The crossing invoice is issued at the rate, and every
// earlier exempt invoice of the month (from any enterprise) is reversed (红冲) and reissued at it.
// The same reconciliation runs the other way when a correction takes the month back under the
// threshold. Only the month of the purchase is reconciled: see the README for a correction that
// reaches back into an earlier month.

/** A blue invoice of the seller that has not been reversed, as the ledger remembers it. */
export interface ActiveInvoice {
  invoiceId: string;
  issuerId: string;
  purchaseId: string;
  period: string;
  amountFen: number;
  vatRateBp: number;
}

export interface PurchaseRevision {
  purchaseId: string;
  revision: number;
  buyerId: string;
  seller: SellerIdentity;
  lines: InvoiceableLine[];
  totalFen: number;
  occurredAt: string;
  /** Set on corrections. */
  reason?: string;
  /** The booked pickup the goods came through, when they did (residents find their invoices by it). */
  pickupId?: string;
}

export type IssuedDraft = Omit<InvoiceIssuedData, 'invoiceNo'>;
export type ReversalDraft = Omit<InvoiceReversedData, 'invoiceNo'>;

/** `pickupId`: the pickup of the document's own purchase (which may not be the purchase decided). */
export type PlannedDocument =
  | { kind: 'issued'; invoiceId: string; issuerId: string; pickupId?: string; data: IssuedDraft }
  | { kind: 'reversed'; invoiceId: string; issuerId: string; pickupId?: string; data: ReversalDraft }
  | { kind: 'refused'; invoiceId: string; issuerId: string; pickupId?: string; data: InvoiceRefusedData };

export interface Decision {
  outcome: 'issued' | 'refused' | 'withdrawn';
  /** In the order they are numbered and published: reversals before the invoices replacing them. */
  documents: PlannedDocument[];
  /** The ledger's active invoices after the decision. */
  active: ActiveInvoice[];
}

export interface DecisionInput {
  purchase: PurchaseRevision;
  active: readonly ActiveInvoice[];
  /** Issued invoices (with their numbers) the decision may reverse, by invoice id. */
  invoices: ReadonlyMap<string, InvoiceIssuedData>;
  enterprise: Enterprise | undefined;
  rules: ReverseInvoicingTax;
  timeZone: string;
  /** The pickup of each loaded invoice's purchase, by purchase id (purchases that came through one). */
  pickupIds?: ReadonlyMap<string, string>;
  /**
   * When the decision is made (ISO): a sale dated in a month whose filing period has closed is
   * invoiced now, in the open month, and one older than `lateSaleMaxMonths` is refused
   * (late-sales.ts). Without it, every sale is invoiced at its own date.
   */
  decidedAt?: string;
}

const sum = (xs: readonly ActiveInvoice[]) => xs.reduce((s, x) => s + x.amountFen, 0);
const later = (a: string, b: string) => (a > b ? a : b);

export function decidePurchase(input: DecisionInput): Decision {
  const { rules, timeZone } = input;
  const timing: SaleTiming = input.decidedAt
    ? saleTiming(input.purchase.occurredAt, input.decidedAt, rules, timeZone)
    : { kind: 'on-time' };
  // A late sale is decided as of its invoice date (now): its month, threshold and rate are those of
  // the open month; whether the issuer could buy is judged at the sale's own date.
  // (A refused one reverses what its earlier revision issued in the open month too.)
  const purchase =
    timing.kind === 'on-time' ? input.purchase : { ...input.purchase, occurredAt: timing.invoicedAt };
  const saleDate = localDateOf(input.purchase.occurredAt, timeZone);
  const month = monthOf(purchase.occurredAt, timeZone);
  const localDate = localDateOf(purchase.occurredAt, timeZone);
  const documents: PlannedDocument[] = [];
  let active = [...input.active];

  const original = (id: string): InvoiceIssuedData => {
    const found = input.invoices.get(id);
    if (!found) throw new Error(`invoice ${id} is active in the ledger but was not loaded`);
    return found;
  };

  const reverse = (inv: InvoiceIssuedData, role: string, reason: ReversalDraft['reason']): void => {
    const lines = reverseLines(inv.lines);
    const occurredAt = later(purchase.occurredAt, inv.occurredAt);
    documents.push({
      kind: 'reversed',
      invoiceId: invoiceIdFor(purchase.purchaseId, purchase.revision, role),
      issuerId: inv.issuer.enterpriseId,
      data: {
        invoiceId: invoiceIdFor(purchase.purchaseId, purchase.revision, role),
        originalInvoiceId: inv.invoiceId,
        originalInvoiceNo: inv.invoiceNo,
        issuer: inv.issuer,
        seller: inv.seller,
        purchaseId: inv.purchaseId,
        purchaseRevision: inv.purchaseId === purchase.purchaseId ? purchase.revision : inv.purchaseRevision,
        kind: inv.kind,
        period: monthOf(occurredAt, timeZone),
        vatTreatment: inv.vatTreatment,
        reason,
        lines,
        totals: totalsOf(lines, inv.totals.incomeTaxRateBp),
        occurredAt,
      },
    });
    active = active.filter((a) => a.invoiceId !== inv.invoiceId);
  };

  // 1. A correction first reverses what the earlier revision issued.
  const earlier = active.filter((a) => a.purchaseId === purchase.purchaseId);
  for (const a of earlier) {
    reverse(original(a.invoiceId), `reverse:${a.invoiceId}`, {
      code: purchase.totalFen === 0 ? 'purchase-withdrawn' : 'purchase-corrected',
      ...(purchase.reason ? { note: purchase.reason } : {}),
    });
  }

  // 2. Refuse or issue the new revision.
  let outcome: Decision['outcome'] = 'withdrawn';
  if (purchase.totalFen > 0) {
    const refusal = refusalFor(input, timing, month, saleDate, active);
    if (refusal) {
      outcome = 'refused';
      documents.push({
        kind: 'refused',
        invoiceId: refusalIdFor(purchase.purchaseId, purchase.revision),
        issuerId: purchase.buyerId,
        data: refusal,
      });
    } else {
      outcome = 'issued';
      const enterprise = input.enterprise!;
      const monthSales = sum(active.filter((a) => a.period === month)) + purchase.totalFen;
      const rate = vatRateForMonth(monthSales, localDate, rules);
      const invoiceId = invoiceIdFor(purchase.purchaseId, purchase.revision, 'issue');
      const lines = taxLines(purchase.lines, rate.rateBp);
      documents.push({
        kind: 'issued',
        invoiceId,
        issuerId: enterprise.enterpriseId,
        data: {
          invoiceId,
          issuer: issuerOf(enterprise),
          seller: purchase.seller,
          purchaseId: purchase.purchaseId,
          purchaseRevision: purchase.revision,
          kind: invoiceKindFor(enterprise.vatMethod, rate),
          period: month,
          vatTreatment: rate.treatment,
          lines,
          totals: totalsOf(lines, rules.incomeTaxPrepaymentRateBp),
          occurredAt: purchase.occurredAt,
          ...(timing.kind === 'late' ? { saleOccurredAt: input.purchase.occurredAt } : {}),
        },
      });
      active.push({
        invoiceId,
        issuerId: enterprise.enterpriseId,
        purchaseId: purchase.purchaseId,
        period: month,
        amountFen: purchase.totalFen,
        vatRateBp: rate.rateBp,
      });
    }
  }

  // 3. The month's other invoices follow the month's treatment.
  const inMonth = active.filter((a) => a.period === month);
  const target = vatRateForMonth(sum(inMonth), localDate, rules);
  for (const a of inMonth) {
    if (a.vatRateBp === target.rateBp) continue;
    // The new invoice already has the month's rate, so only loaded invoices get here.
    const inv = original(a.invoiceId);
    reverse(inv, `reverse:${a.invoiceId}`, { code: 'other', note: retaxNote(target, rules) });
    reissue(inv, target, `reissue:${a.invoiceId}`);
  }

  function reissue(inv: InvoiceIssuedData, rate: VatRate, role: string): void {
    const invoiceId = invoiceIdFor(purchase.purchaseId, purchase.revision, role);
    const lines = taxLines(
      inv.lines.map(({ vatRateBp: _r, vatFen: _v, ...line }) => line),
      rate.rateBp,
    );
    const occurredAt = later(purchase.occurredAt, inv.occurredAt);
    documents.push({
      kind: 'issued',
      invoiceId,
      issuerId: inv.issuer.enterpriseId,
      data: {
        invoiceId,
        issuer: inv.issuer,
        seller: inv.seller,
        purchaseId: inv.purchaseId,
        purchaseRevision: inv.purchaseRevision,
        kind: invoiceKindFor(inv.issuer.vatMethod, rate),
        period: monthOf(occurredAt, timeZone),
        vatTreatment: rate.treatment,
        lines,
        totals: totalsOf(lines, inv.totals.incomeTaxRateBp),
        occurredAt,
        ...(inv.saleOccurredAt ? { saleOccurredAt: inv.saleOccurredAt } : {}),
      },
    });
    active.push({
      invoiceId,
      issuerId: inv.issuer.enterpriseId,
      purchaseId: inv.purchaseId,
      period: monthOf(occurredAt, timeZone),
      amountFen: inv.totals.amountFen,
      vatRateBp: rate.rateBp,
    });
  }

  // Every document belongs to one purchase: the one decided, or (reversals and reissues of the
  // month) an earlier one, whose pickup its invoice remembers.
  const pickupOf = (purchaseId: string): string | undefined =>
    (purchaseId === purchase.purchaseId ? purchase.pickupId : undefined) ?? input.pickupIds?.get(purchaseId);
  const withPickups = documents.map((d): PlannedDocument => {
    const pickupId = pickupOf(d.data.purchaseId);
    return pickupId ? { ...d, pickupId } : d;
  });
  return { outcome, documents: withPickups, active };
}

const retaxNote = (rate: VatRate, rules: ReverseInvoicingTax): string =>
  rate.rateBp > 0
    ? `本月反向开票销售额超过${rules.monthlyExemptionThresholdFen / 1_000_000}万元，全月按${rate.rateBp / 100}%征收率重开 / The month's sales exceed the exemption threshold; the whole month is reissued at ${rate.rateBp / 100}%`
    : `更正后本月反向开票销售额未超过${rules.monthlyExemptionThresholdFen / 1_000_000}万元，全月免征重开 / After the correction the month's sales are within the exemption threshold; the whole month is reissued exempt`;

/** `saleDate`: the local date of the sale; `month`: the tax month it is invoiced in. */
function refusalFor(
  input: DecisionInput,
  timing: SaleTiming,
  month: string,
  saleDate: string,
  active: readonly ActiveInvoice[],
): InvoiceRefusedData | undefined {
  const { purchase, rules } = input;
  const base = {
    purchaseId: purchase.purchaseId,
    purchaseRevision: purchase.revision,
    issuer: { enterpriseId: purchase.buyerId },
    sellerKey: purchase.seller.sellerKey,
    occurredAt: purchase.occurredAt,
  };
  if (saleDate < rules.effectiveFrom) {
    return {
      ...base,
      reasonCode: 'other',
      ...refusalMessage('other', { effectiveFrom: rules.effectiveFrom }),
    };
  }
  if (timing.kind === 'too-old') {
    return { ...base, reasonCode: 'other', ...tooOldMessage(timing.earliestMonth, rules.lateSaleMaxMonths) };
  }
  const issuer = checkIssuer(input.enterprise, saleDate);
  if (!issuer.ok) return { ...base, reasonCode: issuer.reasonCode, ...refusalMessage(issuer.reasonCode) };

  const window = rollingWindow(month, rules.rollingCapMonths);
  const invoicedFen = sum(active.filter((a) => inWindow(a.period, window)));
  if (invoicedFen + purchase.totalFen > rules.rollingCapFen) {
    return {
      ...base,
      reasonCode: 'rolling-cap-exceeded',
      ...refusalMessage('rolling-cap-exceeded', {
        capFen: rules.rollingCapFen,
        capMonths: rules.rollingCapMonths,
      }),
      cap: {
        windowStart: window.start,
        windowEnd: window.end,
        invoicedFen,
        requestedFen: purchase.totalFen,
        capFen: rules.rollingCapFen,
      },
    };
  }
  return undefined;
}
