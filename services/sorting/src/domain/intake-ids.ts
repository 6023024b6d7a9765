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
