import {
  applianceCategories,
  type IntakeContents,
  type InvoiceableLine,
  type PurchaseCorrectedData,
  type PurchaseEvidence,
  type PurchaseRecordedData,
  type SellerIdentity,
} from '@recycling/contracts';

// A purchase from a natural person in invoice terms (domain.md section 3). Lines paid nothing are
// left out: a reverse invoice states what the enterprise paid, and a gift is not a sale. A purchase
// whose every line is free is therefore no purchase at all (no event).

export const purchaseIdOf = (intakeId: string) => `intake:${intakeId}`;

export const goodsNameOf = (category: keyof typeof applianceCategories) =>
  `*废旧物资*废旧${applianceCategories[category].name.zh}`;

export const purchaseLines = (contents: IntakeContents, taxCategoryCode: string): InvoiceableLine[] =>
  contents.lines
    .filter((l) => l.priceFen > 0)
    .map((l) => ({
      lineId: l.lineId,
      goodsName: goodsNameOf(l.category),
      taxCategoryCode,
      unit: '台',
      quantity: String(l.units),
      // Input rules make priceFen a whole number of fen per unit.
      unitPriceFen: l.priceFen / l.units,
      amountFen: l.priceFen,
    }));

export interface PurchaseFacts {
  intakeId: string;
  enterpriseId: string;
  stationId: string;
  seller: SellerIdentity;
  paidAt: string;
  evidence: PurchaseEvidence;
  /** The booked pickup the goods came through (intake source `pickup`), so residents find the invoice. */
  pickupId?: string;
}

export const purchaseRecorded = (
  facts: PurchaseFacts,
  lines: InvoiceableLine[],
  occurredAt: string,
): PurchaseRecordedData => ({
  purchaseId: purchaseIdOf(facts.intakeId),
  revision: 1,
  buyer: { enterpriseId: facts.enterpriseId },
  siteId: facts.stationId,
  ...(facts.pickupId ? { pickupId: facts.pickupId } : {}),
  seller: facts.seller,
  lines,
  totalFen: lines.reduce((s, l) => s + l.amountFen, 0),
  paidAt: facts.paidAt,
  evidence: facts.evidence,
  occurredAt,
});

export const purchaseCorrected = (
  facts: PurchaseFacts,
  lines: InvoiceableLine[],
  revision: number,
  reason: string,
  occurredAt: string,
): PurchaseCorrectedData => ({
  ...purchaseRecorded(facts, lines, occurredAt),
  revision,
  reason,
});

/**
 * What a correction means for the purchase: a first recording when an unpaid intake becomes a paid
 * one, a restatement when what was paid (or the payment record) changed, which withdraws the purchase
 * when no paid line is left, and otherwise nothing (invoicing would reverse and reissue for nothing).
 */
export type PurchaseChange = { kind: 'none' } | { kind: 'record' } | { kind: 'correct'; revision: number };

export const purchaseChangeFor = (
  previousRevision: number,
  before: readonly InvoiceableLine[],
  after: readonly InvoiceableLine[],
  newPaymentRecord: boolean,
): PurchaseChange => {
  if (previousRevision === 0) return after.length > 0 ? { kind: 'record' } : { kind: 'none' };
  if (!newPaymentRecord && JSON.stringify(before) === JSON.stringify(after)) return { kind: 'none' };
  return { kind: 'correct', revision: previousRevision + 1 };
};
