import { randomBytes } from 'node:crypto';

/** A batch id: the local day and 32 random bits, so another institution's ids cannot be guessed. */
export const newBatchId = (today: string): string =>
  `dp-${today.replaceAll('-', '')}-${randomBytes(4).toString('hex')}`;
