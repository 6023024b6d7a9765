import { DomainError } from './domain-error';

// When a seller was paid decides the month a reverse invoice counts in (the monthly exemption, the
// rolling cap, the declaration), so it may not lie in the future: a sale dated ahead of the clock
// would be invoiced into a period that has not begun (a 2027-01 invoice was seen in December
// 2026). A desk's clock may run a little ahead of the server's, hence the tolerance.

/** How far ahead of the server's clock a payment time may be (a desk's clock running fast). */
export const PAYMENT_CLOCK_TOLERANCE_MS = 5 * 60_000;

/** Refuses (400 on `field`) a payment time more than the tolerance ahead of `now`. */
export function assertPaidNotInFuture(paidAt: Date, now: Date, field: string): void {
  if (paidAt.getTime() > now.getTime() + PAYMENT_CLOCK_TOLERANCE_MS) {
    throw DomainError.invalid(
      'paid-in-future',
      field,
      '付款时间不能晚于现在，请核对日期和时间后重填 / The payment time is in the future; check the date and time and enter it again.',
    );
  }
}
