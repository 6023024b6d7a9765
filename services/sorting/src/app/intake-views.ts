import { maskIdNumber, maskName, type PartyRef, type SellerIdentity } from '@recycling/contracts';
import type { PurchaseFacts } from '../domain/purchase';
import type { IntakeDoc, StoredSeller } from '../store/models';

// Shapes derived from a stored intake: the seller as events may name them, the purchase facts, and
// what the API shows (identity masked: the desk recognises the person, screens do not leak them).

export const partyRefOf = (seller: StoredSeller): PartyRef =>
  seller.kind === 'person'
    ? { kind: 'person', sellerKey: seller.sellerKey }
    : {
        kind: 'organisation',
        organisationName: seller.organisationName,
        ...(seller.taxpayerId ? { taxpayerId: seller.taxpayerId } : {}),
      };

export const sellerIdentityOf = (seller: Extract<StoredSeller, { kind: 'person' }>): SellerIdentity => ({
  sellerKey: seller.sellerKey,
  name: seller.name,
  idType: seller.idType,
  idNumber: seller.idNumber,
});

export const purchaseFactsOf = (
  doc: Pick<
    IntakeDoc,
    '_id' | 'enterpriseId' | 'stationId' | 'source' | 'paidAt' | 'weighingRecordId' | 'paymentRecordId'
  >,
  seller: Extract<StoredSeller, { kind: 'person' }>,
  paymentRecordId = doc.paymentRecordId,
): PurchaseFacts => ({
  intakeId: doc._id,
  enterpriseId: doc.enterpriseId,
  stationId: doc.stationId,
  ...(doc.source.kind === 'pickup' && doc.source.pickupId ? { pickupId: doc.source.pickupId } : {}),
  seller: sellerIdentityOf(seller),
  paidAt: doc.paidAt.toISOString(),
  evidence: {
    ...(doc.weighingRecordId ? { weighingRecordId: doc.weighingRecordId } : {}),
    paymentRecordId,
    consentRecordedAt: seller.consentRecordedAt.toISOString(),
  },
});

export const maskedSeller = (seller: StoredSeller) =>
  seller.kind === 'person'
    ? {
        kind: 'person' as const,
        sellerKey: seller.sellerKey,
        nameMasked: maskName(seller.name),
        idType: seller.idType,
        idNumberMasked: maskIdNumber(seller.idNumber),
        consentRecordedAt: seller.consentRecordedAt.toISOString(),
      }
    : partyRefOf(seller);

export const intakeView = (doc: IntakeDoc) => ({
  intakeId: doc._id,
  stationId: doc.stationId,
  enterpriseId: doc.enterpriseId,
  districtCode: doc.districtCode,
  source: doc.source,
  seller: maskedSeller(doc.seller),
  revision: doc.revision,
  withdrawn: doc.contents.lines.length === 0,
  contents: doc.contents,
  revisions: doc.revisions.map((r) => ({
    revision: r.revision,
    reason: r.reason,
    contents: r.contents,
    recordedAt: r.recordedAt.toISOString(),
    recordedBy: r.recordedBy,
  })),
  sorted: doc.sorted.map((s) => ({ ...s, sortedAt: s.sortedAt.toISOString() })),
  purchaseId: doc.purchaseRevision > 0 ? `intake:${doc._id}` : undefined,
  purchaseRevision: doc.purchaseRevision,
  receivedAt: doc.receivedAt.toISOString(),
  paidAt: doc.paidAt.toISOString(),
  weighingRecordId: doc.weighingRecordId,
  paymentRecordId: doc.paymentRecordId,
});
export type IntakeView = ReturnType<typeof intakeView>;
