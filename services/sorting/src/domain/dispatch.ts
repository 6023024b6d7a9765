import { DomainError, type IntakeLine } from '@recycling/contracts';
import { conflictOn } from './refusals';

// A batch takes sorted units that have not left yet. When a line leaves in parts, each part's weight
// is the difference of the rounded cumulative shares, so the parts always add up to the line's weight.

export const partWeightGrams = (
  line: Pick<IntakeLine, 'units' | 'weightGrams'>,
  from: number,
  units: number,
) => {
  const at = (n: number) => Math.round((line.weightGrams * n) / line.units);
  return at(from + units) - at(from);
};

export interface DispatchRequest {
  intakeId: string;
  lineId: string;
  units: number;
}

export interface LineAvailability {
  line: IntakeLine;
  sorted: number;
  dispatched: number;
}

export const checkDispatchable = (
  request: DispatchRequest,
  index: number,
  availability: LineAvailability | undefined,
  alreadyInThisBatch: number,
): void => {
  if (!availability) {
    throw DomainError.invalid(
      'line-not-at-station',
      `items.${index}.lineId`,
      `本站没有该明细 / ${request.intakeId}/${request.lineId} is not a line of this station`,
    );
  }
  const free = availability.sorted - availability.dispatched - alreadyInThisBatch;
  if (request.units > free) {
    throw conflictOn(
      'not-enough-sorted-units',
      `items.${index}.units`,
      `可发运 ${Math.max(free, 0)} 台（须先分拣）/ Only ${Math.max(free, 0)} sorted units of ` +
        `${request.intakeId}/${request.lineId} are waiting to leave`,
    );
  }
};
