import { outboxPlugin, type OutboxFields } from '@recycling/messaging';
import { Schema, type Connection, type Model } from 'mongoose';
import type { ActiveInvoice, PlannedDocument } from '../domain/decide-purchase';
import type { Enterprise } from '../domain/enterprise';

// What the service stores. Each document has one writer at a time (docs/conventions.md): the ledger
// of a seller is written only by the consumer of that seller's partition (under its lock), invoice
// documents are inserted once and never changed, numbers and declarations are claimed by insert or
// written under a lock.

export interface EnterpriseDoc extends Omit<Enterprise, 'enterpriseId'> {
  _id: string;
  updatedAt: Date;
}

export interface LedgerDoc {
  /** The seller key. */
  _id: string;
  /** Blue invoices not reversed: the source of every monthly and rolling total. */
  active: ActiveInvoice[];
  /** Reverse-invoiced sales by tax month (YYYY-MM), derived from `active` in the same write. */
  monthlySalesFen: Record<string, number>;
  /** Highest revision applied per purchase: the exactly-once marker, written with the totals. */
  applied: { purchaseId: string; revision: number }[];
  /**
   * The plan (`ledger_plans`) of the last run that decided documents for this seller, written with
   * the totals: while that plan exists, its documents may not all exist yet, and they are created
   * before anything else is decided for the seller.
   */
  plan?: string | null;
  /** Documents decided but possibly not yet created, as ledgers kept them before `plan`. */
  pending: PlanEntry[];
  updatedAt: Date;
}

/**
 * The documents a run of purchases decided, numbered, per seller: inserted before the ledgers are
 * written (each names it), removed once its documents exist. Only plans in flight are kept: the
 * collection stays small, read by `_id` only.
 */
export interface LedgerPlanDoc {
  /** `plan-<digest of the run's invoice ids>` (domain/ids.ts). */
  _id: string;
  sellerKeys: string[];
  /**
   * `[{ sellerKey, entries: PlanEntry[] }]` as JSON, deflated (`readPlan` in the ledger repository).
   * A plan is read back only after a crash, and FerretDB converts every field of a document it
   * inserts or deletes (measured: a run's plan of 500 documents as fields cost about a second to
   * insert and again to delete, on a busy machine; as one value, a few tens of milliseconds, and
   * deflated it is a tenth of the bytes to write).
   */
  documents: Buffer;
  createdAt: Date;
}

/**
 * A planned document as the ledger keeps it: with the number claimed for it before the plan was
 * saved, so that a plan carried out again after a crash gives every invoice the number it was meant
 * to have. Plans saved before numbers were claimed per run have none; theirs are claimed when the
 * documents are created, one per invoice (held by the invoice's id, so a retry gets the same one).
 */
export type PlanEntry = PlannedDocument & { invoiceNo?: string };

export type InvoiceRecordKind = PlannedDocument['kind'];

/**
 * An issued, red-letter or refused invoice: immutable, and the entry of the tax office's feed. Its
 * event is in the outbox of its run's `InvoiceEventsDoc`; documents created before runs had one
 * (and those of plans kept inline in a ledger) hold it in their own outbox.
 */
export interface InvoiceRecordDoc extends OutboxFields {
  _id: string;
  kind: InvoiceRecordKind;
  eventType: string;
  issuerId: string;
  sellerKey: string;
  purchaseId: string;
  purchaseRevision: number;
  /** The pickup the purchase came through, if it did: how a resident finds the invoice. */
  pickupId?: string;
  period: string;
  invoiceNo: string | null;
  /** The event's data: what the tax office receives. */
  data: Record<string, unknown>;
  recordedAt: Date;
}

/**
 * The events of the documents a run created, in plan order: the outbox of the run, written once its
 * documents exist, under the run's plan id. The relay reads one document per run, where it read one
 * per invoice (each read by `_id` costs the store a round trip and the conversion of the whole
 * invoice); kept, like the invoices, never changed.
 */
export interface InvoiceEventsDoc extends OutboxFields {
  /** The plan's id (`plan-…`). */
  _id: string;
  createdAt: Date;
}

/**
 * The pickups a resident booked, from the pickups topic (pickup.requested). With `PickupInvoicesDoc`
 * (from the purchases topic) it answers "my invoices" by `_id` reads only (FerretDB serves no other
 * filter from an index), joined when read, so it does not matter which topic arrives first. Written
 * under the lock `resident-pickups:<residentKey>` (a resident's pickups come from many partitions).
 */
export interface ResidentPickupsDoc {
  /** The resident key. */
  _id: string;
  pickupIds: string[];
  updatedAt: Date;
}

/**
 * The invoices and red-letter invoices of the purchases that came through a pickup, written with the
 * invoices (also when a crashed run's plan is carried out again), under `pickup-invoices:<pickupId>`.
 */
export interface PickupInvoicesDoc {
  /** The pickup id. */
  _id: string;
  invoiceIds: string[];
  updatedAt: Date;
}

export interface DeclarationDoc extends OutboxFields {
  _id: string;
  enterpriseId: string;
  period: string;
  revision: number;
  data: Record<string, unknown>;
  preparedAt: Date;
}

export interface Models {
  Enterprise: Model<EnterpriseDoc>;
  Ledger: Model<LedgerDoc>;
  LedgerPlan: Model<LedgerPlanDoc>;
  InvoiceRecord: Model<InvoiceRecordDoc>;
  InvoiceEvents: Model<InvoiceEventsDoc>;
  Declaration: Model<DeclarationDoc>;
  ResidentPickups: Model<ResidentPickupsDoc>;
  PickupInvoices: Model<PickupInvoicesDoc>;
}

const mixed = Schema.Types.Mixed;

/** The service's models on `connection` (registered once; later calls answer the same models). */
export function registerModels(connection: Connection): Models {
  if (connection.models.InvoiceRecord) return modelsOf(connection);
  const enterprise = new Schema<EnterpriseDoc>(
    {
      _id: String,
      name: { type: String, required: true },
      taxpayerId: { type: String, required: true },
      qualification: { type: mixed, default: null },
      vatMethod: { type: String, required: true },
      status: { type: String, required: true },
      siteIds: { type: [String], default: [] },
      updatedAt: { type: Date, required: true },
    },
    { versionKey: false, minimize: false },
  );
  enterprise.index({ siteIds: 1 });

  const ledger = new Schema<LedgerDoc>(
    {
      _id: String,
      active: { type: mixed, default: [] },
      monthlySalesFen: { type: mixed, default: {} },
      applied: { type: mixed, default: [] },
      plan: { type: String, default: null },
      pending: { type: mixed, default: [] },
      updatedAt: Date,
    },
    { versionKey: false, minimize: false },
  );
  const ledgerPlan = new Schema<LedgerPlanDoc>(
    {
      _id: String,
      sellerKeys: { type: [String], required: true },
      documents: { type: Buffer, required: true },
      createdAt: { type: Date, required: true },
    },
    { versionKey: false, minimize: false },
  );

  const invoice = new Schema<InvoiceRecordDoc>(
    {
      _id: String,
      kind: { type: String, required: true },
      eventType: { type: String, required: true },
      issuerId: { type: String, required: true },
      sellerKey: { type: String, required: true },
      purchaseId: { type: String, required: true },
      purchaseRevision: { type: Number, required: true },
      pickupId: { type: String },
      period: { type: String, required: true },
      invoiceNo: { type: String, default: null },
      data: { type: mixed, required: true },
      recordedAt: { type: Date, required: true },
    },
    { versionKey: false, minimize: false },
  );
  invoice.plugin(outboxPlugin);
  invoice.index({ recordedAt: 1, _id: 1 });
  invoice.index({ issuerId: 1, period: 1 });
  invoice.index({ issuerId: 1, recordedAt: 1, _id: 1 });

  const invoiceEvents = new Schema<InvoiceEventsDoc>(
    { _id: String, createdAt: { type: Date, required: true } },
    { versionKey: false, minimize: false },
  );
  invoiceEvents.plugin(outboxPlugin);

  const declaration = new Schema<DeclarationDoc>(
    {
      _id: String,
      enterpriseId: { type: String, required: true },
      period: { type: String, required: true },
      revision: { type: Number, required: true },
      data: { type: mixed, required: true },
      preparedAt: { type: Date, required: true },
    },
    { versionKey: false, minimize: false },
  );
  declaration.plugin(outboxPlugin);
  declaration.index({ enterpriseId: 1, period: 1 });
  declaration.index({ period: 1 });

  const residentPickups = new Schema<ResidentPickupsDoc>(
    { _id: String, pickupIds: { type: [String], default: [] }, updatedAt: Date },
    { versionKey: false },
  );
  const pickupInvoices = new Schema<PickupInvoicesDoc>(
    { _id: String, invoiceIds: { type: [String], default: [] }, updatedAt: Date },
    { versionKey: false },
  );

  connection.model<EnterpriseDoc>('Enterprise', enterprise, 'enterprises');
  connection.model<LedgerDoc>('Ledger', ledger, 'seller_ledgers');
  connection.model<LedgerPlanDoc>('LedgerPlan', ledgerPlan, 'ledger_plans');
  connection.model<InvoiceRecordDoc>('InvoiceRecord', invoice, 'invoices');
  connection.model<InvoiceEventsDoc>('InvoiceEvents', invoiceEvents, 'invoice_events');
  connection.model<DeclarationDoc>('Declaration', declaration, 'declarations');
  connection.model<ResidentPickupsDoc>('ResidentPickups', residentPickups, 'resident_pickups');
  connection.model<PickupInvoicesDoc>('PickupInvoices', pickupInvoices, 'pickup_invoices');
  return modelsOf(connection);
}

const modelsOf = (connection: Connection): Models => ({
  Enterprise: connection.model<EnterpriseDoc>('Enterprise'),
  Ledger: connection.model<LedgerDoc>('Ledger'),
  LedgerPlan: connection.model<LedgerPlanDoc>('LedgerPlan'),
  InvoiceRecord: connection.model<InvoiceRecordDoc>('InvoiceRecord'),
  InvoiceEvents: connection.model<InvoiceEventsDoc>('InvoiceEvents'),
  Declaration: connection.model<DeclarationDoc>('Declaration'),
  ResidentPickups: connection.model<ResidentPickupsDoc>('ResidentPickups'),
  PickupInvoices: connection.model<PickupInvoicesDoc>('PickupInvoices'),
});

/** Invoice numbers: `NumberSequences` (@recycling/store) in the collection the numbers always had. */
export const INVOICE_NUMBERS_COLLECTION = 'invoice_numbers';

/** Registers the models, builds their indexes and brings the numbers' collection up to date. */
export async function openStore(connection: Connection): Promise<Models> {
  const models = registerModels(connection);
  await Promise.all(Object.values(models).map((m: Model<never>) => m.createIndexes()));
  await adoptEarlierNumbers(connection);
  return models;
}

/**
 * Numbers claimed before `NumberSequences` took over (`<issuer>#<n>` documents naming one invoice)
 * stay where they are: the allocator walks over them as over claims of one number. Two things of
 * the earlier allocator would get in its way, and are dealt with here, at every start (both are
 * no-ops once done):
 * - its unique index on `invoiceId`, which the new claims do not carry (every claim after the first
 *   would collide on the missing value, and the allocator would walk on for ever);
 * - its heads (`invoice_number_heads`, `{ sequence }`): copied to the heads the allocator reads
 *   (`invoice_numbers_heads`, `{ last }`) so that it starts at an issuer's last number instead of
 *   walking up from 1. A small collection (one document per issuer), read whole.
 */
async function adoptEarlierNumbers(connection: Connection): Promise<void> {
  const numbers = connection.collection(INVOICE_NUMBERS_COLLECTION);
  if ((await numbers.indexExists('invoiceId_1').catch(() => false)) === true) {
    await numbers.dropIndex('invoiceId_1');
  }
  const earlier = connection.collection<{ _id: string; sequence?: number }>('invoice_number_heads');
  const heads = connection.collection<{ _id: string; last: number }>(`${INVOICE_NUMBERS_COLLECTION}_heads`);
  for (const head of await earlier.find({}).toArray()) {
    if (typeof head.sequence !== 'number') continue;
    await heads.updateOne({ _id: head._id }, { $max: { last: head.sequence } }, { upsert: true });
  }
}
