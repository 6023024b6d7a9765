// Dates in the city's time zone (Asia/Shanghai for Alar): purchase dates, programme years, months of
// spending and deadlines are the city's calendar, never UTC's. Working days for review deadlines
// follow the profile's working calendar (weekends and public holidays off, make-up days worked).

/** YYYY-MM-DD of `instant` in `timeZone`. */
export const localDateOf = (instant: Date, timeZone: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    instant,
  );

/** YYYY-MM of `instant` in `timeZone`. */
export const localMonthOf = (instant: Date, timeZone: string): string =>
  localDateOf(instant, timeZone).slice(0, 7);

/** The calendar date `days` after `date` (negative goes back). */
export const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Whole days from `a` to `b` (b - a). */
export const daysBetween = (a: string, b: string): number =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

export interface WorkingCalendar {
  /** Public holidays (weekdays among them are days off). */
  nonWorkingDays: readonly string[];
  /** Weekend days worked in lieu of holidays (调休). */
  workingWeekendDays: readonly string[];
}

export const isWorkingDay = (date: string, calendar: WorkingCalendar): boolean => {
  if (calendar.workingWeekendDays.includes(date)) return true;
  if (calendar.nonWorkingDays.includes(date)) return false;
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day !== 0 && day !== 6;
};

/** The `n`-th working day after `date` (the day itself does not count). */
export const addWorkingDays = (date: string, n: number, calendar: WorkingCalendar): string => {
  let d = date;
  for (let left = n; left > 0;) {
    d = addDays(d, 1);
    if (isWorkingDay(d, calendar)) left--;
  }
  return d;
};

/** The instant at the end of a local day (23:59:59.999 in the zone), for deadlines "by that day". */
export const endOfLocalDay = (date: string, offsetMinutes: number): Date =>
  new Date(Date.parse(`${addDays(date, 1)}T00:00:00Z`) - offsetMinutes * 60_000 - 1);
