import { addDays, fenToYuan, kgToGrams, localDate, localMonth, yuanToFen } from '../web/src/lib/units';

describe('amounts typed by people', () => {
  it('turn yuan into integer fen without floating point', () => {
    expect(yuanToFen('120.5')).toBe(12050);
    expect(yuanToFen('0.1')).toBe(10);
    expect(yuanToFen('0.29')).toBe(29); // 0.29 * 100 is 28.999999999999996 in floating point
    expect(yuanToFen(' 7 ')).toBe(700);
    expect(yuanToFen('1.234')).toBeUndefined();
    expect(yuanToFen('-1')).toBeUndefined();
    expect(yuanToFen('12,5')).toBeUndefined();
  });

  it('turn kilograms into integer grams', () => {
    expect(kgToGrams('98.5')).toBe(98500);
    expect(kgToGrams('0.2')).toBe(200);
    expect(kgToGrams('1450')).toBe(1_450_000);
    expect(kgToGrams('0.0005')).toBeUndefined();
  });

  it('show fen as yuan, keeping the sign of red-letter amounts', () => {
    expect(fenToYuan(12050)).toBe('120.50');
    expect(fenToYuan(123456789)).toBe('1,234,567.89');
    expect(fenToYuan(-305)).toBe('-3.05');
    expect(fenToYuan(0)).toBe('0.00');
  });
});

describe('dates in the city time zone', () => {
  it('put an instant on the Shanghai calendar day and month', () => {
    const lateUtc = new Date('2026-01-31T17:30:00Z'); // 01:30 on 1 February in Shanghai
    expect(localDate('Asia/Shanghai', lateUtc)).toBe('2026-02-01');
    expect(localMonth('Asia/Shanghai', lateUtc)).toBe('2026-02');
    expect(localMonth('UTC', lateUtc)).toBe('2026-01');
  });

  it('add days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
