import { randomBytes } from 'node:crypto';

// Intake and batch ids carry the local day, so desk staff can read them off a receipt and sort them
// by eye; the random tail keeps replicas from colliding without a shared counter.

export const localDay = (at: Date, timeZone: string): string => {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
  return parts.replace(/-/g, '');
};

const tail = () => randomBytes(4).toString('hex');

export const newIntakeId = (at: Date, timeZone: string) => `in-${localDay(at, timeZone)}-${tail()}`;
export const newBatchId = (at: Date, timeZone: string) => `bt-${localDay(at, timeZone)}-${tail()}`;

/**
 * The id of an intake received at `receivedAt`, from the id reserved with its Idempotency-Key when
 * the request came in: the same random tail, the day of receipt. A retry (same key, same body) thus
 * gets the same id, and an intake entered the day after still carries the day the goods came in.
 */
export const intakeIdReceivedAt = (reserved: string, receivedAt: Date, timeZone: string): string =>
  reserved.replace(/^in-\d{8}-/, `in-${localDay(receivedAt, timeZone)}-`);
