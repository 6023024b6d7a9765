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

/** Minutes the zone is ahead of UTC at an instant (480 for Asia/Shanghai). */
const zoneOffsetMinutes = (instant: Date, timeZone: string): number => {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
};

/** `2025-03-05T10:00:00+08:00`: an instant as a person in the zone reads it, with the offset written. */
export function localDateTime(instant: Date, timeZone: string): string {
  const offset = zoneOffsetMinutes(instant, timeZone);
  const local = new Date(instant.getTime() + offset * 60_000).toISOString().slice(0, 19);
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${offset >= 0 ? '+' : '-'}${hh}:${mm}`;
}
