import { outboxPlugin, type OutboxFields } from '@recycling/messaging';
import type {
  ApplianceCategory,
  IdDocumentType,
  IntakeContents,
  IntakeSource,
  PickupAppliance,
  Slot,
  SortingOutcome,
} from '@recycling/contracts';
import { Schema, type Connection, type Model } from 'mongoose';
import { ARRIVAL_STATUSES, type ArrivalStatus } from '../domain/arrivals';

// One collection per aggregate. Intakes and batches carry their own outbox (their events are saved
// in the same write as the change); arrivals are a projection of the pickups topic, deduplicated by
// event id; stations are reference records an administrator keeps.

export interface StationDoc {
  _id: string;
  name: string;
  districtCode: string;
  enterpriseId: string;
  active: boolean;
  updatedAt: Date;
}

/**
 * The seller as the desk recorded them. A person's identity is kept because every restatement of
 * the purchase (purchase.corrected) must carry it for the reverse invoice; it is never logged.
 */
export type StoredSeller =
  | {
      kind: 'person';
      sellerKey: string;
      name: string;
      idType: IdDocumentType;
      idNumber: string;
      consentRecordedAt: Date;
    }
  | { kind: 'organisation'; organisationName: string; taxpayerId?: string };

export interface IntakeRevision {
  revision: number;
  contents: IntakeContents;
  reason?: string;
  paymentRecordId?: string;
  recordedAt: Date;
  recordedBy: string;
}

export interface SortedPartDoc {
  sortingId: string;
  lineId: string;
  outcome: SortingOutcome;
  units: number;
  sortedAt: Date;
  sortedBy: string;
}

export interface IntakeDoc extends OutboxFields {
  _id: string;
  stationId: string;
  enterpriseId: string;
  districtCode: string;
  source: IntakeSource;
  seller: StoredSeller;
  revision: number;
  /** The current revision's contents; earlier ones stay unchanged in `revisions`. */
  contents: IntakeContents;
  revisions: IntakeRevision[];
  sorted: SortedPartDoc[];
  /** Revision of the purchase event last emitted; 0 when no purchase was ever published. */
  purchaseRevision: number;
  receivedAt: Date;
  paidAt: Date;
  weighingRecordId?: string;
  paymentRecordId: string;
  recordedBy: string;
}

export interface BatchItemDoc {
  intakeId: string;
  lineId: string;
  category: ApplianceCategory;
  units: number;
  weightGrams: number;
}

export interface BatchDoc extends OutboxFields {
  _id: string;
  stationId: string;
  processor: { name: string; licenceNo: string };
  items: BatchItemDoc[];
  totalWeightGrams: number;
  dispatchedAt: Date;
  dispatchedBy: string;
}

export interface ArrivalDoc {
  _id: string;
  stationId: string;
  districtCode: string;
  status: ArrivalStatus;
  slot: Slot;
  crewId?: string;
  booked: PickupAppliance[];
  collected?: PickupAppliance[];
  history: Array<{ status: ArrivalStatus; at: Date }>;
  /** Set when the desk records the intake of this pickup; the arrival then leaves the list. */
  intakeId?: string;
  appliedEvents: string[];
}

/** The pickups due and the intakes received at a station on a local day: `day:<station>|<date>`. */
export interface WorkDayDoc {
  _id: string;
  kind: 'day';
  stationId: string;
  date: string;
  pickupIds: string[];
  intakeIds: string[];
}

/** The intakes of a station with goods still to sort or dispatch: `open:<station>`. */
export interface WorkOpenDoc {
  _id: string;
  kind: 'open';
  stationId: string;
  /** Per intake, the units of each line that left, and the batches already counted. */
  intakes: Record<string, { dispatched: Record<string, number>; batchIds: string[] }>;
}

export interface SortingModels {
  Station: Model<StationDoc>;
  Intake: Model<IntakeDoc>;
  Batch: Model<BatchDoc>;
  Arrival: Model<ArrivalDoc>;
  Work: Model<WorkDayDoc | WorkOpenDoc>;
}

const mixed = { type: Schema.Types.Mixed, required: true };
// Arrays of plain sub-documents whose shape the contracts' zod schemas already fix.
const mixedArray = (required = false) =>
  (required
    ? { type: [Schema.Types.Mixed], required }
    : { type: [Schema.Types.Mixed], default: [] }) as never;

export function sortingModels(connection: Connection): SortingModels {
  const station = new Schema<StationDoc>(
    {
      _id: String,
      name: { type: String, required: true },
      districtCode: { type: String, required: true },
      enterpriseId: { type: String, required: true },
      active: { type: Boolean, required: true },
      updatedAt: { type: Date, required: true },
    },
    { versionKey: false },
  );

  const intake = new Schema<IntakeDoc>(
    {
      _id: String,
      stationId: { type: String, required: true, index: true },
      enterpriseId: { type: String, required: true },
      districtCode: { type: String, required: true },
      source: mixed,
      seller: mixed,
      revision: { type: Number, required: true },
      contents: mixed,
      revisions: mixedArray(),
      sorted: mixedArray(),
      purchaseRevision: { type: Number, required: true },
      receivedAt: { type: Date, required: true },
      paidAt: { type: Date, required: true },
      weighingRecordId: String,
      paymentRecordId: { type: String, required: true },
      recordedBy: { type: String, required: true },
    },
    { versionKey: false, minimize: false },
  );
  intake.index({ stationId: 1, receivedAt: -1 });
  intake.index({ 'source.pickupId': 1 });
  intake.plugin(outboxPlugin);

  const batch = new Schema<BatchDoc>(
    {
      _id: String,
      stationId: { type: String, required: true },
      processor: mixed,
      items: mixedArray(true),
      totalWeightGrams: { type: Number, required: true },
      dispatchedAt: { type: Date, required: true },
      dispatchedBy: { type: String, required: true },
    },
    { versionKey: false, minimize: false },
  );
  batch.index({ stationId: 1, dispatchedAt: -1 });
  batch.index({ 'items.intakeId': 1 });
  batch.plugin(outboxPlugin);

  const arrival = new Schema<ArrivalDoc>(
    {
      _id: String,
      stationId: { type: String, required: true },
      districtCode: { type: String, required: true },
      status: { type: String, enum: ARRIVAL_STATUSES, required: true },
      slot: mixed,
      crewId: String,
      booked: mixedArray(),
      collected: { type: [Schema.Types.Mixed], default: undefined },
      history: mixedArray(),
      intakeId: String,
      appliedEvents: { type: [String], default: [] },
    },
    { versionKey: false, minimize: false },
  );
  arrival.index({ stationId: 1, status: 1 });

  // Written and read whole by `_id` through the repository's driver calls; the schema only names it.
  const work = new Schema<WorkDayDoc | WorkOpenDoc>(
    { _id: String, kind: { type: String, required: true } },
    { versionKey: false, strict: false },
  );

  return {
    Work: connection.model<WorkDayDoc | WorkOpenDoc>('WorkList', work, 'work_lists'),
    Station: connection.model<StationDoc>('Station', station, 'stations'),
    Intake: connection.model<IntakeDoc>('Intake', intake, 'intakes'),
    Batch: connection.model<BatchDoc>('Batch', batch, 'batches'),
    Arrival: connection.model<ArrivalDoc>('Arrival', arrival, 'arrivals'),
  };
}
