import { createHash } from 'node:crypto';

// Ids of the documents a purchase revision produces are derived from the purchase, the revision and
// the document's role, so a redelivered or replayed purchase finds the documents it already created
// instead of creating (and numbering) them again.

const digest = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex');

export const invoiceIdFor = (purchaseId: string, revision: number, role: string): string =>
  `inv-${digest(purchaseId, String(revision), role).slice(0, 32)}`;

export const refusalIdFor = (purchaseId: string, revision: number): string =>
  `ref-${digest(purchaseId, String(revision)).slice(0, 32)}`;

export const declarationIdFor = (enterpriseId: string, period: string): string =>
  `dec-${enterpriseId}-${period}`;

/**
 * The holder of the invoice numbers a run claims from a sequence (the city's for a year): named
 * after the documents they are for, so that the same run applied again (a retry after an outage)
 * holds the same numbers.
 */
export const numberClaimFor = (sequence: string, invoiceIds: readonly string[]): string =>
  `run-${digest(sequence, ...invoiceIds).slice(0, 32)}`;

/** The plan of a run of purchases, named after its documents (the same run decided again, the same plan). */
export const planIdFor = (invoiceIds: readonly string[]): string =>
  `plan-${digest(...invoiceIds).slice(0, 32)}`;
