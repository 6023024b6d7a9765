// Calendar dates in the city's time zone: qualifications expire, and warranties run, by local date.

/** YYYY-MM-DD of `instant` in `timeZone`. */
export const localDateOf = (instant: Date, timeZone: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    instant,
  );

/** YYYY-MM of `instant` in `timeZone`. */
export const localMonthOf = (instant: Date, timeZone: string): string =>
  localDateOf(instant, timeZone).slice(0, 7);

/**
 * The date `months` after `date`, on the same day of the month, or the month's last day when it has
 * no such day (a warranty from 31 January for one month ends on 28 or 29 February).
 */
export const addMonths = (date: string, months: number): string => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(d, lastDay);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
};
