// Money is integer fen and weight integer grams everywhere behind the forms; people type yuan and
// kilograms. Parsed from the decimal text without floating point, so 0.1 + 0.2 yuan stays 30 fen.
const decimal = /^\s*(\d{1,12})(?:\.(\d*))?\s*$/;

function scaled(text: string, decimals: number): number | undefined {
  const m = decimal.exec(text);
  if (!m) return undefined;
  const fraction = m[2] ?? '';
  if (fraction.length > decimals) return undefined;
  return Number(m[1]) * 10 ** decimals + Number(fraction.padEnd(decimals, '0') || '0');
}

/** '12.5' → 1250; undefined when not a non-negative amount with at most two decimals. */
export const yuanToFen = (text: string): number | undefined => scaled(text, 2);

/** '50' → 50000; undefined when not a non-negative weight with at most three decimals. */
export const kgToGrams = (text: string): number | undefined => scaled(text, 3);

/** 1250 → '12.50' (negative amounts, e.g. red-letter invoices, keep their sign). */
export function fenToYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  return `${sign}${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
}

/** 1450000 → '1,450'; 2500 → '2.5'. */
export function gramsToKg(grams: number): string {
  const kg = grams / 1000;
  return kg.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

/** Today's date in the city's time zone, YYYY-MM-DD (the pickup slots are local dates). */
export function localDate(timeZone: string, at: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** The calendar month in the city's time zone, YYYY-MM (tax and statistics months). */
export const localMonth = (timeZone: string, at: Date = new Date()): string =>
  localDate(timeZone, at).slice(0, 7);

/** YYYY-MM-DD plus n days (calendar arithmetic on the date alone). */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** An instant shown in the city's time zone, e.g. 2026-11-29 19:30. */
export function localDateTime(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(d);
}

/** A local date as people say it: 12月4日 周四 / Thu 4 Dec. */
export function dayLabel(date: string, lang: 'zh' | 'en'): string {
  const d = new Date(`${date}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return date;
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'UTC',
    month: lang === 'zh' ? 'long' : 'short',
    day: 'numeric',
    weekday: 'short',
  }).format(d);
}
