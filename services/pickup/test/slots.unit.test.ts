import { addDays, daysBetween, localDateOf } from '../src/domain/local-dates';
import { availabilityOf, checkBookable, nearestFree, type SlotPolicy } from '../src/domain/slots';

const policy: SlotPolicy = {
  windows: ['10:00-13:00', '16:00-19:00'],
  capacity: 5,
  minLeadDays: 1,
  horizonDays: 14,
};

describe('local dates', () => {
  it('reads the date in the city time zone, not UTC', () => {
    // 16:30 UTC on 28 Feb is 00:30 on 1 March in Asia/Shanghai.
    expect(localDateOf(new Date('2025-02-28T16:30:00Z'), 'Asia/Shanghai')).toBe('2025-03-01');
    expect(localDateOf(new Date('2025-02-28T15:59:00Z'), 'Asia/Shanghai')).toBe('2025-02-28');
  });

  it('adds days across month and leap-year ends', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(daysBetween('2025-02-27', '2025-03-02')).toBe(3);
  });
});

describe('checkBookable', () => {
  const today = '2025-03-01';

  it('accepts a default window inside the booking range with the default capacity', () => {
    expect(checkBookable({ date: '2025-03-02', window: '16:00-19:00' }, today, policy, undefined)).toEqual({
      ok: true,
      capacity: 5,
    });
  });

  it('refuses today (lead time) and days beyond the horizon, naming slot.date', () => {
    for (const date of ['2025-03-01', '2025-02-28', '2025-03-16']) {
      const check = checkBookable({ date, window: '10:00-13:00' }, today, policy, undefined);
      expect(check).toMatchObject({ ok: false, field: 'slot.date' });
    }
    expect(checkBookable({ date: '2025-03-15', window: '10:00-13:00' }, today, policy, undefined).ok).toBe(
      true,
    );
  });

  it("uses the administrator's day schedule instead of the defaults", () => {
    const schedule = { windows: [{ window: '09:00-11:00', capacity: 2 }] };
    expect(checkBookable({ date: '2025-03-03', window: '09:00-11:00' }, today, policy, schedule)).toEqual({
      ok: true,
      capacity: 2,
    });
    expect(
      checkBookable({ date: '2025-03-03', window: '10:00-13:00' }, today, policy, schedule),
    ).toMatchObject({
      ok: false,
      field: 'slot.window',
    });
  });
});

describe('nearestFree', () => {
  const slot = (date: string, window: string, available: number) => ({
    date,
    window,
    capacity: 5,
    booked: 5 - available,
    available,
  });

  it('offers the free slots closest to the requested one, later before earlier on a tie', () => {
    const slots = [
      slot('2025-03-02', '10:00-13:00', 1),
      slot('2025-03-02', '16:00-19:00', 0),
      slot('2025-03-03', '10:00-13:00', 0), // the requested one, full
      slot('2025-03-03', '16:00-19:00', 2),
      slot('2025-03-04', '10:00-13:00', 3),
      slot('2025-03-06', '10:00-13:00', 3),
    ];
    const offered = nearestFree({ date: '2025-03-03', window: '10:00-13:00' }, slots, 3);
    expect(offered.map((s) => `${s.date} ${s.window}`)).toEqual([
      '2025-03-03 16:00-19:00',
      '2025-03-04 10:00-13:00',
      '2025-03-02 10:00-13:00',
    ]);
  });

  it('offers nothing when every slot is full', () => {
    expect(
      nearestFree({ date: '2025-03-03', window: '10:00-13:00' }, [slot('2025-03-04', '10:00-13:00', 0)]),
    ).toEqual([]);
  });
});

describe('availabilityOf', () => {
  it('never reports negative availability when capacity was lowered below the seats taken', () => {
    const booked = new Map([['t01|2025-03-02|10:00-13:00', 4]]);
    const [a] = availabilityOf([{ date: '2025-03-02', window: '10:00-13:00', capacity: 2 }], booked, 't01');
    expect(a).toEqual({ date: '2025-03-02', window: '10:00-13:00', capacity: 2, booked: 4, available: 0 });
  });
});
