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
