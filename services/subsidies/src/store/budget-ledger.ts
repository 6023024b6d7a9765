import { findByIds, insertOnce, type DocumentLocks } from '@recycling/store';
import type { mongo } from 'mongoose';
import { applyEntry, assertRoom, ZERO_TOTALS, type BudgetEntryKind } from '../domain/budget';
import { localMonthOf } from '../domain/calendar';
import type { BudgetDoc, BudgetEntryDoc, JournalEntry } from './models';

// A programme year's budget, one document (`<programme>:<year>`) with its totals, its months and the
// journal of its latest entries, written only under the budget's lock: DocumentLocks are inserts, so
// the lock serialises approvals across replicas, and every approval reads the committed total after
// the one before it wrote. An entry (`<programme>:<year>:<claim>:<kind>`) is applied once: a retry
// after a crash between the budget's write and the entry's finds it in the journal, and an entry
// document kept for ever says who moved what and when (the chain of a payment reads them by `_id`).

const JOURNAL_LENGTH = 500;

export interface BudgetMove {
  programmeCode: string;
  year: number;
  claimId: string;
  kind: BudgetEntryKind;
  amountFen: number;
  by?: string;
  /** For `reserve`: the year's budget and the programme's name, to refuse what does not fit. */
  budget?: { budgetFen: number; name: { zh: string; en: string } };
}

export const budgetIdOf = (programmeCode: string, year: number) => `${programmeCode}:${year}`;
export const entryIdOf = (programmeCode: string, year: number, claimId: string, kind: BudgetEntryKind) =>
  `${budgetIdOf(programmeCode, year)}:${claimId}:${kind}`;

export class BudgetLedger {
  constructor(
    private readonly budgets: mongo.Collection<BudgetDoc>,
    private readonly entries: mongo.Collection<BudgetEntryDoc>,
    private readonly locks: DocumentLocks,
    private readonly timezone: string,
    private readonly now: () => Date,
  ) {}

  async find(programmeCode: string, year: number): Promise<BudgetDoc | null> {
    return this.budgets.findOne({ _id: budgetIdOf(programmeCode, year) });
  }

  async hasEntry(programmeCode: string, year: number, claimId: string, kind: BudgetEntryKind) {
    return (await this.entries.findOne({ _id: entryIdOf(programmeCode, year, claimId, kind) })) !== null;
  }

  async entriesOf(programmeCode: string, year: number, claimId: string): Promise<BudgetEntryDoc[]> {
    const kinds: BudgetEntryKind[] = ['reserve', 'pay', 'release', 'clawback'];
    return findByIds(
      this.entries,
      kinds.map((k) => entryIdOf(programmeCode, year, claimId, k)),
    );
  }

  /**
   * Applies one entry under the budget's lock: `reserve` refuses (budget-exhausted) what the budget
   * has no room for. Answers `already` when the entry was applied before (a retry).
   */
  async apply(move: BudgetMove): Promise<'applied' | 'already'> {
    const budgetId = budgetIdOf(move.programmeCode, move.year);
    const entryId = entryIdOf(move.programmeCode, move.year, move.claimId, move.kind);
    return this.locks.withLock(`budget:${budgetId}`, async () => {
      if (await this.entries.findOne({ _id: entryId })) return 'already';
      const at = this.now();
      const doc: BudgetDoc = (await this.budgets.findOne({ _id: budgetId })) ?? {
        _id: budgetId,
        programmeCode: move.programmeCode,
        year: move.year,
        ...ZERO_TOTALS,
        monthly: {},
        journal: [],
        updatedAt: at,
      };
      if (!doc.journal.some((e) => e.entryId === entryId)) {
        if (move.kind === 'reserve' && move.budget) {
          assertRoom(move.budget.budgetFen, doc, move.amountFen, move.budget.name, move.year);
        }
        const month = localMonthOf(at, this.timezone);
        const totals = applyEntry(doc, move.kind, move.amountFen);
        const entry: JournalEntry = { entryId, kind: move.kind, amountFen: move.amountFen, at };
        const { _id, ...rest } = {
          ...doc,
          ...totals,
          monthly: {
            ...doc.monthly,
            [month]: applyEntry(doc.monthly[month] ?? ZERO_TOTALS, move.kind, move.amountFen),
          },
          journal: [...doc.journal, entry].slice(-JOURNAL_LENGTH),
          updatedAt: at,
        };
        await this.budgets.replaceOne({ _id }, rest, { upsert: true });
      }
      await insertOnce(this.entries, {
        _id: entryId,
        budgetId,
        claimId: move.claimId,
        kind: move.kind,
        amountFen: move.amountFen,
        at,
        ...(move.by ? { by: move.by } : {}),
      });
      return 'applied';
    });
  }
}
