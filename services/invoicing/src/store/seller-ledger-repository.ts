import { findByIds, insertOnce } from '@recycling/store';
import { mongo } from 'mongoose';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { ActiveInvoice } from '../domain/decide-purchase';
import type { BulkLocks } from './bulk-locks';
import type { LedgerDoc, LedgerPlanDoc, Models, PlanEntry } from './models';

/** What a run's decisions leave in a seller's ledger (the monthly totals are derived from `active`). */
export interface LedgerState {
  sellerKey: string;
  active: ActiveInvoice[];
  applied: LedgerDoc['applied'];
  /** The run's plan when it holds documents of this seller, else null. */
  plan: string | null;
}

/** A run's plan: its documents, numbered, per seller. */
export interface LedgerPlan {
  planId: string;
  sellers: { sellerKey: string; entries: PlanEntry[] }[];
}

/** A stored plan's documents, per seller. */
export const readPlan = (doc: Pick<LedgerPlanDoc, 'documents'>): LedgerPlan['sellers'] => {
  const stored = doc.documents as Buffer | mongo.Binary;
  const bytes = stored instanceof mongo.Binary ? Buffer.from(stored.buffer) : stored;
  return JSON.parse(inflateRawSync(bytes).toString('utf8')) as LedgerPlan['sellers'];
};

const monthlySales = (active: readonly ActiveInvoice[]): Record<string, number> => {
  const months: Record<string, number> = {};
  for (const a of active) months[a.period] = (months[a.period] ?? 0) + a.amountFen;
  return months;
};

/**
 * Statements per `update` command, and commands at once. FerretDB 1.24 keeps every statement's read
 * open until the command ends, on a pool of 100 SQLite connections per database: a command of 100
 * statements that change documents never returns (measured), nor would two of 50 at once. Each
 * statement is its own write transaction either way, so smaller commands cost only a round trip
 * more; two at once keep 50 connections at most, and both of the store's cores busy.
 */
const STATEMENTS_PER_COMMAND = 25;
const COMMANDS_AT_ONCE = 2;

/** Plans this process removed, remembered so that their ledgers' next run need not look them up. */
const FINISHED_REMEMBERED = 20_000;

/**
 * Seller ledgers (`seller_ledgers`, one per seller key) and the plans of the runs that wrote them
 * (`ledger_plans`). Purchases are keyed by seller, so only the consumer of that partition writes a
 * ledger; the locks `ledger:<sellerKey>`, taken for all the sellers of a run at once, also cover a
 * rebalance that hands the partition over while a run is still being written. Reads and writes
 * are by `_id`, several documents per command.
 */
export class SellerLedgerRepository {
  private readonly finished = new Set<string>();

  constructor(
    private readonly models: Pick<Models, 'Ledger' | 'LedgerPlan'>,
    private readonly locks: BulkLocks,
  ) {}

  private get ledgers() {
    return this.models.Ledger.collection as unknown as mongo.Collection<LedgerDoc>;
  }

  private get plans() {
    return this.models.LedgerPlan.collection as unknown as mongo.Collection<LedgerPlanDoc>;
  }

  /** Runs `fn` as the one writer of these sellers' ledgers. */
  withSellers<R>(sellerKeys: readonly string[], fn: () => Promise<R>): Promise<R> {
    return this.locks.withLocks(
      sellerKeys.map((k) => `ledger:${k}`),
      fn,
    );
  }

  /** The ledgers of these sellers that exist, by seller key (one lookup by `_id` each). */
  async load(sellerKeys: readonly string[]): Promise<Map<string, LedgerDoc>> {
    const docs = await findByIds(this.ledgers, sellerKeys);
    return new Map(docs.map((d) => [d._id, d]));
  }

  /**
   * The plans among `planIds` that still exist (a run that did not finish), skipping those this
   * process removed itself: after the first run, a ledger's plan costs no lookup.
   */
  async unfinishedPlans(planIds: readonly string[]): Promise<LedgerPlan[]> {
    const unknown = [...new Set(planIds)].filter((id) => !this.finished.has(id));
    if (unknown.length === 0) return [];
    return (await findByIds(this.plans, unknown)).map((doc) => ({
      planId: doc._id,
      sellers: readPlan(doc),
    }));
  }

  /** Stores a run's plan before the ledgers name it (the same run again finds it stored). */
  async insertPlan({ planId, sellers }: LedgerPlan, now: Date): Promise<void> {
    await insertOnce(this.plans, {
      _id: planId,
      sellerKeys: sellers.map((s) => s.sellerKey),
      documents: deflateRawSync(JSON.stringify(sellers)),
      createdAt: now,
    });
  }

  /** Removes a plan whose documents all exist. */
  async removePlan(planId: string): Promise<void> {
    await this.plans.deleteOne({ _id: planId });
    if (this.finished.size >= FINISHED_REMEMBERED) this.finished.clear();
    this.finished.add(planId);
  }

  /**
   * Saves each seller's decisions: totals, exactly-once markers and the plan of their documents in
   * one write per ledger (a seller's new ledger is created by it). A plan the ledger kept inline
   * (`pending`, before plans had documents of their own) is carried out before, so it is cleared.
   */
  async save(states: readonly LedgerState[]): Promise<void> {
    const now = new Date();
    await this.bulkUpdate(
      states.map(({ sellerKey, active, applied, plan }) => ({
        updateOne: {
          filter: { _id: sellerKey },
          update: {
            $set: {
              active,
              monthlySalesFen: monthlySales(active),
              applied,
              plan,
              pending: [],
              updatedAt: now,
            },
          },
          upsert: true,
        },
      })),
    );
  }

  /** Clears the inline plans (`pending`) of these sellers once their documents exist. */
  async clearPending(sellerKeys: readonly string[]): Promise<void> {
    const now = new Date();
    await this.bulkUpdate(
      sellerKeys.map((sellerKey) => ({
        updateOne: { filter: { _id: sellerKey }, update: { $set: { pending: [], updatedAt: now } } },
      })),
    );
  }

  private async bulkUpdate(operations: mongo.AnyBulkWriteOperation<LedgerDoc>[]): Promise<void> {
    const commands: mongo.AnyBulkWriteOperation<LedgerDoc>[][] = [];
    for (let i = 0; i < operations.length; i += STATEMENTS_PER_COMMAND) {
      commands.push(operations.slice(i, i + STATEMENTS_PER_COMMAND));
    }
    for (let i = 0; i < commands.length; i += COMMANDS_AT_ONCE) {
      await Promise.all(
        commands
          .slice(i, i + COMMANDS_AT_ONCE)
          .map((statements) => this.ledgers.bulkWrite(statements, { ordered: false })),
      );
    }
  }
}
