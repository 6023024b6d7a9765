// Invoice numbers are 20 digits like fully digitalised e-invoices: the city's division code, then
// the issuer's own sequence. The sequence is per issuer and allocated by insert, so it has no gaps
// that the allocation records cannot explain (see store/invoice-numbers.ts).

export const SEQUENCE_DIGITS = 14;

export const formatInvoiceNo = (cityCode: string, sequence: number): string =>
  `${cityCode}${String(sequence).padStart(SEQUENCE_DIGITS, '0')}`;
