import { createHmac } from 'node:crypto';

// Events name the resident by an opaque key. A plain hash of the account id could be reversed by
// hashing guessed ids, so it is keyed; the domain prefix keeps it distinct from seller keys made with
// the same secret.

export const residentKeyOf = (residentId: string, secret: string): string =>
  `res-${createHmac('sha256', secret).update(`resident-account:${residentId}`).digest('hex').slice(0, 24)}`;
