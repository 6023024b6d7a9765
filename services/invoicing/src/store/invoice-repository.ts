import type { PendingEvent } from '@recycling/messaging';
import { AggregateRepository, findByIds, insertManyOnce, type RepositoryDeps } from '@recycling/store';
import { DomainError } from '@recycling/contracts';
import type { mongo } from 'mongoose';
import type { InvoiceEventsDoc, InvoiceRecordDoc, InvoiceRecordKind, Models } from './models';

/** The record without its outbox: what every reader wants. */
const WITHOUT_OUTBOX = { outbox: 0, outboxUpdatedAt: 0 } as const;

/** Filters of the feed (the tax office's, and an enterprise's own list). */
export interface InvoiceFilter {
  issuerId?: string;
  /** Any of these issuers (the tax desk's filter by name or credit code). */
  issuerIds?: readonly string[];
  period?: string;
  kind?: InvoiceRecordKind;
  sellerKey?: string;
}

/** The store query of a feed filter (fields other than `_id`: see `page`). */
function filterQuery(filter: InvoiceFilter): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  if (filter.issuerIds) {
    query.issuerId = filter.issuerIds.length === 1 ? filter.issuerIds[0] : { $in: [...filter.issuerIds] };
  } else if (filter.issuerId) query.issuerId = filter.issuerId;
  if (filter.period) query.period = filter.period;
  if (filter.kind) query.kind = filter.kind;
  if (filter.sellerKey) query.sellerKey = filter.sellerKey;
  return query;
}

/** Where a feed page starts: after a position already read, or at an instant. */
export type FeedStart = { after: { recordedAt: Date; id: string } } | { since: Date } | undefined;

export const invoiceNotFound = (invoiceId: string) =>
  DomainError.notFound('invoice-not-found', `未找到发票 ${invoiceId} / Invoice ${invoiceId} not found.`);

/**
 * Events per run outbox document (`invoice_events`): a run of 1,000 purchases makes about as many
 * documents, ~1.5 KB of event each, and a document must stay far below the store's 16 MB.
 */
export const EVENTS_PER_DOCUMENT = 250;

/**
 * Invoices, red-letter invoices and refusals (`invoices`): immutable, each inserted once under an id
 * derived from its purchase; their events in the outbox of their run (`invoice_events`), or, for
 * documents of plans kept inline in a ledger, in their own.
 */
export class InvoiceRepository extends AggregateRepository<InvoiceRecordDoc, PendingEvent> {
  private readonly events: Pick<Models, 'InvoiceEvents'>['InvoiceEvents'];

  constructor(models: Pick<Models, 'InvoiceRecord' | 'InvoiceEvents'>, deps: RepositoryDeps) {
    super(models.InvoiceRecord, deps, { lockPrefix: 'invoice', notFound: invoiceNotFound });
    this.events = models.InvoiceEvents;
  }

  private get collection() {
    return this.model.collection as unknown as mongo.Collection<InvoiceRecordDoc>;
  }

  /** The record without its outbox; null when there is none. */
  override async find(invoiceId: string): Promise<InvoiceRecordDoc | null> {
    return this.model.findById(invoiceId, WITHOUT_OUTBOX).lean<InvoiceRecordDoc>();
  }

  /** The records among `ids` that exist, without their outbox unless a projection says otherwise. */
  override async findMany(
    ids: readonly string[],
    projection: mongo.Document = WITHOUT_OUTBOX,
  ): Promise<InvoiceRecordDoc[]> {
    return findByIds(this.collection, ids, projection);
  }

  /** The ids among `ids` that are stored already. */
  async existing(ids: readonly string[]): Promise<Set<string>> {
    return new Set((await this.findMany(ids, { _id: 1 })).map((r) => r._id));
  }

  /**
   * Inserts the records that are not stored yet (one round trip), then has the relay publish what
   * the documents `announce` hold: the new ones and any a crashed run inserted but never announced.
   */
  async insertAll(records: readonly InvoiceRecordDoc[], announce: readonly string[]): Promise<void> {
    await this.deps.outbox.expect(
      this.model,
      records.map((r) => ({ docId: r._id, eventIds: r.outbox.map((e) => e.id) })),
    );
    await insertManyOnce(this.collection, records);
    if (announce.length > 0) this.deps.outbox.nudge(this.model, announce);
  }

  /** Inserts the records that are not stored yet (one round trip); their events go by `storeRunEvents`. */
  async insertRecords(records: readonly InvoiceRecordDoc[]): Promise<void> {
    await insertManyOnce(this.collection, records);
  }

  /**
   * Stores the events of a run's documents in the run's outbox documents (`<runId>`, `<runId>#2`, …,
   * EVENTS_PER_DOCUMENT events each, always cut the same way), those not stored yet (`afterCrash`
   * reads which are: an earlier attempt's events stand, so every document has one event), with
   * their pending markers. Answers what to hand to `announceRunEvents`.
   */
  async storeRunEvents(
    runId: string,
    events: readonly PendingEvent[],
    now: Date,
    options: { afterCrash: boolean },
  ): Promise<string[]> {
    const docs: InvoiceEventsDoc[] = [];
    for (let i = 0; i < events.length; i += EVENTS_PER_DOCUMENT) {
      const _id = i === 0 ? runId : `${runId}#${i / EVENTS_PER_DOCUMENT + 1}`;
      docs.push({
        _id,
        outbox: events.slice(i, i + EVENTS_PER_DOCUMENT),
        outboxUpdatedAt: now,
        createdAt: now,
      });
    }
    const collection = this.events.collection as unknown as mongo.Collection<InvoiceEventsDoc>;
    const stored = options.afterCrash
      ? new Set(
          (
            await findByIds(
              collection,
              docs.map((d) => d._id),
              { _id: 1 },
            )
          ).map((d) => d._id),
        )
      : new Set<string>();
    const missing = docs.filter((d) => !stored.has(d._id));
    if (missing.length === 0) return [];
    await this.deps.outbox.expect(
      this.events,
      missing.map((d) => ({ docId: d._id, eventIds: d.outbox.map((e) => e.id) })),
    );
    await insertManyOnce(collection, missing);
    return missing.map((d) => d._id);
  }

  /** Has the relay publish a run's outbox documents (read by `_id`, one each). */
  announceRunEvents(outboxes: readonly string[]): void {
    if (outboxes.length > 0) this.deps.outbox.nudge(this.events, outboxes);
  }

  /**
   * A page of records in recording order, settled ones only. A filter on fields other than `_id`:
   * the tax office's and the enterprises' reads, not on any event's path (docs/conventions.md).
   */
  async page(
    filter: InvoiceFilter,
    start: FeedStart,
    settledBefore: Date,
    limit: number,
  ): Promise<InvoiceRecordDoc[]> {
    const query = filterQuery(filter);
    const conditions: Record<string, unknown>[] = [{ recordedAt: { $lte: settledBefore } }];
    if (start && 'after' in start) {
      const { recordedAt, id } = start.after;
      conditions.push({ $or: [{ recordedAt: { $gt: recordedAt } }, { recordedAt, _id: { $gt: id } }] });
    } else if (start) {
      conditions.push({ recordedAt: { $gte: start.since } });
    }
    return this.model
      .find({ ...query, $and: conditions }, WITHOUT_OUTBOX)
      .sort({ recordedAt: 1, _id: 1 })
      .limit(limit)
      .lean<InvoiceRecordDoc[]>();
  }

  /**
   * Counts and sums of the settled records of a filter (the tax desk's totals): read with their
   * kind and totals only. A filter on fields other than `_id`, as the feed's page; the tax office's
   * rare path, never an event's.
   */
  async totals(
    filter: InvoiceFilter,
    since: Date | undefined,
    settledBefore: Date,
  ): Promise<{
    issued: number;
    reversed: number;
    refused: number;
    amountFen: number;
    vatFen: number;
    totalFen: number;
  }> {
    const sums = { issued: 0, reversed: 0, refused: 0, amountFen: 0, vatFen: 0, totalFen: 0 };
    const recordedAt = since ? { $lte: settledBefore, $gte: since } : { $lte: settledBefore };
    const cursor = this.collection.find(
      { ...filterQuery(filter), recordedAt },
      { projection: { kind: 1, 'data.totals': 1 } },
    );
    for await (const r of cursor) {
      sums[r.kind] += 1;
      const totals = (r.data as { totals?: { amountFen: number; vatFen: number; totalFen: number } }).totals;
      if (r.kind === 'refused' || !totals) continue;
      sums.amountFen += totals.amountFen;
      sums.vatFen += totals.vatFen;
      sums.totalFen += totals.totalFen;
    }
    return sums;
  }

  /**
   * The issuer's invoices and red-letter invoices of a tax month (what its declaration sums). A
   * filter on other fields than `_id`, on the declarations' path only (an administrator's request,
   * the hourly scheduler).
   */
  async ofIssuerPeriod(issuerId: string, period: string): Promise<Pick<InvoiceRecordDoc, 'kind' | 'data'>[]> {
    return this.model
      .find({ issuerId, period, kind: { $in: ['issued', 'reversed'] } }, { kind: 1, data: 1 })
      .lean<Pick<InvoiceRecordDoc, 'kind' | 'data'>[]>();
  }

  /** The enterprises that issued or reversed invoices in a tax month (the scheduler's hourly pass). */
  async issuersOf(period: string): Promise<string[]> {
    const issuers = await this.model.distinct('issuerId', { period, kind: { $in: ['issued', 'reversed'] } });
    return issuers.map(String).sort();
  }
}
