import type { SubsidyEvidenceRef, SubsidyFlagCode, TradeInKind } from '@recycling/contracts';
import { outboxPlugin, type OutboxFields } from '@recycling/messaging';
import { Schema, type Connection, type Model, type mongo } from 'mongoose';
import type { BudgetEntryKind, BudgetTotals } from '../domain/budget';
import type { ClaimDeadlines, ClaimStatus } from '../domain/claim-lifecycle';
import type { Sealed } from '../domain/protect';

// The service's collections. Claims and reimbursements carry an outbox (their events are saved with
// the change they report). Everything else is addressed by `_id` only (FerretDB serves nothing else
// from an index, decision 12): uniqueness keys, evidence by certificate / VIN / sale, the small
// lists that stand in for queries (a review queue, a resident's claims), budgets, payments.
// Personal data lives only inside `sealed` values (AES-256-GCM), beside its masked forms.

export interface HistoryEntry {
  at: Date;
  action: string;
  by: { role: string; id?: string };
  note?: string;
  eventId?: string;
}

export interface ClaimFlag {
  code: SubsidyFlagCode;
  note: string;
  at: Date;
  eventId?: string;
}

/** The car part of a claim; identities of the applicant are in `applicant.sealed`. */
export interface CarClaimFacts {
  oldCar: {
    vin: string;
    vehicleType: string;
    fuelType: string;
    emissionStandard: string;
    registrationDate: string;
    ownedSince: string;
    certificateNo?: string;
    usedCarTransactionId?: string;
  };
  newCar: {
    vin: string;
    vehicleType: string;
    fuelType: string;
    displacementMl?: number;
    priceFen: number;
    invoiceNo: string;
    purchaseDate: string;
    registrationDate: string;
    registrationCertificateNo: string;
    dealer: { name: string; districtCode: string };
  };
}

export interface ApplicantRecord {
  residentId: string;
  nameMasked: string;
  idNumberMasked: string;
  phoneMasked: string;
  bankCardMasked: string;
  bankName: string;
  /** { name, idType, idNumber, phone, bankCardNo } sealed under the claim id. */
  sealed: Sealed;
}

export interface SaleFacts {
  retailerId: string;
  category: string;
  categoryName: { zh: string; en: string };
  gtin: string;
  model: string;
  energyGrade?: number;
  serialNo: string;
  priceFen: number;
  invoiceNo: string;
  soldOn: string;
  requiresOldItemIntake: boolean;
  buyer: {
    nameMasked?: string;
    phoneMasked: string;
    addressMasked: string;
    /** { name?, idType, idNumber, phone, address } sealed under the sale id. */
    sealed: Sealed;
  };
  reimbursementId?: string;
}

export interface ClaimDoc extends OutboxFields {
  _id: string;
  kind: TradeInKind;
  programmeCode: string;
  programmeYear: number;
  status: ClaimStatus;
  personKey: string;
  districtCode: string;
  amountFen: number;
  /** The city date the rule was chosen by (new car's invoice date, or the sale date). */
  purchaseDate: string;
  applicant?: ApplicantRecord;
  car?: CarClaimFacts;
  sale?: SaleFacts;
  evidence: { refs: SubsidyEvidenceRef[]; matched?: boolean; waitingFor: string[]; checkedAt?: Date };
  flags: ClaimFlag[];
  uniqueKeys: string[];
  resubmissions: number;
  lastRejection?: { reasons: Array<{ code: string; note?: string }>; at: Date; by: string };
  deadlines: ClaimDeadlines;
  submittedAt: Date;
  acceptedAt?: Date;
  approvedAt?: Date;
  approvedBy?: string;
  paidAt?: Date;
  payment?: { paymentId: string; batchId: string };
  reversedAt?: Date;
  history: HistoryEntry[];
  appliedEvents: string[];
  createdAt?: Date;
  updatedAt?: Date;
}

export interface ReimbursementDoc extends OutboxFields {
  _id: string;
  retailerId: string;
  programmeCode: string;
  programmeYear: number;
  claims: Array<{ claimId: string; subsidyFen: number }>;
  refused: Array<{ claimId: string; code: string }>;
  totalFen: number;
  claimedBy: string;
  claimedAt: Date;
}

export interface UniqueKeyDoc {
  _id: string;
  claimId: string;
  rule: string;
  claimedAt: Date;
}

export interface EvidenceDoc {
  _id: string;
  kind: string;
  data: Record<string, unknown>;
  eventIds: string[];
  updatedAt: Date;
}

export interface ListDoc {
  _id: string;
  ids: string[];
  updatedAt: Date;
}

export interface JournalEntry {
  entryId: string;
  kind: BudgetEntryKind;
  amountFen: number;
  at: Date;
}

export interface BudgetDoc extends BudgetTotals {
  _id: string;
  programmeCode: string;
  year: number;
  monthly: Record<string, BudgetTotals>;
  /** The latest entries (bounded): a retry after a crash finds its entry here. */
  journal: JournalEntry[];
  updatedAt: Date;
}

export interface BudgetEntryDoc {
  _id: string;
  budgetId: string;
  claimId: string;
  kind: BudgetEntryKind;
  amountFen: number;
  at: Date;
  by?: string;
}

export interface PaymentDoc {
  _id: string;
  claimId: string;
  batchId: string;
  programmeCode: string;
  programmeYear: number;
  amountFen: number;
  payee: { kind: 'applicant' } | { kind: 'retailer'; retailerId: string };
  status: 'initiated' | 'completed';
  releasedBy: string;
  releasedAt: Date;
  completedAt?: Date;
}

export interface PaymentBatchDoc {
  _id: string;
  programmeCode: string;
  programmeYear: number;
  paid: Array<{ claimId: string; paymentId: string; amountFen: number }>;
  skipped: Array<{ claimId: string; code: string }>;
  totalFen: number;
  releasedBy: string;
  releasedAt: Date;
}

export interface RetailerDoc {
  _id: string;
  name: string;
  districtCode: string;
  programmeCodes: string[];
  active: boolean;
  updatedAt: Date;
  updatedBy: string;
}

/** Fraud signals' memory: recent prices of a GTIN, items per contact, a serial's sales, returns. */
export interface SignalDoc {
  _id: string;
  values: Array<string | number>;
  updatedAt: Date;
}

export interface Models {
  Claim: Model<ClaimDoc>;
  Reimbursement: Model<ReimbursementDoc>;
}

const mixed = Schema.Types.Mixed;
const options = { versionKey: false as const, minimize: false };

export function registerModels(connection: Connection): Models {
  const claim = new Schema<ClaimDoc>(
    {
      _id: String,
      kind: { type: String, required: true },
      programmeCode: { type: String, required: true },
      programmeYear: { type: Number, required: true },
      status: { type: String, required: true },
      personKey: { type: String, required: true },
      districtCode: { type: String, required: true },
      amountFen: { type: Number, required: true },
      purchaseDate: { type: String, required: true },
      applicant: mixed,
      car: mixed,
      sale: mixed,
      evidence: { type: mixed, required: true },
      flags: { type: [mixed], default: [] } as never,
      uniqueKeys: { type: [String], default: [] },
      resubmissions: { type: Number, default: 0 },
      lastRejection: mixed,
      deadlines: { type: mixed, default: {} },
      submittedAt: { type: Date, required: true },
      acceptedAt: Date,
      approvedAt: Date,
      approvedBy: String,
      paidAt: Date,
      payment: mixed,
      reversedAt: Date,
      history: { type: [mixed], default: [] } as never,
      appliedEvents: { type: [String], default: [] },
    },
    { ...options, collection: 'claims', timestamps: true },
  );
  claim.plugin(outboxPlugin);

  const reimbursement = new Schema<ReimbursementDoc>(
    {
      _id: String,
      retailerId: { type: String, required: true },
      programmeCode: { type: String, required: true },
      programmeYear: { type: Number, required: true },
      claims: { type: [mixed], default: [] } as never,
      refused: { type: [mixed], default: [] } as never,
      totalFen: { type: Number, required: true },
      claimedBy: { type: String, required: true },
      claimedAt: { type: Date, required: true },
    },
    { ...options, collection: 'reimbursements' },
  );
  reimbursement.plugin(outboxPlugin);

  return {
    Claim: connection.model<ClaimDoc>('Claim', claim),
    Reimbursement: connection.model<ReimbursementDoc>('Reimbursement', reimbursement),
  };
}

/** The driver's collection of a name, typed by its documents (string ids). */
export const collectionOf = <T extends mongo.Document>(connection: Connection, name: string) =>
  connection.collection(name) as unknown as mongo.Collection<T>;

export const COLLECTIONS = {
  uniqueKeys: 'unique_keys',
  evidence: 'evidence',
  lists: 'lists',
  budgets: 'budgets',
  budgetEntries: 'budget_entries',
  payments: 'payments',
  paymentBatches: 'payment_batches',
  retailers: 'retailers',
  signals: 'signals',
} as const;
