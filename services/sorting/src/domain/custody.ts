import type { IntakeLine, SortingOutcome } from '@recycling/contracts';

// The chain of custody of one item: every fact the network holds about it, from the pickup booking
// to the batch that took it away, in time order. Built from the intake, its pickup projection and
// the batches that name it, so it needs no store of its own.

export type CustodyStep =
  | { at: string; step: 'pickup.requested' | 'pickup.scheduled' | 'pickup.collected'; pickupId: string }
  | { at: string; step: 'pickup.cancelled' | 'pickup.failed'; pickupId: string }
  | { at: string; step: 'intake.recorded'; intakeId: string; revision: 1; line: IntakeLine }
  | {
      at: string;
      step: 'intake.corrected';
      intakeId: string;
      revision: number;
      reason: string;
      line: IntakeLine | null;
    }
  | { at: string; step: 'items.sorted'; sortingId: string; outcome: SortingOutcome; units: number }
  | {
      at: string;
      step: 'batch.dispatched';
      batchId: string;
      processor: { name: string; licenceNo: string };
      units: number;
      weightGrams: number;
    };

export interface LineLocation {
  units: number;
  unsorted: number;
  sortedAtStation: number;
  dispatched: number;
}

export const lineLocation = (units: number, sorted: number, dispatched: number): LineLocation => ({
  units,
  unsorted: units - sorted,
  sortedAtStation: sorted - dispatched,
  dispatched,
});

export const inTimeOrder = (steps: CustodyStep[]): CustodyStep[] =>
  // A stable sort keeps same-instant steps in the order they were appended (cause before effect).
  steps
    .map((s, i) => ({ s, i }))
    .sort((a, b) => (a.s.at < b.s.at ? -1 : a.s.at > b.s.at ? 1 : a.i - b.i))
    .map(({ s }) => s);
