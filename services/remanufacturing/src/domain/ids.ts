import { randomBytes } from 'node:crypto';

// Ids of what this service creates: a prefix, the local day, and 32 random bits (unguessable enough
// that ids of another remanufacturer's cores cannot be enumerated, short enough to read aloud).

const day = (today: string) => today.replaceAll('-', '');

export const newCoreId = (today: string): string => `core-${day(today)}-${randomBytes(4).toString('hex')}`;
export const newProductId = (today: string): string => `rp-${day(today)}-${randomBytes(4).toString('hex')}`;
export const newShipmentId = (today: string): string => `sh-${day(today)}-${randomBytes(4).toString('hex')}`;
