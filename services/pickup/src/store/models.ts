import type { PickupAppliance, PickupStatus, VehicleDescription } from '@recycling/contracts';
import { outboxPlugin, type OutboxFields } from '@recycling/messaging';
import { Schema, type Connection, type Model } from 'mongoose';
import type { AssignedSiteRef } from '../domain/access';

// Personal data (contact name and phone, street address, full plate) lives only in the pickup
// document: events and logs carry the resident key, the district and the masked plate.

export interface HistoryEntry {
  status: PickupStatus;
  /** What happened, e.g. requested, scheduled, intake-recorded, certificate-issued. */
  event: string;
  at: Date;
  by: { role: string; id?: string };
  note?: string;
  /** The event this entry reports: ours (published) or the downstream one (consumed). */
  eventId?: string;
  ref?: Record<string, string>;
}

/** Who comes to collect: shown to the resident, never on an event or in a log. */
export interface Collector {
  name: string;
  phone: string;
}

export interface VehicleBooking extends Omit<VehicleDescription, 'plateMasked'> {
  plate: string;
  plateMasked: string;
}

export interface PickupDoc extends OutboxFields {
  _id: string;
  residentId: string;
  residentKey: string;
  kind: 'appliances' | 'vehicle';
  appliances?: PickupAppliance[];
  vehicle?: VehicleBooking;
  address: { districtCode: string; detail: string };
  contact: { name?: string; phone: string };
  note?: string;
  slot: { date: string; window: string };
  seatId: string;
  assignedSite: AssignedSiteRef;
  status: PickupStatus;
  /** The visit as the site planned it; the collector's name and work phone are for the resident only. */
  visit?: { date: string; window: string; crewId?: string; collector?: Collector };
  collected?: { appliances?: PickupAppliance[]; vehicle?: VehicleDescription; at: Date };
  failure?: { reasonCode: string; note?: string };
  cancellation?: { by: string; reason?: string };
  delivery?: { ref: string; at: Date };
  certificate?: { certificateNo: string; at: Date };
  history: HistoryEntry[];
  appliedEvents: string[];
  createdAt: Date;
  updatedAt: Date;
}

export interface SeatDoc {
  _id: string;
  slotKey: string;
  districtCode: string;
  date: string;
  window: string;
  seatNo: number;
  pickupId: string;
  claimedAt: Date;
}

export interface SlotDayDoc {
  _id: string;
  districtCode: string;
  date: string;
  windows: Array<{ window: string; capacity: number }>;
  updatedAt: Date;
  updatedBy: string;
}

export interface SiteDoc {
  _id: string;
  kind: 'station' | 'dismantler';
  name: { zh: string; en: string };
  enterpriseId: string;
  districts: string[];
  active: boolean;
  /** Where residents may bring goods themselves (a station's own address and opening hours). */
  dropOff?: DropOff;
  updatedAt: Date;
  updatedBy: string;
}

export interface DropOff {
  districtCode: string;
  address: { zh: string; en: string };
  hours: { zh: string; en: string };
}

const mixed = Schema.Types.Mixed;

const pickupSchema = new Schema<PickupDoc>(
  {
    _id: String,
    residentId: { type: String, required: true, index: true },
    residentKey: { type: String, required: true },
    kind: { type: String, required: true },
    appliances: { type: [mixed], default: undefined },
    vehicle: { type: mixed },
    address: { type: mixed, required: true },
    contact: { type: mixed, required: true },
    note: String,
    slot: { type: mixed, required: true },
    seatId: { type: String, required: true },
    assignedSite: { type: mixed, required: true },
    status: { type: String, required: true },
    visit: mixed,
    collected: mixed,
    failure: mixed,
    cancellation: mixed,
    delivery: mixed,
    certificate: mixed,
    history: { type: [mixed], default: [] } as never,
    appliedEvents: { type: [String], default: [] },
  },
  { timestamps: true, versionKey: false, minimize: false },
);
pickupSchema.plugin(outboxPlugin);
pickupSchema.index({ 'assignedSite.siteId': 1, status: 1 });
pickupSchema.index({ 'assignedSite.enterpriseId': 1 });

const seatSchema = new Schema<SeatDoc>(
  {
    _id: String,
    slotKey: { type: String, required: true, index: true },
    districtCode: { type: String, required: true },
    date: { type: String, required: true },
    window: { type: String, required: true },
    seatNo: { type: Number, required: true },
    pickupId: { type: String, required: true, index: true },
    claimedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
seatSchema.index({ districtCode: 1, date: 1 });

const slotDaySchema = new Schema<SlotDayDoc>(
  {
    _id: String,
    districtCode: { type: String, required: true },
    date: { type: String, required: true },
    windows: { type: [mixed], required: true } as never,
    updatedAt: Date,
    updatedBy: String,
  },
  { versionKey: false },
);
slotDaySchema.index({ districtCode: 1, date: 1 });

const siteSchema = new Schema<SiteDoc>(
  {
    _id: String,
    kind: { type: String, required: true },
    name: { type: mixed, required: true },
    enterpriseId: { type: String, required: true },
    districts: { type: [String], required: true },
    active: { type: Boolean, required: true },
    dropOff: mixed,
    updatedAt: Date,
    updatedBy: String,
  },
  { versionKey: false },
);
siteSchema.index({ districts: 1 });

/** A resident's pickups, newest last: `_id` is the resident's account id (their list read by `_id`). */
export interface ResidentPickupsDoc {
  _id: string;
  pickupIds: string[];
}

export interface PickupModels {
  ResidentPickups: Model<ResidentPickupsDoc>;
  Pickup: Model<PickupDoc>;
  Seat: Model<SeatDoc>;
  SlotDay: Model<SlotDayDoc>;
  Site: Model<SiteDoc>;
}

const residentPickupsSchema = new Schema<ResidentPickupsDoc>(
  { _id: String, pickupIds: { type: [String], default: [] } },
  { versionKey: false },
);

export const registerModels = (connection: Connection): PickupModels => ({
  ResidentPickups: connection.model<ResidentPickupsDoc>(
    'ResidentPickups',
    residentPickupsSchema,
    'resident_pickups',
  ),
  Pickup: connection.model<PickupDoc>('Pickup', pickupSchema, 'pickups'),
  Seat: connection.model<SeatDoc>('Seat', seatSchema, 'slot_seats'),
  SlotDay: connection.model<SlotDayDoc>('SlotDay', slotDaySchema, 'slot_days'),
  Site: connection.model<SiteDoc>('Site', siteSchema, 'sites'),
});
