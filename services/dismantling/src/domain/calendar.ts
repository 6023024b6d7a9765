// Dates the rules speak of (certificate year, qualification validity) are calendar dates in the city's
// time zone, not UTC: a certificate issued at 01:00 on 1 January in Alar belongs to the new year.

/** YYYY-MM-DD of `instant` in `timeZone`. */
export const localDate = (instant: Date, timeZone: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    instant,
  );

export const localYear = (instant: Date, timeZone: string): number =>
  Number(localDate(instant, timeZone).slice(0, 4));

/** YYYY-MM-DD plus n days (calendar arithmetic on the date alone). */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
