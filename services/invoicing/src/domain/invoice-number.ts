import { localDateOf } from './months';

// Invoice numbers in the shape of fully digitalised e-invoices (数电票), 20 digits:
//
//   YY        the last two digits of the invoice date's year (city time zone)
//   RRRRRR    the region: the city's administrative division code (GB/T 2260, 659002 for Alar)
//   C         the issuing channel (1: reverse invoicing through this platform)
//   S × 11    the city's sequence for that year
//
// The national 数电票 number has a two-digit province code and a 15-digit sequence of the
// province's platform. Our allocator is the city's, not the province's, so the region is the full
// division code: two cities of one province (both 65xxxx) can never give the same number. Eleven
// digits of sequence are 10^11 invoices a year per city.
//
// One sequence per city and year, shared by every issuer of the city (`numberSequenceOf`), so no
// two enterprises ever issue the same number. Numbers are claimed by insert (NumberSequences of
// @recycling/store): never reused, and each gap is explained by its claim's holder. Numbers issued
// before (division code + the issuer's 14-digit sequence, 659002…) start with 65 and cannot meet
// these before 2065.

export const SEQUENCE_DIGITS = 11;
export const REVERSE_INVOICING_CHANNEL = '1';
export const INVOICE_NO_PATTERN = /^\d{20}$/;

/** The invoice date's year (YYYY) in the city's time zone. */
export const invoiceYearOf = (invoiceDate: string | Date, timeZone: string): string =>
  localDateOf(invoiceDate, timeZone).slice(0, 4);

/** The name of the city's number sequence for a year (one allocator for every issuer). */
export const numberSequenceOf = (regionCode: string, year: string): string =>
  `invoice-no:${regionCode}:${year}`;

export function formatInvoiceNo(regionCode: string, year: string, sequence: number): string {
  if (!/^\d{6}$/.test(regionCode)) throw new Error(`region code ${regionCode} is not 6 digits`);
  if (!/^\d{4}$/.test(year)) throw new Error(`year ${year} is not 4 digits`);
  const digits = String(sequence);
  if (!Number.isInteger(sequence) || sequence < 1 || digits.length > SEQUENCE_DIGITS) {
    throw new Error(`invoice sequence ${sequence} does not fit ${SEQUENCE_DIGITS} digits`);
  }
  return `${year.slice(2)}${regionCode}${REVERSE_INVOICING_CHANNEL}${digits.padStart(SEQUENCE_DIGITS, '0')}`;
}
