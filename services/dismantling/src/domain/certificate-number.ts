// Certificate numbers run per site and per year, so each site's sequence is short and readable, and
// the number names its issuer. The number itself is the unique key it is allocated under (see
// store/certificate-numbers.ts): a number once taken is never handed to another vehicle.

/** The longest site id that keeps a certificate number within the 40 characters events allow. */
export const MAX_DISMANTLER_ID_LENGTH = 24;
const SEQUENCE_DIGITS = 6;

export const formatCertificateNo = (dismantlerId: string, year: number, sequence: number): string =>
  `${dismantlerId}-${year}-${String(sequence).padStart(SEQUENCE_DIGITS, '0')}`;

export const certificateNoPrefix = (dismantlerId: string, year: number): string => `${dismantlerId}-${year}-`;
