import { z } from 'zod';
import { ProgrammeCode, TradeInKind } from '../city/trade-in-programmes';
import { DistrictCode, Fen, Id, LocalDate, Note, SellerKey, Vin } from '../scalars';
import { checkSum, checkUnique } from '../validation';
import { OccurredAt } from './common';

// Topic recycling.subsidies.v1, written by the subsidies service: the life of a trade-in subsidy
// claim (以旧换新) from submission to payment, and the counter sales of retailers. Keyed by claim id
// (a counter sale is a claim), so everything that happens to one claim is read in order; a
// reimbursement batch, which spans claims, by its own id.
//
// No personal data: the applicant or buyer is a person key (HMAC of the id document, as the seller
// key elsewhere); bank cards, names, phones and addresses stay encrypted in the service's store.

export const SubsidyEventTypes = {
  claimSubmitted: 'recycling.subsidy.claim-submitted.v1',
  evidenceMatched: 'recycling.subsidy.evidence-matched.v1',
  claimApproved: 'recycling.subsidy.claim-approved.v1',
  claimRejected: 'recycling.subsidy.claim-rejected.v1',
  claimPaid: 'recycling.subsidy.claim-paid.v1',
  claimReversed: 'recycling.subsidy.claim-reversed.v1',
  counterSaleRecorded: 'recycling.subsidy.counter-sale-recorded.v1',
  counterSaleReturned: 'recycling.subsidy.counter-sale-returned.v1',
  reimbursementClaimed: 'recycling.subsidy.reimbursement-claimed.v1',
} as const;

/** The check digit of a GTIN-13 (EAN-13): weights 1 and 3 from the left, mod 10. */
export const gtin13CheckDigit = (first12: string): number => {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
};

export const Gtin13 = z
  .string()
  .regex(/^\d{13}$/, '13 digits')
  .refine((g) => gtin13CheckDigit(g.slice(0, 12)) === Number(g[12]), 'wrong GTIN-13 check digit')
  .describe('GTIN-13 (EAN-13 barcode number) of the product, check digit enforced');

/** Person key: the seller key of the applicant or buyer (HMAC of id-document type and number). */
export const PersonKey = SellerKey.describe(
  'Pseudonymous key of the applicant or buyer: HMAC-SHA256 of id-document type and number, as seller keys',
);

const claimFields = {
  claimId: Id.describe('The claim (for a counter sale, the sale id)'),
  programmeCode: ProgrammeCode,
  programmeKind: TradeInKind,
  programmeYear: z.int().min(2000).max(2100),
  districtCode: DistrictCode.describe('Where the applicant or buyer lives'),
  occurredAt: OccurredAt,
};

export const SUBSIDY_EVIDENCE_KINDS = [
  'recycling-certificate',
  'deregistration',
  'vehicle-intake',
  'used-car-sale',
  'old-item-intake',
] as const;
export const SubsidyEvidenceKind = z.enum(SUBSIDY_EVIDENCE_KINDS);

export const SubsidyEvidenceRef = z.object({
  kind: SubsidyEvidenceKind,
  eventId: z.string().min(1).max(128).describe('ce_id of the event that proves it'),
  ref: z.string().min(1).max(128).describe('Its number: certificate, transaction or intake id'),
});
export type SubsidyEvidenceRef = z.infer<typeof SubsidyEvidenceRef>;

export const SUBSIDY_FLAG_CODES = [
  'evidence-mismatch',
  'deregistration-refused',
  'serial-sold-before',
  'price-above-recent',
  'many-items-to-address',
  'many-items-to-phone',
  'quick-return',
  'recent-quick-return',
  'new-car-resold-soon',
  'new-car-deregistered-soon',
  'overdue-accept',
  'overdue-review',
  'overdue-payment',
] as const;
export const SubsidyFlagCode = z
  .enum(SUBSIDY_FLAG_CODES)
  .describe('A signal for the reviewer (never a refusal by itself)');
export type SubsidyFlagCode = z.infer<typeof SubsidyFlagCode>;

export const ClaimSubmittedData = z
  .object({
    ...claimFields,
    personKey: PersonKey,
    amountFen: Fen.describe('Subsidy computed by the rule in force on the purchase date'),
    resubmission: z.int().min(0).describe('0 for the first submission, n for the n-th resubmission'),
    oldVin: Vin.optional().describe('Old car (car programmes)'),
    certificateNo: z.string().min(1).max(40).optional().describe('Recycling certificate (car-scrap)'),
    usedCarTransactionId: Id.optional().describe('Used-car sale of the old car (car-replace)'),
    newVin: Vin.optional().describe('New car (car programmes)'),
  })
  .describe('A resident submitted (or resubmitted) a car trade-in subsidy claim');
export type ClaimSubmittedData = z.infer<typeof ClaimSubmittedData>;

export const EvidenceMatchedData = z
  .object({
    ...claimFields,
    matched: z.boolean().describe('false when the evidence contradicts the claim (see flags)'),
    evidence: z.array(SubsidyEvidenceRef).min(1),
    flags: z.array(SubsidyFlagCode),
  })
  .describe("The network's own events that prove the claim arrived and were compared with it");
export type EvidenceMatchedData = z.infer<typeof EvidenceMatchedData>;

export const ClaimApprovedData = z
  .object({
    ...claimFields,
    amountFen: Fen.describe('Committed from the programme year’s budget'),
    decidedBy: Id.describe('The reviewer (account id, not a name)'),
  })
  .describe('A commerce-bureau reviewer approved the claim; its amount is committed from the budget');
export type ClaimApprovedData = z.infer<typeof ClaimApprovedData>;

export const RejectionReason = z.object({
  code: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,63}$/)
    .describe('e.g. deregistration-date-mismatch, id-mismatch, new-car-not-registered-to-applicant'),
  note: Note.optional().describe('No personal data'),
});

export const ClaimRejectedData = z
  .object({
    ...claimFields,
    reasons: z.array(RejectionReason).min(1),
    decidedBy: Id,
    resubmissionsLeft: z.int().min(0),
    final: z.boolean().describe('true when no resubmission is left: the claim is closed'),
  })
  .describe('A reviewer rejected the claim, with reasons');
export type ClaimRejectedData = z.infer<typeof ClaimRejectedData>;

export const SubsidyPayee = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('applicant').describe('The resident, to the bank card of the claim') }),
  z.object({ kind: z.literal('retailer'), retailerId: Id.describe('Reimbursing what it advanced') }),
]);

export const ClaimPaidData = z
  .object({
    ...claimFields,
    paymentId: Id,
    batchId: Id.describe('Payment batch released by a finance officer'),
    amountFen: Fen,
    payee: SubsidyPayee,
    releasedBy: Id.describe('The finance officer'),
  })
  .describe('The subsidy was paid (once per claim)');
export type ClaimPaidData = z.infer<typeof ClaimPaidData>;

export const ClaimReversedData = z
  .object({
    ...claimFields,
    amountFen: Fen.describe('Returned to the budget'),
    reason: z.enum(['returned', 'clawback']).describe('returned = the goods went back to the retailer'),
    afterPayment: z.boolean().describe('true when it had been paid: the payee owes it back'),
  })
  .describe('A subsidy was reversed; its amount no longer counts against the budget');
export type ClaimReversedData = z.infer<typeof ClaimReversedData>;

export const CounterSaleRecordedData = z
  .object({
    ...claimFields,
    retailerId: Id,
    category: ProgrammeCode.describe('Category code of the programme (its everyday name is in the profile)'),
    gtin: Gtin13,
    energyGrade: z.int().min(1).max(5).optional(),
    priceFen: Fen.describe('Price of the new product before the subsidy'),
    subsidyFen: Fen.describe('Discount given at the counter, computed by the rule in force on the sale date'),
    soldOn: LocalDate,
    personKey: PersonKey,
    requiresOldItemIntake: z.boolean(),
  })
  .describe('A retailer sold a product with a trade-in discount it advanced');
export type CounterSaleRecordedData = z.infer<typeof CounterSaleRecordedData>;

export const CounterSaleReturnedData = z
  .object({
    ...claimFields,
    retailerId: Id,
    category: ProgrammeCode,
    subsidyFen: Fen,
    quickReturn: z.boolean().describe('Returned within the quick-return window of the profile'),
  })
  .describe("A counter sale was returned: its subsidy is reversed and the buyer's quota restored");
export type CounterSaleReturnedData = z.infer<typeof CounterSaleReturnedData>;

export const ReimbursementClaimedData = z
  .object({
    reimbursementId: Id,
    retailerId: Id,
    programmeCode: ProgrammeCode,
    programmeYear: z.int().min(2000).max(2100),
    claims: z
      .array(z.object({ claimId: Id, subsidyFen: Fen }))
      .min(1)
      .max(500),
    totalFen: Fen.describe('Sum of subsidyFen'),
    occurredAt: OccurredAt,
  })
  .superRefine((r, ctx) => {
    checkUnique(ctx, ['claims'], r.claims, (c) => c.claimId);
    checkSum(
      ctx,
      ['totalFen'],
      r.totalFen,
      r.claims.map((c) => c.subsidyFen),
    );
  })
  .describe('A retailer claimed reimbursement of discounts it advanced (keyed by reimbursementId)');
export type ReimbursementClaimedData = z.infer<typeof ReimbursementClaimedData>;

export const subsidyEventSchemas = {
  [SubsidyEventTypes.claimSubmitted]: ClaimSubmittedData,
  [SubsidyEventTypes.evidenceMatched]: EvidenceMatchedData,
  [SubsidyEventTypes.claimApproved]: ClaimApprovedData,
  [SubsidyEventTypes.claimRejected]: ClaimRejectedData,
  [SubsidyEventTypes.claimPaid]: ClaimPaidData,
  [SubsidyEventTypes.claimReversed]: ClaimReversedData,
  [SubsidyEventTypes.counterSaleRecorded]: CounterSaleRecordedData,
  [SubsidyEventTypes.counterSaleReturned]: CounterSaleReturnedData,
  [SubsidyEventTypes.reimbursementClaimed]: ReimbursementClaimedData,
} as const;
