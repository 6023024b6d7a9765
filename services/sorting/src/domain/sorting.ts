import { DomainError, type IntakeContents, type SortingOutcome } from '@recycling/contracts';
import { conflictOn } from './refusals';

// A line may be sorted in parts (two of three TVs to resale, one to dismantling), but never more
// units than it has; and a correction may not take away units that were already sorted, because
// their outcome (and perhaps their batch) would then describe goods the intake no longer holds.

export interface SortedPart {
  lineId: string;
  outcome: SortingOutcome;
  units: number;
}

export const sortedUnitsByLine = (parts: readonly SortedPart[]): Map<string, number> => {
  const byLine = new Map<string, number>();
  for (const p of parts) byLine.set(p.lineId, (byLine.get(p.lineId) ?? 0) + p.units);
  return byLine;
};

export const checkSorting = (
  contents: IntakeContents,
  already: readonly SortedPart[],
  requested: readonly SortedPart[],
): void => {
  const units = new Map(contents.lines.map((l) => [l.lineId, l.units]));
  const sorted = sortedUnitsByLine(already);
  requested.forEach((part, i) => {
    const lineUnits = units.get(part.lineId);
    if (lineUnits === undefined) {
      throw DomainError.invalid(
        'line-not-in-intake',
        `outcomes.${i}.lineId`,
        `该明细不在当前版本中 / Line ${part.lineId} is not in the intake`,
      );
    }
    const total = (sorted.get(part.lineId) ?? 0) + part.units;
    if (total > lineUnits) {
      throw conflictOn(
        'sorting-exceeds-units',
        `outcomes.${i}.units`,
        `分拣数量超过该明细台数 / Line ${part.lineId} has ${lineUnits} units; ${total} would be sorted`,
      );
    }
    sorted.set(part.lineId, total);
  });
};

export const checkCorrectionKeepsSorted = (after: IntakeContents, sorted: readonly SortedPart[]): void => {
  const units = new Map(after.lines.map((l) => [l.lineId, l.units]));
  for (const [lineId, count] of sortedUnitsByLine(sorted)) {
    const left = units.get(lineId) ?? 0;
    if (left < count) {
      const i = after.lines.findIndex((l) => l.lineId === lineId);
      throw conflictOn(
        'correction-drops-sorted-units',
        i >= 0 ? `lines.${i}.units` : 'lines',
        `已分拣 ${count} 台，不能减少到 ${left} 台 / Line ${lineId} has ${count} sorted units; it cannot drop to ${left}`,
      );
    }
  }
};
