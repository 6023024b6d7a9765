import type {
  ApplianceCategory,
  DisposalMode,
  ReceiptDifference,
  SanitisationKind,
} from '@recycling/contracts';
import { outboxPlugin, type OutboxFields } from '@recycling/messaging';
import { Schema, type Connection, type Model } from 'mongoose';
import type { AssetFateState, BatchStatus } from '../domain/batch-lifecycle';
import type { FoundItem } from '../domain/receipt';

// What the disposals service keeps. An institution is an organisation: nothing here is personal
// data. Every read on a request's path is by `_id` (docs/conventions.md, reads on the store): a batch
// by its id, an asset by `<creditCode>#<assetCardNo>`, the lists of an institution and of a station
// by their ids. Only `institutions` is ever listed: it stays small (the city's public institutions).

const mixed = Schema.Types.Mixed;

export interface InstitutionDoc {
  _id: string; // unified social credit code
  name: string;
  districtCode: string;
  /** The supervising department (主管部门), which approves with the finance bureau. */
  supervisor: string;
  active: boolean;
  updatedAt: Date;
  updatedBy: string;
}

export interface Approval {
  documentNo: string;
  authority: string;
}

export interface BatchAsset {
  assetCardNo: string;
  category: string;
  applianceCategory?: ApplianceCategory;
  model?: string;
  serialNo?: string;
  acquisitionDate: string;
  originalValueFen: number;
  mode: DisposalMode;
  classified: boolean;
  pageCount?: number;
  earlyScrapApproval?: Approval;
  fate: AssetFateState;
  received?: { weightGrams: number; serialFound?: string; categoryFound: string };
  handover?: { handoverId: string; receiverCode: string; at: Date };
  certificate?: { kind: SanitisationKind; certificateNo: string; issuedOn: string; receiverCode: string };
}

export interface HistoryEntry {
  event: string;
  at: Date;
  by: { role: string; id: string };
  note?: string;
}

export interface BatchDoc extends OutboxFields {
  _id: string;
  institution: { creditCode: string; name: string };
  districtCode: string;
  approval: Approval;
  handover: { method: 'collection' | 'delivery'; stationId: string; date: string; address?: string };
  assets: BatchAsset[];
  status: BatchStatus;
  receipt?: {
    at: Date;
    by: string;
    differences: ReceiptDifference[];
    extras: FoundItem[];
    acknowledged?: { note: string; at: Date; by: string };
  };
  handovers: Array<{
    handoverId: string;
    receiverCode: string;
    assetCardNos: string[];
    totalWeightGrams: number;
    at: Date;
    by: string;
  }>;
  proceeds: Array<{ amountFen: number; voucherNo: string; paidOn: string; at: Date; by: string }>;
  history: HistoryEntry[];
  createdAt: Date;
  updatedAt: Date;
}

/** `<creditCode>#<assetCardNo>` → the batch disposing of it: an asset is disposed of once. */
export interface AssetClaimDoc {
  _id: string;
  batchId: string;
  claimedAt: Date;
}

/** `<receiverCode>#<certificateNo>` → the batch it certifies: a certificate serves one batch. */
export interface CertificateClaimDoc {
  _id: string;
  batchId: string;
}

/** An institution's or a station's batches, `institution:<creditCode>` / `station:<stationId>`. */
export interface BatchListDoc {
  _id: string;
  batchIds: string[];
}

const institutionSchema = new Schema<InstitutionDoc>(
  {
    _id: String,
    name: { type: String, required: true },
    districtCode: { type: String, required: true },
    supervisor: { type: String, required: true },
    active: { type: Boolean, required: true },
    updatedAt: Date,
    updatedBy: String,
  },
  { versionKey: false },
);

const batchSchema = new Schema<BatchDoc>(
  {
    _id: String,
    institution: { type: mixed, required: true },
    districtCode: { type: String, required: true },
    approval: { type: mixed, required: true },
    handover: { type: mixed, required: true },
    assets: { type: [mixed], required: true } as never,
    status: { type: String, required: true },
    receipt: mixed,
    handovers: { type: [mixed], default: [] } as never,
    proceeds: { type: [mixed], default: [] } as never,
    history: { type: [mixed], default: [] } as never,
  },
  { timestamps: true, versionKey: false, minimize: false },
);
batchSchema.plugin(outboxPlugin);

const assetClaimSchema = new Schema<AssetClaimDoc>(
  { _id: String, batchId: { type: String, required: true }, claimedAt: { type: Date, required: true } },
  { versionKey: false },
);
const certificateClaimSchema = new Schema<CertificateClaimDoc>(
  { _id: String, batchId: { type: String, required: true } },
  { versionKey: false },
);
const batchListSchema = new Schema<BatchListDoc>(
  { _id: String, batchIds: { type: [String], default: [] } },
  { versionKey: false },
);

export interface Models {
  Institution: Model<InstitutionDoc>;
  Batch: Model<BatchDoc>;
  AssetClaim: Model<AssetClaimDoc>;
  CertificateClaim: Model<CertificateClaimDoc>;
  BatchList: Model<BatchListDoc>;
}

export const registerModels = (connection: Connection): Models => ({
  Institution: connection.model<InstitutionDoc>('Institution', institutionSchema, 'institutions'),
  Batch: connection.model<BatchDoc>('Batch', batchSchema, 'disposal_batches'),
  AssetClaim: connection.model<AssetClaimDoc>('AssetClaim', assetClaimSchema, 'asset_claims'),
  CertificateClaim: connection.model<CertificateClaimDoc>(
    'CertificateClaim',
    certificateClaimSchema,
    'certificate_claims',
  ),
  BatchList: connection.model<BatchListDoc>('BatchList', batchListSchema, 'batch_lists'),
});
