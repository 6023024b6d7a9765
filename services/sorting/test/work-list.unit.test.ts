import { addDays, localDate } from '../src/domain/local-day';
import { composeWorkList, intakeDone, type WorkArrival, type WorkIntake } from '../src/domain/work-list';
import { WorkListView } from '../src/http/schemas';

const day = '2026-03-10';
const arrival = (
  id: string,
  date: string,
  status: WorkArrival['status'],
  extra: Partial<WorkArrival> = {},
) => ({
  _id: id,
  status,
  districtCode: 's-xingfulu',
  slot: { date, window: '10:00-13:00' },
  booked: [{ category: 'television' as const, count: 1 }],
  ...extra,
});
const intake = (id: string, units: number, sorted = 0, pickupId?: string): WorkIntake => ({
  _id: id,
  source: pickupId ? { kind: 'pickup', pickupId } : { kind: 'walk-in' },
  sellerMasked: '王**',
  contents: {
    lines: [
      {
        lineId: 'l1',
        category: 'television',
        units,
        weightGrams: 20_000 * units,
        weightEstimated: true,
        condition: 'for-dismantling',
        priceFen: 1_000,
      },
    ],
    totalFen: 1_000,
    totalWeightGrams: 20_000 * units,
  } as WorkIntake['contents'],
  sorted: sorted > 0 ? [{ lineId: 'l1', outcome: 'dismantling', units: sorted }] : [],
  receivedAt: new Date('2026-03-10T03:00:00Z'),
});

describe("the station's day", () => {
  it('puts each pickup where the desk acts on it: due (and overdue), to receive, upcoming, or off the list', () => {
    const list = composeWorkList({
      date: day,
      arrivals: [
        arrival('a', day, 'scheduled'),
        arrival('b', addDays(day, -2), 'requested'),
        arrival('c', addDays(day, -1), 'collected', { collected: [{ category: 'television', count: 3 }] }),
        arrival('d', addDays(day, 2), 'requested'),
        arrival('e', day, 'cancelled'),
        arrival('f', day, 'requested', { intakeId: 'in-1' }),
        arrival('g', day, 'requested'), // received by an intake whose mark on the arrival was lost
      ],
      receivedToday: [intake('in-2', 1, 0, 'g')],
      open: [],
      dayOf: (at) => localDate(at, 'Asia/Shanghai'),
    });
    expect(list.due.map((x) => [x.pickupId, x.overdue])).toEqual([
      ['b', true],
      ['a', false],
    ]);
    expect(list.toReceive).toEqual([expect.objectContaining({ pickupId: 'c', units: 3 })]);
    expect(list.upcoming.map((x) => x.pickupId)).toEqual(['d']);
    expect(list.totals).toMatchObject({ due: 2, overdue: 1, toReceive: 1, upcoming: 1, received: 1 });
  });

  it('counts what is left to sort and to dispatch, and when an intake is done', () => {
    const half = intake('in-3', 4, 2);
    const list = composeWorkList({
      date: day,
      arrivals: [],
      receivedToday: [],
      open: [
        { intake: half, dispatched: { l1: 1 } },
        {
          intake: { ...intake('in-4', 1), contents: { lines: [], totalFen: 0, totalWeightGrams: 0 } },
          dispatched: {},
        },
      ],
      dayOf: (at) => localDate(at, 'Asia/Shanghai'),
    });
    expect(list.toSort).toEqual([
      { intakeId: 'in-3', receivedOn: day, lines: [expect.objectContaining({ units: 4, sorted: 2 })] },
    ]);
    expect(list.totals).toMatchObject({ unitsToSort: 2, unitsToDispatch: 1 });
    expect(intakeDone(half, { l1: 1 })).toBe(false);
    expect(intakeDone(intake('in-5', 2, 2), { l1: 2 })).toBe(true);
  });

  it('lists an intake withdrawn by a correction on its day with 0 units, as its document allows', () => {
    const withdrawn = { ...intake('in-6', 1), contents: { lines: [], totalFen: 0, totalWeightGrams: 0 } };
    const list = composeWorkList({
      date: day,
      arrivals: [],
      receivedToday: [withdrawn as WorkIntake],
      open: [],
      dayOf: (at) => localDate(at, 'Asia/Shanghai'),
    });
    expect(list.received).toEqual([expect.objectContaining({ intakeId: 'in-6', units: 0, paidFen: 0 })]);
    // Found by the API fuzz test (e2e/test/api-fuzz.int.test.ts): the view said units >= 1.
    expect(WorkListView.safeParse({ stationId: 'st-01', ...list }).success).toBe(true);
  });
});
