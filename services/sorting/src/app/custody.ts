import { DomainError, type Principal } from '@recycling/contracts';
import { expectedItems } from '../domain/arrivals';
import { inTimeOrder, lineLocation, type CustodyStep } from '../domain/custody';
import { pickupDifference } from '../domain/pickup-difference';
import { sortedUnitsByLine } from '../domain/sorting';
import type { ArrivalDoc, BatchDoc, IntakeDoc } from '../store/models';
import type { SortingContext } from './context';
import { batchKey, dispatchedUnits } from './dispatch-batch';
import { visibleIntake } from './read-intakes';

// The chain of custody of an intake's items, one call: the pickup that brought them (if any), the
// revisions of each line, where each part was sorted to and which batch took it to which processor.

const pickupSteps = (arrival: ArrivalDoc): CustodyStep[] =>
  arrival.history.map(
    (h) => ({ at: h.at.toISOString(), step: `pickup.${h.status}`, pickupId: arrival._id }) as CustodyStep,
  );

function lineSteps(intake: IntakeDoc, batches: BatchDoc[], lineId: string): CustodyStep[] {
  const steps: CustodyStep[] = [];
  for (const r of intake.revisions) {
    const line = r.contents.lines.find((l) => l.lineId === lineId) ?? null;
    const at = (r.revision === 1 ? intake.receivedAt : r.recordedAt).toISOString();
    if (r.revision === 1) {
      if (line) steps.push({ at, step: 'intake.recorded', intakeId: intake._id, revision: 1, line });
    } else {
      const before = intake.revisions.find((p) => p.revision === r.revision - 1);
      const had = before?.contents.lines.some((l) => l.lineId === lineId) ?? false;
      if (line || had) {
        steps.push({
          at,
          step: 'intake.corrected',
          intakeId: intake._id,
          revision: r.revision,
          reason: r.reason ?? '',
          line,
        });
      }
    }
  }
  for (const s of intake.sorted.filter((p) => p.lineId === lineId)) {
    steps.push({
      at: s.sortedAt.toISOString(),
      step: 'items.sorted',
      sortingId: s.sortingId,
      outcome: s.outcome,
      units: s.units,
    });
  }
  for (const b of batches) {
    for (const item of b.items.filter((i) => i.intakeId === intake._id && i.lineId === lineId)) {
      steps.push({
        at: b.dispatchedAt.toISOString(),
        step: 'batch.dispatched',
        batchId: b._id,
        processor: b.processor,
        units: item.units,
        weightGrams: item.weightGrams,
      });
    }
  }
  return steps;
}

export async function intakeCustody(
  ctx: SortingContext,
  principal: Principal,
  intakeId: string,
  onlyLineId?: string,
) {
  const intake = await visibleIntake(ctx, principal, intakeId);
  const pickupId = intake.source.pickupId;
  const arrival = pickupId ? await ctx.arrivals.find(pickupId) : null;
  const { batches, byLine: dispatched } = await dispatchedUnits(ctx, [intakeId]);
  const sorted = sortedUnitsByLine(intake.sorted);
  const lineIds = [...new Set(intake.revisions.flatMap((r) => r.contents.lines.map((l) => l.lineId)))];
  if (onlyLineId !== undefined && !lineIds.includes(onlyLineId)) {
    throw DomainError.notFound(
      'line-not-found',
      `该入库单没有此明细 / Intake ${intakeId} has no line ${onlyLineId}`,
    );
  }
  const lines = lineIds
    .filter((id) => onlyLineId === undefined || id === onlyLineId)
    .map((lineId) => {
      const current = intake.contents.lines.find((l) => l.lineId === lineId) ?? null;
      return {
        lineId,
        current,
        location: lineLocation(
          current?.units ?? 0,
          sorted.get(lineId) ?? 0,
          dispatched.get(batchKey(intakeId, lineId)) ?? 0,
        ),
        steps: inTimeOrder([...(arrival ? pickupSteps(arrival) : []), ...lineSteps(intake, batches, lineId)]),
      };
    });
  return {
    intakeId,
    stationId: intake.stationId,
    revision: intake.revision,
    pickup: pickupId
      ? {
          pickupId,
          known: arrival !== null,
          status: arrival?.status,
          booked: arrival?.booked,
          collected: arrival?.collected,
          differences: arrival ? pickupDifference(expectedItems(arrival), intake.contents.lines) : undefined,
        }
      : undefined,
    lines,
  };
}

/** The chain of custody of one line of an intake. */
export async function lineCustody(
  ctx: SortingContext,
  principal: Principal,
  intakeId: string,
  lineId: string,
) {
  const { lines, ...rest } = await intakeCustody(ctx, principal, intakeId, lineId);
  return { ...rest, line: lines[0]! };
}
