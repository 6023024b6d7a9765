import { findByIds } from '@recycling/store';
import type { mongo } from 'mongoose';
import type { ActiveInvoice } from '../domain/decide-purchase';
import type { BulkLocks } from './bulk-locks';
import type { LedgerDoc, Models, PlanEntry } from './models';

/** What a run's decisions leave in a seller's ledger (the monthly totals are derived from `active`). */
export interface LedgerState {
  sellerKey: string;
  active: ActiveInvoice[];
  applied: LedgerDoc['applied'];
  /** The documents decided, numbered: created next, then cleared. */
  pending: PlanEntry[];
}

const monthlySales = (active: readonly ActiveInvoice[]): Record<string, number> => {
  const months: Record<string, number> = {};
  for (const a of active) months[a.period] = (months[a.period] ?? 0) + a.amountFen;
  return months;
};

/**
 * Statements per `update` command, sent one command at a time. FerretDB 1.24 keeps every
 * statement's read open until the command ends, on a pool of 100 SQLite connections per database:
 * a command of 100 statements that change documents never returns (measured), nor would two of 50
 * at once. Each statement is its own write transaction either way, so smaller commands cost only a
 * round trip more.
 */
const STATEMENTS_PER_COMMAND = 25;

/**
 * Seller ledgers (`seller_ledgers`, one per seller key). Purchases are keyed by seller, so only the
 * consumer of that partition writes a ledger; the locks `ledger:<sellerKey>`, taken for all the
 * sellers of a run at once, also cover a rebalance that hands the partition over while a run is
 * still being written. Reads and writes are by `_id`, several ledgers per command.
 */
export class SellerLedgerRepository {
  constructor(
    private readonly models: Pick<Models, 'Ledger'>,
    private readonly locks: BulkLocks,
  ) {}

  private get collection() {
    return this.models.Ledger.collection as unknown as mongo.Collection<LedgerDoc>;
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
    const docs = await findByIds(this.collection, sellerKeys);
    return new Map(docs.map((d) => [d._id, d]));
  }

  /**
   * Saves each seller's decisions: totals, exactly-once markers and planned documents in one write
   * per ledger (a seller's new ledger is created by it).
   */
  async save(states: readonly LedgerState[]): Promise<void> {
    const now = new Date();
    await this.bulkUpdate(
      states.map(({ sellerKey, active, applied, pending }) => ({
        updateOne: {
          filter: { _id: sellerKey },
          update: {
            $set: { active, monthlySalesFen: monthlySales(active), applied, pending, updatedAt: now },
          },
          upsert: true,
        },
      })),
    );
  }

  /** Clears the plans of these sellers once their documents exist. */
  async clearPlans(sellerKeys: readonly string[]): Promise<void> {
    const now = new Date();
    await this.bulkUpdate(
      sellerKeys.map((sellerKey) => ({
        updateOne: { filter: { _id: sellerKey }, update: { $set: { pending: [], updatedAt: now } } },
      })),
    );
  }

  private async bulkUpdate(operations: mongo.AnyBulkWriteOperation<LedgerDoc>[]): Promise<void> {
    for (let i = 0; i < operations.length; i += STATEMENTS_PER_COMMAND) {
      await this.collection.bulkWrite(operations.slice(i, i + STATEMENTS_PER_COMMAND), { ordered: false });
    }
  }
}
