import { DomainError } from '@recycling/contracts';

// A programme year's budget: what is committed (approved, or advanced at a counter) never exceeds it.
// Entries move the totals: `reserve` commits an amount, `pay` records it paid, `release` returns an
// unpaid amount to the budget (a return, a rejection of an advanced sale), `clawback` records a paid
// amount the payee owes back (it stays committed: the money is out until it is recovered).

export const BUDGET_ENTRY_KINDS = ['reserve', 'pay', 'release', 'clawback'] as const;
export type BudgetEntryKind = (typeof BUDGET_ENTRY_KINDS)[number];

export interface BudgetTotals {
  committedFen: number;
  paidFen: number;
  reversedFen: number;
}

export const remainingFen = (budgetFen: number, totals: BudgetTotals): number =>
  budgetFen - totals.committedFen;

const yuan = (fen: number) => (fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2 });

/** Refuses a reservation the budget has no room for, naming what is left. */
export function assertRoom(
  budgetFen: number,
  totals: BudgetTotals,
  amountFen: number,
  programme: { zh: string; en: string },
  year: number,
): void {
  const left = remainingFen(budgetFen, totals);
  if (amountFen > left) {
    throw DomainError.conflict(
      'budget-exhausted',
      `「${programme.zh}」${year} 年度预算余额 ${yuan(left)} 元，不足以支付本笔 ${yuan(amountFen)} 元 / The ${year} budget of ${programme.en} has ${yuan(left)} yuan left, less than the ${yuan(amountFen)} yuan of this claim.`,
      {
        title: { zh: '预算已用完', en: 'Budget exhausted' },
        details: { budgetFen, committedFen: totals.committedFen, remainingFen: left, amountFen },
      },
    );
  }
}

/** The totals after an entry. */
export function applyEntry(totals: BudgetTotals, kind: BudgetEntryKind, amountFen: number): BudgetTotals {
  switch (kind) {
    case 'reserve':
      return { ...totals, committedFen: totals.committedFen + amountFen };
    case 'pay':
      return { ...totals, paidFen: totals.paidFen + amountFen };
    case 'release':
      return {
        ...totals,
        committedFen: totals.committedFen - amountFen,
        reversedFen: totals.reversedFen + amountFen,
      };
    case 'clawback':
      return { ...totals, reversedFen: totals.reversedFen + amountFen };
  }
}

export const ZERO_TOTALS: BudgetTotals = { committedFen: 0, paidFen: 0, reversedFen: 0 };
