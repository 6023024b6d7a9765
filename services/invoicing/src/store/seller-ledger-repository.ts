import type { DocumentLocks } from '@recycling/store';
import type { ActiveInvoice, PlannedDocument } from '../domain/decide-purchase';
import type { LedgerDoc, Models } from './models';

/** What a decision leaves in the ledger (the monthly totals are derived from `active`). */
export interface LedgerState {
  active: ActiveInvoice[];
  applied: LedgerDoc['applied'];
  pending: PlannedDocument[];
}

/** The ledger of one seller while its writer holds it: read once, then written through this. */
export interface LedgerSession {
  /** The ledger as it was when the session began (null for a new seller). */
  readonly ledger: LedgerDoc | null;
  /** Saves a decision: totals, exactly-once marker and planned documents in one write. */
  save(state: LedgerState): Promise<void>;
  /** Clears the plan once its documents exist. */
  clearPlan(): Promise<void>;
}

const monthlySales = (active: readonly ActiveInvoice[]): Record<string, number> => {
  const months: Record<string, number> = {};
  for (const a of active) months[a.period] = (months[a.period] ?? 0) + a.amountFen;
  return months;
};

/**
 * Seller ledgers (`seller_ledgers`, one per seller key). Purchases are keyed by seller, so only the
 * consumer of that partition writes a ledger; the lock `ledger:<sellerKey>` also covers a rebalance
 * that hands the partition over while a decision is still being written.
 */
export class SellerLedgerRepository {
  constructor(
    private readonly models: Pick<Models, 'Ledger'>,
    private readonly locks: DocumentLocks,
  ) {}

  /** Runs `fn` as the one writer of the seller's ledger. */
  session<R>(sellerKey: string, fn: (session: LedgerSession) => Promise<R>): Promise<R> {
    const { Ledger } = this.models;
    return this.locks.withLock(`ledger:${sellerKey}`, async () => {
      const ledger = await Ledger.findById(sellerKey).lean<LedgerDoc>();
      return fn({
        ledger,
        save: async ({ active, applied, pending }) => {
          await Ledger.updateOne(
            { _id: sellerKey },
            {
              $set: {
                active,
                monthlySalesFen: monthlySales(active),
                applied,
                pending,
                updatedAt: new Date(),
              },
            },
            { upsert: true },
          );
        },
        clearPlan: async () => {
          await Ledger.updateOne({ _id: sellerKey }, { $set: { pending: [], updatedAt: new Date() } });
        },
      });
    });
  }
}
