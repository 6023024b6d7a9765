// Tax months are calendar months in the city's time zone (Asia/Shanghai for Alar), never UTC months:
// a sale at 2025-03-31T17:00Z belongs to April in Alar.

const formatters = new Map<string, Intl.DateTimeFormat>();

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
};

/** The local calendar date (YYYY-MM-DD) of an instant in a time zone. */
export const localDateOf = (instant: Date | string, timeZone: string): string => {
  const parts = formatterFor(timeZone).formatToParts(new Date(instant));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
};

/** The tax month (YYYY-MM) of an instant in a time zone. */
export const monthOf = (instant: Date | string, timeZone: string): string =>
  localDateOf(instant, timeZone).slice(0, 7);

/** `month` moved by `delta` months (negative goes back). */
export const addMonths = (month: string, delta: number): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + delta;
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
};

/** The rolling window of `length` months that ends with `month` (both ends included). */
export const rollingWindow = (month: string, length: number): { start: string; end: string } => ({
  start: addMonths(month, -(length - 1)),
  end: month,
});

export const inWindow = (month: string, window: { start: string; end: string }): boolean =>
  month >= window.start && month <= window.end;

/** Minutes the zone is ahead of UTC at an instant (+480 for Asia/Shanghai). */
const zoneOffsetMinutes = (instant: Date, timeZone: string): number => {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
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

/** `2026-03-01T10:00:00+08:00`: an instant as a person in the zone reads it, with the offset written. */
export function localDateTime(instant: Date | string, timeZone: string): string {
  const at = new Date(instant);
  const offset = zoneOffsetMinutes(at, timeZone);
  const local = new Date(at.getTime() + offset * 60_000).toISOString().slice(0, 19);
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${offset >= 0 ? '+' : '-'}${hh}:${mm}`;
}
