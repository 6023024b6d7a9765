import type {
  ApplianceCategory,
  CoreSource,
  MajorAssembly,
  ProductUse,
  RemanufacturerQualification,
  TestResult,
} from '@recycling/contracts';
import { outboxPlugin, type OutboxFields } from '@recycling/messaging';
import { Schema, type Connection, type Model } from 'mongoose';

// What the remanufacturing service keeps. Every read on a request's or an event's path is by `_id`
// (docs/conventions.md, reads on the store): the sources of cores are addressed by what a
// remanufacturer names (the assembly's code, the intake's id), claims by the source they make
// unique, and the desk's lists by remanufacturer and month. Only `remanufacturers` is ever listed: it
// stays small (the enterprises of one city).

const mixed = Schema.Types.Mixed;

export interface RemanufacturerDoc {
  _id: string;
  name: string;
  creditCode: string;
  districtCode: string;
  qualification: { kind: RemanufacturerQualification; number: string; validUntil: string };
  productLines: string[];
  active: boolean;
  updatedAt: Date;
  updatedBy: string;
}

/** A vehicle intake as the vehicles topic told it; written by the consumer only. */
export interface VehicleRecordDoc {
  _id: string; // vehicleIntakeId
  vin: string;
  dismantlerId: string;
  enterpriseId?: string;
  certificateNo?: string;
  voided: boolean;
  dismantledAt?: Date;
  /** Codes of the assemblies the dismantler marked for remanufacturing. */
  remanufacturingCodes: string[];
  appliedEvents: string[];
}

/** VIN → its vehicle intakes (a voided intake and a later one can share a VIN). */
export interface VinIndexDoc {
  _id: string; // VIN
  vehicleIntakeIds: string[];
}

/** A coded assembly marked for remanufacturing: what a remanufacturer names to take a core in. */
export interface AssemblySourceDoc {
  _id: string; // remanufacturingCode
  assembly: MajorAssembly;
  vin: string;
  vehicleIntakeId: string;
  dismantlerId: string;
  serialNo?: string;
  certificateNo?: string;
  /** Another vehicle reported the same code. */
  disputedBy?: string;
  eventId: string;
  recordedAt: Date;
}

/** An intake holding equipment lines (textile machinery, PV inverters), as the intakes topic told it. */
export interface IntakeRecordDoc {
  _id: string; // intakeId
  stationId: string;
  revision: number;
  lines: Array<{ lineId: string; category: ApplianceCategory; units: number }>;
  /** Units per line sorted to remanufacturing (a list: line ids may hold dots, which keys may not). */
  sortedForRemanufacturing: Array<{ lineId: string; units: number }>;
  appliedEvents: string[];
}

/** Makes a source give one core only: `assembly:<code>` or `intake:<intakeId>/<lineId>#<n>`. */
export interface SourceClaimDoc {
  _id: string;
  coreId: string;
  claimedAt: Date;
}

export interface CoreDoc extends OutboxFields {
  _id: string;
  remanufacturerId: string;
  productLine: string;
  source: CoreSource;
  claimKey: string;
  serialNo?: string;
  intakeCheck: { passed: boolean; note?: string };
  status: 'accepted' | 'rejected' | 'used';
  productId?: string;
  receivedAt: Date;
  receivedBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A core goes into one product: claimed by insert under the core's id. */
export interface CoreUseDoc {
  _id: string; // coreId
  productId: string;
  claimedAt: Date;
}

export interface CheckEntry {
  checkNo: number;
  stage: 'production' | 'release';
  results: TestResult[];
  passed: boolean;
  note?: string;
  at: Date;
  by: string;
}

export interface ProductDoc extends OutboxFields {
  _id: string;
  remanufacturerId: string;
  productLine: string;
  serialNo: string;
  coreIds: string[];
  status: 'in-production' | 'released' | 'shipped';
  checks: CheckEntry[];
  release?: {
    checkNo: number;
    mark: { text: '再制造'; standard: string; makerName: string; markNo: string };
    warrantyMonths: number;
    originalWarrantyMonths: number;
    forbiddenUses: ProductUse[];
    releasedOn: string;
    warrantyUntil: string;
    at: Date;
    by: string;
  };
  shipment?: {
    shipmentId: string;
    use: ProductUse;
    buyer: { name: string; creditCode?: string };
    at: Date;
    by: string;
  };
  startedBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** `<remanufacturerId>#<serialNo>`: a product serial is unique per remanufacturer. */
export interface SerialClaimDoc {
  _id: string;
  productId: string;
}

/** The desk: a remanufacturer's cores and products of a month, `<remanufacturerId>|<YYYY-MM>`. */
export interface DeskMonthDoc {
  _id: string;
  coreIds: string[];
  productIds: string[];
}

const remanufacturerSchema = new Schema<RemanufacturerDoc>(
  {
    _id: String,
    name: { type: String, required: true },
    creditCode: { type: String, required: true },
    districtCode: { type: String, required: true },
    qualification: { type: mixed, required: true },
    productLines: { type: [String], required: true },
    active: { type: Boolean, required: true },
    updatedAt: Date,
    updatedBy: String,
  },
  { versionKey: false, minimize: false },
);

const vehicleRecordSchema = new Schema<VehicleRecordDoc>(
  {
    _id: String,
    vin: { type: String, required: true },
    dismantlerId: { type: String, required: true },
    enterpriseId: String,
    certificateNo: String,
    voided: { type: Boolean, default: false },
    dismantledAt: Date,
    remanufacturingCodes: { type: [String], default: [] },
    appliedEvents: { type: [String], default: [] },
  },
  { versionKey: false, minimize: false },
);

const vinIndexSchema = new Schema<VinIndexDoc>(
  { _id: String, vehicleIntakeIds: { type: [String], default: [] } },
  { versionKey: false },
);

const assemblySourceSchema = new Schema<AssemblySourceDoc>(
  {
    _id: String,
    assembly: { type: String, required: true },
    vin: { type: String, required: true },
    vehicleIntakeId: { type: String, required: true },
    dismantlerId: { type: String, required: true },
    serialNo: String,
    certificateNo: String,
    disputedBy: String,
    eventId: { type: String, required: true },
    recordedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

const intakeRecordSchema = new Schema<IntakeRecordDoc>(
  {
    _id: String,
    stationId: { type: String, required: true },
    revision: { type: Number, required: true },
    lines: { type: [mixed], default: [] } as never,
    sortedForRemanufacturing: { type: [mixed], default: [] } as never,
    appliedEvents: { type: [String], default: [] },
  },
  { versionKey: false, minimize: false },
);

const sourceClaimSchema = new Schema<SourceClaimDoc>(
  { _id: String, coreId: { type: String, required: true }, claimedAt: { type: Date, required: true } },
  { versionKey: false },
);

const coreSchema = new Schema<CoreDoc>(
  {
    _id: String,
    remanufacturerId: { type: String, required: true },
    productLine: { type: String, required: true },
    source: { type: mixed, required: true },
    claimKey: { type: String, required: true },
    serialNo: String,
    intakeCheck: { type: mixed, required: true },
    status: { type: String, required: true },
    productId: String,
    receivedAt: { type: Date, required: true },
    receivedBy: { type: String, required: true },
  },
  { timestamps: true, versionKey: false, minimize: false },
);
coreSchema.plugin(outboxPlugin);

const coreUseSchema = new Schema<CoreUseDoc>(
  { _id: String, productId: { type: String, required: true }, claimedAt: { type: Date, required: true } },
  { versionKey: false },
);

const productSchema = new Schema<ProductDoc>(
  {
    _id: String,
    remanufacturerId: { type: String, required: true },
    productLine: { type: String, required: true },
    serialNo: { type: String, required: true },
    coreIds: { type: [String], required: true },
    status: { type: String, required: true },
    checks: { type: [mixed], default: [] } as never,
    release: mixed,
    shipment: mixed,
    startedBy: { type: String, required: true },
  },
  { timestamps: true, versionKey: false, minimize: false },
);
productSchema.plugin(outboxPlugin);

const serialClaimSchema = new Schema<SerialClaimDoc>(
  { _id: String, productId: { type: String, required: true } },
  { versionKey: false },
);

const deskMonthSchema = new Schema<DeskMonthDoc>(
  { _id: String, coreIds: { type: [String], default: [] }, productIds: { type: [String], default: [] } },
  { versionKey: false },
);

export interface Models {
  Remanufacturer: Model<RemanufacturerDoc>;
  VehicleRecord: Model<VehicleRecordDoc>;
  VinIndex: Model<VinIndexDoc>;
  AssemblySource: Model<AssemblySourceDoc>;
  IntakeRecord: Model<IntakeRecordDoc>;
  SourceClaim: Model<SourceClaimDoc>;
  Core: Model<CoreDoc>;
  CoreUse: Model<CoreUseDoc>;
  Product: Model<ProductDoc>;
  SerialClaim: Model<SerialClaimDoc>;
  DeskMonth: Model<DeskMonthDoc>;
}

export const registerModels = (connection: Connection): Models => ({
  Remanufacturer: connection.model<RemanufacturerDoc>(
    'Remanufacturer',
    remanufacturerSchema,
    'remanufacturers',
  ),
  VehicleRecord: connection.model<VehicleRecordDoc>('VehicleRecord', vehicleRecordSchema, 'vehicle_records'),
  VinIndex: connection.model<VinIndexDoc>('VinIndex', vinIndexSchema, 'vehicle_vins'),
  AssemblySource: connection.model<AssemblySourceDoc>(
    'AssemblySource',
    assemblySourceSchema,
    'assembly_sources',
  ),
  IntakeRecord: connection.model<IntakeRecordDoc>('IntakeRecord', intakeRecordSchema, 'intake_records'),
  SourceClaim: connection.model<SourceClaimDoc>('SourceClaim', sourceClaimSchema, 'core_source_claims'),
  Core: connection.model<CoreDoc>('Core', coreSchema, 'cores'),
  CoreUse: connection.model<CoreUseDoc>('CoreUse', coreUseSchema, 'core_uses'),
  Product: connection.model<ProductDoc>('Product', productSchema, 'products'),
  SerialClaim: connection.model<SerialClaimDoc>('SerialClaim', serialClaimSchema, 'product_serials'),
  DeskMonth: connection.model<DeskMonthDoc>('DeskMonth', deskMonthSchema, 'desk_months'),
});
