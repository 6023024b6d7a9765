import { outboxPlugin, type OutboxFields } from '@recycling/messaging';
import type { PurchaseRecordedData } from '@recycling/contracts';
import { Schema, type Connection, type Model, type mongo } from 'mongoose';
import type { DismantlerStatus } from '../domain/dismantler';
import type { DeregistrationState, DismantlingRecord } from '../domain/vehicle-intake';

// The service's collections. Only vehicle intakes carry an outbox: every event this service writes is
// a fact about one vehicle, saved with the change it reports. Certificate numbers are kept by
// NumberSequences from @recycling/store (certificate-numbers.ts), in collections of their own.

export interface DismantlerDoc {
  _id: string;
  name: string;
  enterpriseId: string;
  qualificationCertificateNo: string;
  qualificationValidUntil?: string;
  districtCode: string;
  status: DismantlerStatus;
  createdAt?: Date;
  updatedAt?: Date;
}

/** A vehicle pickup assigned to one of our sites, as the pickup service reported it. */
export interface ExpectedVehicleDoc {
  _id: string;
  dismantlerId: string;
  residentKey: string;
  districtCode: string;
  slot: { date: string; window: string };
  vehicle: Record<string, unknown>;
  status: 'requested' | 'scheduled' | 'collected' | 'cancelled' | 'failed';
  requestedAt: Date;
  updatedAt: Date;
  appliedEvents: string[];
}

export type OwnerRecord =
  | { kind: 'person'; name: string; idType: string; idNumber: string; sellerKey: string }
  | { kind: 'organisation'; organisationName: string; taxpayerId?: string };

export interface VehicleIntakeDoc extends OutboxFields {
  _id: string;
  vin: string;
  dismantlerId: string;
  enterpriseId: string;
  districtCode: string;
  pickupId?: string;
  /** Resident account of the pickup, so the owner can read the certificate. */
  residentKey?: string;
  status: 'received' | 'voided';
  owner: OwnerRecord;
  plate: string;
  plateMasked: string;
  engineNo?: string;
  brandModel?: string;
  vehicleType: string;
  fuelType: string;
  emissionStandard: string;
  registrationDate: string;
  curbWeightGrams?: number;
  weighedGrams?: number;
  documentsReceived: { registrationCertificate: boolean; drivingLicence: boolean; plates: number };
  photoIds: string[];
  priceFen: number;
  flags: { earlyRetiredDieselTruck: boolean; tradeInSubsidyEligible: boolean };
  receivedAt: Date;
  purchase?: PurchaseRecordedData | null;
  voided?: { reason: string; at: Date } | null;
  certificate?: { certificateNo: string; issuedAt: Date } | null;
  deregistration?: {
    state: DeregistrationState;
    requestedAt: Date;
    trafficPoliceOffice?: string;
    outcomeAt?: Date;
    deregistrationCertificateNo?: string;
    /** YYYY-MM-DD on the deregistration certificate. */
    deregisteredOn?: string;
    reason?: string;
  } | null;
  dismantling?: (DismantlingRecord & { dismantledAt: Date; photoIds: string[] }) | null;
}

/** An intake as read back without its outbox. */
export type IntakeRecord = Omit<VehicleIntakeDoc, keyof OutboxFields>;

export interface VinClaimDoc {
  _id: string;
  vehicleIntakeId: string;
  claimedAt: Date;
}

/**
 * Intakes taken in under a pickup this service had not heard of yet, by pickup id, so the pickups
 * consumer finds them by `_id` when the pickup's event comes (FerretDB reads the whole collection for
 * any other filter). Written before the intake is saved: an id whose intake was never saved is ignored.
 */
export interface EarlyIntakeDoc {
  /** The pickup id. */
  _id: string;
  vehicleIntakeIds: string[];
  updatedAt: Date;
}

export interface Models {
  Dismantler: Model<DismantlerDoc>;
  ExpectedVehicle: Model<ExpectedVehicleDoc>;
  VehicleIntake: Model<VehicleIntakeDoc>;
  VinClaim: Model<VinClaimDoc>;
  EarlyIntake: Model<EarlyIntakeDoc>;
}

const options = { versionKey: false as const, minimize: false };

export function registerModels(connection: Connection): Models {
  const dismantler = new Schema<DismantlerDoc>(
    {
      _id: String,
      name: { type: String, required: true },
      enterpriseId: { type: String, required: true },
      qualificationCertificateNo: { type: String, required: true },
      qualificationValidUntil: String,
      districtCode: { type: String, required: true },
      status: { type: String, required: true },
    },
    { ...options, collection: 'dismantlers', timestamps: true },
  );

  const expected = new Schema<ExpectedVehicleDoc>(
    {
      _id: String,
      dismantlerId: { type: String, required: true, index: true },
      residentKey: String,
      districtCode: String,
      slot: Schema.Types.Mixed,
      vehicle: Schema.Types.Mixed,
      status: String,
      requestedAt: Date,
      updatedAt: Date,
      appliedEvents: { type: [String], default: [] },
    },
    { ...options, collection: 'expected_vehicles' },
  );

  const intake = new Schema<VehicleIntakeDoc>(
    {
      _id: String,
      vin: { type: String, required: true, index: true },
      dismantlerId: { type: String, required: true, index: true },
      enterpriseId: { type: String, required: true },
      districtCode: { type: String, required: true },
      pickupId: { type: String, index: true },
      residentKey: String,
      status: { type: String, required: true },
      owner: { type: Schema.Types.Mixed, required: true },
      plate: { type: String, required: true },
      plateMasked: { type: String, required: true },
      engineNo: String,
      brandModel: String,
      vehicleType: { type: String, required: true },
      fuelType: { type: String, required: true },
      emissionStandard: { type: String, required: true },
      registrationDate: { type: String, required: true },
      curbWeightGrams: Number,
      weighedGrams: Number,
      documentsReceived: { type: Schema.Types.Mixed, required: true },
      photoIds: { type: [String], default: [] },
      priceFen: { type: Number, required: true },
      flags: { type: Schema.Types.Mixed, required: true },
      receivedAt: { type: Date, required: true },
      purchase: { type: Schema.Types.Mixed, default: null },
      voided: { type: Schema.Types.Mixed, default: null },
      certificate: { type: Schema.Types.Mixed, default: null },
      deregistration: { type: Schema.Types.Mixed, default: null },
      dismantling: { type: Schema.Types.Mixed, default: null },
    },
    { ...options, collection: 'vehicle_intakes' },
  );
  intake.plugin(outboxPlugin);

  const claim = new Schema<VinClaimDoc>(
    { _id: String, vehicleIntakeId: { type: String, required: true }, claimedAt: Date },
    { ...options, collection: 'vin_claims' },
  );

  const earlyIntake = new Schema<EarlyIntakeDoc>(
    { _id: String, vehicleIntakeIds: { type: [String], default: [] }, updatedAt: Date },
    { ...options, collection: 'early_intakes' },
  );

  return {
    Dismantler: connection.model<DismantlerDoc>('Dismantler', dismantler),
    ExpectedVehicle: connection.model<ExpectedVehicleDoc>('ExpectedVehicle', expected),
    VehicleIntake: connection.model<VehicleIntakeDoc>('VehicleIntake', intake),
    VinClaim: connection.model<VinClaimDoc>('VinClaim', claim),
    EarlyIntake: connection.model<EarlyIntakeDoc>('EarlyIntake', earlyIntake),
  };
}

/** The driver's collection, typed by the document (string ids rather than ObjectIds). */
export const rawCollection = <T extends mongo.Document>(model: Model<T>): mongo.Collection<T> =>
  model.collection as unknown as mongo.Collection<T>;
