// Local calendar days of the city (Asia/Shanghai for Alar): the station's day starts at its midnight.

/** YYYY-MM-DD of `at` in `timeZone`. */
export const localDate = (at: Date, timeZone: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    at,
  );

/** The calendar date `days` after `date` (negative goes back). */
export const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
