import { idempotencyKeyHeader, requestHashOf } from '../src';

describe('requestHashOf', () => {
  it('ignores key order and undefined fields, at any depth', () => {
    expect(requestHashOf({ a: 1, b: { c: [1, { d: 2, e: undefined }] } })).toBe(
      requestHashOf({ b: { c: [1, { d: 2 }] }, a: 1 }),
    );
  });

  it('tells different requests apart', () => {
    const base = requestHashOf({ item: 'tv', qty: 1 });
    expect(requestHashOf({ item: 'tv', qty: 2 })).not.toBe(base);
    expect(requestHashOf({ item: 'tv', qty: '1' })).not.toBe(base);
    expect(requestHashOf([{ item: 'tv', qty: 1 }])).not.toBe(base);
    expect(requestHashOf({ item: 'tv', qty: 1, note: null })).not.toBe(base);
  });
});

describe('idempotencyKeyHeader', () => {
  const header = idempotencyKeyHeader();
  it.each(['a', 'desk-01:2026-11-29T12:00:00Z', 'x'.repeat(128), 'A.b_c'])('accepts %s', (key) => {
    expect(header.safeParse({ 'idempotency-key': key }).success).toBe(true);
  });
  it.each(['', 'has space', 'x'.repeat(129), 'a#b', 'é'])('refuses %j', (key) => {
    expect(header.safeParse({ 'idempotency-key': key }).success).toBe(false);
  });
  it('is optional, and carries the route description', () => {
    expect(header.safeParse({}).success).toBe(true);
    expect(idempotencyKeyHeader('books once').shape['idempotency-key'].description).toBe('books once');
  });
});
