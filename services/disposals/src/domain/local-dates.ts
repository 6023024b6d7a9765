// Calendar dates in the city's time zone: service lives, licences and payments are counted in local
// days, not UTC ones (Alar is UTC+8).

/** YYYY-MM-DD of `instant` in `timeZone`. */
export const localDateOf = (instant: Date, timeZone: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    instant,
  );

/**
 * The date `years` after `date`, on the same day, or 28 February when `date` is 29 February and the
 * target year is not a leap year (an asset bought on a leap day has served its years on the 28th).
 */
export const addYears = (date: string, years: number): string => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const year = y + years;
  const lastDay = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
};
