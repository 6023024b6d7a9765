// Statistics count by calendar month in the city's time zone (Asia/Shanghai for Alar): an intake at
// 2025-03-31T17:00Z belongs to April in Alar. Months are 'YYYY-MM' strings, which sort as they read.

const formatters = new Map<string, Intl.DateTimeFormat>();

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
};

/** The calendar month of an instant in a time zone. */
export function monthOf(instant: string | Date, timeZone: string): string {
  const parts = formatterFor(timeZone).formatToParts(
    typeof instant === 'string' ? new Date(instant) : instant,
  );
  const year = parts.find((p) => p.type === 'year')?.value ?? '0000';
  const month = parts.find((p) => p.type === 'month')?.value ?? '00';
  return `${year}-${month}`;
}

export const yearOfMonth = (month: string): number => Number(month.slice(0, 4));
export const monthNumber = (month: string): number => Number(month.slice(5, 7));

export const monthKey = (year: number, month: number): string =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;

/** Adds (or subtracts) whole months. */
export function addMonths(month: string, delta: number): string {
  const index = yearOfMonth(month) * 12 + monthNumber(month) - 1 + delta;
  return monthKey(Math.floor(index / 12), (index % 12) + 1);
}

/** Every month from `from` to `to`, both included. */
export function monthRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** Seconds between two instants, never negative (clock skew between sites is not a negative wait). */
export const secondsBetween = (from: string, to: string): number =>
  Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
