import { addDays, daysBetween } from './local-dates';

// Slots are (district, local date, window). Capacity is claimed seat by seat with inserts (see
// store/seat-repository), so this module only decides which slots exist, which may be booked, and in
// which order to offer alternatives when one is full.

export interface SlotRef {
  date: string;
  window: string;
}

export interface SlotPolicy {
  /** Default windows of a day, in order. */
  windows: readonly string[];
  /** Default seats per district and window. */
  capacity: number;
  minLeadDays: number;
  horizonDays: number;
}

/** An administrator's windows and capacities for one district and day; replaces the defaults. */
export interface DaySchedule {
  windows: ReadonlyArray<{ window: string; capacity: number }>;
}

export const slotKeyOf = (districtCode: string, slot: SlotRef): string =>
  `${districtCode}|${slot.date}|${slot.window}`;

export const seatIdOf = (slotKey: string, seatNo: number): string => `${slotKey}#${seatNo}`;

/** The windows and capacities of a day: the administrator's schedule where set, else the defaults. */
export const windowsOfDay = (
  policy: SlotPolicy,
  schedule: DaySchedule | undefined,
): ReadonlyArray<{ window: string; capacity: number }> =>
  schedule?.windows ?? policy.windows.map((window) => ({ window, capacity: policy.capacity }));

export type BookableCheck =
  { ok: true; capacity: number } | { ok: false; field: 'slot.date' | 'slot.window'; reason: string };

/** Whether a slot may be booked today: inside the booking range and a window of that day. */
export const checkBookable = (
  slot: SlotRef,
  today: string,
  policy: SlotPolicy,
  schedule: DaySchedule | undefined,
): BookableCheck => {
  const ahead = daysBetween(today, slot.date);
  if (ahead < policy.minLeadDays || ahead > policy.horizonDays) {
    return {
      ok: false,
      field: 'slot.date',
      reason: `可预约 ${addDays(today, policy.minLeadDays)} 至 ${addDays(today, policy.horizonDays)} / bookable from ${addDays(today, policy.minLeadDays)} to ${addDays(today, policy.horizonDays)}`,
    };
  }
  const window = windowsOfDay(policy, schedule).find((w) => w.window === slot.window);
  if (!window) {
    return {
      ok: false,
      field: 'slot.window',
      reason: '该日没有此时段 / no such window on that day',
    };
  }
  return { ok: true, capacity: window.capacity };
};

/** Every bookable date from today's point of view, earliest first. */
export const bookableDates = (today: string, policy: SlotPolicy): string[] => {
  const dates: string[] = [];
  for (let d = policy.minLeadDays; d <= policy.horizonDays; d++) dates.push(addDays(today, d));
  return dates;
};

export interface SlotAvailability extends SlotRef {
  capacity: number;
  booked: number;
  available: number;
}

/** Availability of slots given their capacities and the number of seats taken in each. */
export const availabilityOf = (
  slots: ReadonlyArray<SlotRef & { capacity: number }>,
  bookedBySlot: ReadonlyMap<string, number>,
  districtCode: string,
): SlotAvailability[] =>
  slots.map((s) => {
    const booked = bookedBySlot.get(slotKeyOf(districtCode, s)) ?? 0;
    return { ...s, booked, available: Math.max(0, s.capacity - booked) };
  });

/**
 * The free slots closest in time to the requested one: by distance in days, then by distance in
 * window order, later before earlier on a tie (a resident who asked for Tuesday would rather wait to
 * Wednesday than be asked to be ready on Monday).
 */
export const nearestFree = (
  requested: SlotRef,
  slots: readonly SlotAvailability[],
  limit = 3,
): SlotAvailability[] => {
  const order = (s: SlotRef) => s.window;
  const distance = (s: SlotAvailability) => {
    const days = daysBetween(requested.date, s.date);
    const later = days > 0 || (days === 0 && order(s) > order(requested));
    return [Math.abs(days), later ? 0 : 1, s.date, s.window] as const;
  };
  return slots
    .filter((s) => s.available > 0 && !(s.date === requested.date && s.window === requested.window))
    .map((s) => ({ s, k: distance(s) }))
    .sort((a, b) => {
      for (let i = 0; i < a.k.length; i++) {
        if (a.k[i]! < b.k[i]!) return -1;
        if (a.k[i]! > b.k[i]!) return 1;
      }
      return 0;
    })
    .slice(0, limit)
    .map(({ s }) => s);
};
