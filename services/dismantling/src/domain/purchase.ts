import type {
  InvoiceableLine,
  PurchaseCorrectedData,
  PurchaseRecordedData,
  SellerIdentity,
} from '@recycling/contracts';

// A scrapped vehicle bought from a natural person is a scrap purchase the enterprise reverse-invoices
// (STA 2024 No. 5). One vehicle is one line of 1 辆 at the price paid. Organisations invoice the sale
// themselves, so nothing is published for them; a price of 0 has nothing to invoice.

export interface VehiclePurchaseFacts {
  readonly vehicleIntakeId: string;
  readonly enterpriseId: string;
  readonly dismantlerId: string;
  readonly seller: SellerIdentity;
  readonly priceFen: number;
  readonly paidAt: string;
  readonly paymentRecordId: string;
  readonly consentRecordedAt: string;
  readonly occurredAt: string;
  /** The pickup the vehicle came through, so invoicing can show the invoice to its resident. */
  readonly pickupId?: string;
}

export interface PurchaseTerms {
  /** Tax classification code of scrapped vehicles (configuration: the tax office rules on it). */
  readonly taxCategoryCode: string;
}

export const purchaseIdOf = (vehicleIntakeId: string): string => `vehicle:${vehicleIntakeId}`;

export const vehiclePurchaseLine = (priceFen: number, terms: PurchaseTerms): InvoiceableLine => ({
  lineId: 'vehicle',
  goodsName: '*废旧物资*报废机动车',
  taxCategoryCode: terms.taxCategoryCode,
  unit: '辆',
  quantity: '1',
  unitPriceFen: priceFen,
  amountFen: priceFen,
});

export const isInvoiceablePurchase = (owner: { kind: string }, priceFen: number): boolean =>
  owner.kind === 'person' && priceFen > 0;

export const vehiclePurchaseRecorded = (
  facts: VehiclePurchaseFacts,
  terms: PurchaseTerms,
): PurchaseRecordedData => ({
  purchaseId: purchaseIdOf(facts.vehicleIntakeId),
  revision: 1,
  buyer: { enterpriseId: facts.enterpriseId },
  siteId: facts.dismantlerId,
  ...(facts.pickupId ? { pickupId: facts.pickupId } : {}),
  seller: facts.seller,
  lines: [vehiclePurchaseLine(facts.priceFen, terms)],
  totalFen: facts.priceFen,
  paidAt: facts.paidAt,
  evidence: { paymentRecordId: facts.paymentRecordId, consentRecordedAt: facts.consentRecordedAt },
  occurredAt: facts.occurredAt,
});

/** A voided intake withdraws its purchase: the same purchase restated with no lines and total 0. */
export const vehiclePurchaseWithdrawn = (
  recorded: PurchaseRecordedData,
  reason: string,
  occurredAt: string,
): PurchaseCorrectedData => ({
  ...recorded,
  revision: 2,
  reason,
  lines: [],
  totalFen: 0,
  occurredAt,
});
