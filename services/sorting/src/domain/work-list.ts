import type { ApplianceCategory, IntakeContents, PickupAppliance, Slot } from '@recycling/contracts';
import { expectedItems, type ArrivalStatus } from './arrivals';
import { sortedUnitsByLine, type SortedPart } from './sorting';

// The station's day as the desk works through it, composed from what the day's lists name (all read
// by `_id`): collections due (booked for the day, or overdue from the days before), collections the
// crew brought back that wait to be weighed and paid, what was received today, and the goods still
// to sort and to dispatch whatever day they came in.

/** How many days back an unreceived collection is still shown as overdue. */
export const OVERDUE_DAYS = 7;
/** How many days ahead the desk sees what is coming. */
export const UPCOMING_DAYS = 7;

export interface WorkArrival {
  _id: string;
  status: ArrivalStatus;
  districtCode: string;
  slot: Slot;
  crewId?: string;
  booked: PickupAppliance[];
  collected?: PickupAppliance[];
  intakeId?: string;
}

export interface WorkIntake {
  _id: string;
  source: { kind: string; pickupId?: string };
  sellerMasked: string;
  contents: IntakeContents;
  sorted: readonly SortedPart[];
  receivedAt: Date;
}

const units = (items: readonly { count: number }[]) => items.reduce((s, i) => s + i.count, 0);

const arrivalItem = (a: WorkArrival, date: string) => ({
  pickupId: a._id,
  status: a.status,
  districtCode: a.districtCode,
  slot: a.slot,
  ...(a.crewId ? { crewId: a.crewId } : {}),
  expected: expectedItems(a),
  units: units(expectedItems(a)),
  overdue: a.slot.date < date,
});

export interface LineWork {
  lineId: string;
  category: ApplianceCategory;
  units: number;
  sorted: number;
  dispatched: number;
}

/** What of an intake is still to sort, and sorted but not yet sent away. */
export function lineWork(intake: WorkIntake, dispatched: Readonly<Record<string, number>>): LineWork[] {
  const sorted = sortedUnitsByLine(intake.sorted);
  return intake.contents.lines.map((l) => ({
    lineId: l.lineId,
    category: l.category,
    units: l.units,
    sorted: sorted.get(l.lineId) ?? 0,
    dispatched: dispatched[l.lineId] ?? 0,
  }));
}

/** True when every unit of the intake has been sorted and has left (or the intake was withdrawn). */
export const intakeDone = (intake: WorkIntake, dispatched: Readonly<Record<string, number>>): boolean =>
  lineWork(intake, dispatched).every((l) => l.dispatched >= l.units);

export interface WorkListInput {
  date: string;
  /** Arrivals named by the day's list and the days before (overdue). */
  arrivals: readonly WorkArrival[];
  /** Intakes received on the day. */
  receivedToday: readonly WorkIntake[];
  /** Intakes with work left (sorting or dispatch), whatever day they came in. */
  open: ReadonlyArray<{ intake: WorkIntake; dispatched: Readonly<Record<string, number>> }>;
  /** Local date (YYYY-MM-DD) of an instant. */
  dayOf: (at: Date) => string;
}

export function composeWorkList(input: WorkListInput) {
  const received = new Set(
    [...input.receivedToday, ...input.open.map((o) => o.intake)]
      .map((i) => i.source.pickupId)
      .filter((id): id is string => id !== undefined),
  );
  const open = input.arrivals
    .filter((a) => !a.intakeId && !received.has(a._id))
    .filter((a) => a.status === 'requested' || a.status === 'scheduled' || a.status === 'collected')
    .sort(
      (a, b) =>
        `${a.slot.date} ${a.slot.window}`.localeCompare(`${b.slot.date} ${b.slot.window}`) ||
        a._id.localeCompare(b._id),
    );
  const item = (a: WorkArrival) => arrivalItem(a, input.date);
  const due = open.filter((a) => a.status !== 'collected' && a.slot.date <= input.date).map(item);
  // Collected goods wait at the gate whatever day the visit was planned for.
  const toReceive = open.filter((a) => a.status === 'collected').map(item);
  const upcoming = open.filter((a) => a.status !== 'collected' && a.slot.date > input.date).map(item);

  const receivedItems = [...input.receivedToday]
    .sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime())
    .map((i) => ({
      intakeId: i._id,
      ...(i.source.pickupId ? { pickupId: i.source.pickupId } : {}),
      sourceKind: i.source.kind,
      seller: i.sellerMasked,
      receivedAt: i.receivedAt.toISOString(),
      units: i.contents.lines.reduce((s, l) => s + l.units, 0),
      weightGrams: i.contents.totalWeightGrams,
      paidFen: i.contents.totalFen,
    }));

  const work = [...input.open]
    .filter((o) => o.intake.contents.lines.length > 0)
    .sort((a, b) => a.intake.receivedAt.getTime() - b.intake.receivedAt.getTime())
    .map((o) => ({
      intakeId: o.intake._id,
      receivedOn: input.dayOf(o.intake.receivedAt),
      lines: lineWork(o.intake, o.dispatched),
    }));
  const toSort = work
    .map((w) => ({ ...w, lines: w.lines.filter((l) => l.sorted < l.units) }))
    .filter((w) => w.lines.length > 0);
  const toDispatch = work
    .map((w) => ({ ...w, lines: w.lines.filter((l) => l.sorted > l.dispatched) }))
    .filter((w) => w.lines.length > 0);

  return {
    date: input.date,
    due,
    toReceive,
    upcoming,
    received: receivedItems,
    toSort,
    toDispatch,
    totals: {
      due: due.length,
      overdue: due.filter((d) => d.overdue).length,
      toReceive: toReceive.length,
      upcoming: upcoming.length,
      received: receivedItems.length,
      receivedUnits: receivedItems.reduce((s, r) => s + r.units, 0),
      receivedWeightGrams: receivedItems.reduce((s, r) => s + r.weightGrams, 0),
      paidFen: receivedItems.reduce((s, r) => s + r.paidFen, 0),
      unitsToSort: toSort.reduce((s, w) => s + w.lines.reduce((t, l) => t + l.units - l.sorted, 0), 0),
      unitsToDispatch: toDispatch.reduce(
        (s, w) => s + w.lines.reduce((t, l) => t + l.sorted - l.dispatched, 0),
        0,
      ),
    },
  };
}
export type WorkList = ReturnType<typeof composeWorkList>;
