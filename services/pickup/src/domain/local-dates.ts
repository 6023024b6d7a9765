// Calendar dates in the city's time zone. Slots are local dates, so "today" must be the city's today,
// not the server's or UTC's (Alar is UTC+8: 01:00 local is still yesterday in UTC).

/** YYYY-MM-DD of `instant` in `timeZone`. */
export const localDateOf = (instant: Date, timeZone: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    instant,
  );

/** The calendar date `days` after `date` (negative goes back). */
export const addDays = (date: string, days: number): string => {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
};

/** Whole days from `a` to `b` (b - a). */
export const daysBetween = (a: string, b: string): number =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
