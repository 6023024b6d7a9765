import { createHmac } from 'node:crypto';

// Pickup events name the resident by an opaque key instead of the account id. A plain hash of the
// account id could be reversed by hashing guessed ids, so it is keyed (SELLER_KEY_SECRET); the domain
// prefix keeps it distinct from seller keys made with the same secret. Every service that matches a
// resident's token (scope = account id) to an event's residentKey must derive it here, the same way.

export const residentKeyOf = (residentId: string, secret: string): string =>
  `res-${createHmac('sha256', secret).update(`resident-account:${residentId}`).digest('hex').slice(0, 24)}`;
