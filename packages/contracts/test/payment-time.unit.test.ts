import { assertPaidNotInFuture, PAYMENT_CLOCK_TOLERANCE_MS } from '../src';

describe('payment time', () => {
  const now = new Date('2026-12-31T15:50:00Z'); // 23:50 in Asia/Shanghai

  it('accepts the past, now, and a desk clock running a little fast', () => {
    expect(() => assertPaidNotInFuture(new Date('2026-12-01T00:00:00Z'), now, 'paidAt')).not.toThrow();
    expect(() => assertPaidNotInFuture(now, now, 'paidAt')).not.toThrow();
    const fast = new Date(now.getTime() + PAYMENT_CLOCK_TOLERANCE_MS);
    expect(() => assertPaidNotInFuture(fast, now, 'paidAt')).not.toThrow();
  });

  it('refuses a time beyond the tolerance, naming the field (it would fall in a month not begun)', () => {
    const nextMonth = new Date('2026-12-31T16:05:00Z'); // 2027-01-01 00:05 in Asia/Shanghai
    expect(() => assertPaidNotInFuture(nextMonth, now, 'payment.paidAt')).toThrow(
      expect.objectContaining({
        kind: 'invalid',
        code: 'paid-in-future',
        fields: [expect.objectContaining({ field: 'payment.paidAt' })],
      }),
    );
  });
});
