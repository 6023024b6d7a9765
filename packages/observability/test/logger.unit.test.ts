import { Writable } from 'node:stream';
import { createLogger, createScrubber, REDACTED, type Logger } from '../src';

const PHONE = '13800138000';
const ID_NUMBER = '110101199003074518';
const NAME = '张三';
const ADDRESS = '朝阳区建国路88号';

function capture(options: { level?: string } = {}): {
  logger: Logger;
  lines: () => Array<Record<string, unknown>>;
  raw: () => string;
} {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  const logger = createLogger({ service: 'test', level: options.level ?? 'trace', destination });
  const raw = () => chunks.join('');
  return {
    logger,
    raw,
    lines: () =>
      raw()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

function expectNoPersonalData(text: string): void {
  for (const secret of [PHONE, ID_NUMBER, NAME, ADDRESS]) expect(text).not.toContain(secret);
}

describe('createLogger redaction', () => {
  it('hides phone, id number, name and address in nested objects and arrays', () => {
    const { logger, raw, lines } = capture();
    logger.info(
      {
        pickup: {
          id: 'p-1',
          resident: { name: NAME, phone: PHONE, address: { district: '朝阳区', line: ADDRESS } },
          items: [{ category: 'fridge', count: 1, contact: { mobile: PHONE } }],
        },
        seller: { name: NAME, idNumber: ID_NUMBER, sellerKey: 'sk-abc' },
        deep: { a: { b: { c: { d: { e: { f: { idNumber: ID_NUMBER } } } } } } },
        owner: { whatever: NAME },
        sellerIdNumber: ID_NUMBER,
        contactPhone: PHONE,
      },
      'pickup requested',
    );
    expectNoPersonalData(raw());
    const [line] = lines();
    expect(line).toMatchObject({
      level: 'info',
      service: 'test',
      msg: 'pickup requested',
      pickup: {
        id: 'p-1',
        resident: { name: REDACTED, phone: REDACTED, address: REDACTED },
        items: [{ category: 'fridge', count: 1, contact: REDACTED }],
      },
      seller: { name: REDACTED, idNumber: REDACTED, sellerKey: 'sk-abc' },
      owner: REDACTED,
      sellerIdNumber: REDACTED,
      contactPhone: REDACTED,
    });
  });

  it('matches key names regardless of case, dashes and underscores', () => {
    const { logger, raw } = capture();
    logger.warn({ ID_NUMBER: ID_NUMBER, 'Phone-Number': PHONE, Real_Name: NAME }, 'odd keys');
    expectNoPersonalData(raw());
  });

  it('scrubs child logger bindings', () => {
    const { logger, raw, lines } = capture();
    logger.child({ requestId: 'r-1', phone: PHONE }).info({ resident: { name: NAME } }, 'child');
    expectNoPersonalData(raw());
    expect(lines()[0]).toMatchObject({ requestId: 'r-1', phone: REDACTED });
  });

  it('keeps the error but not the values a store error quotes', () => {
    const { logger, raw, lines } = capture();
    const dup = Object.assign(
      new Error(
        `E11000 duplicate key error collection: t.sellers index: idNumber_1 dup key: { idNumber: "${ID_NUMBER}" }`,
      ),
      { code: 11000, keyValue: { idNumber: ID_NUMBER }, keyPattern: { idNumber: 1 } },
    );
    logger.error({ err: dup, seller: { phone: PHONE } }, 'insert failed');
    const cast = Object.assign(
      new Error(`Cast to Number failed for value "${PHONE}" (type string) at path "count"`),
      {
        name: 'CastError',
        kind: 'Number',
        path: 'count',
        value: PHONE,
      },
    );
    logger.error(cast, 'cast failed');
    logger.error({ cause: { err: new TypeError(`bad ${NAME}`), detail: { name: NAME } } }, 'nested');
    const text = raw();
    expect(text).not.toContain(ID_NUMBER);
    expect(text).not.toContain(PHONE);
    const [first, second] = lines();
    expect(first).toMatchObject({ err: { type: 'Error', code: 11000, keyPattern: { idNumber: REDACTED } } });
    expect((first!.err as { message: string }).message).toContain('dup key: [redacted]');
    expect(second).toMatchObject({
      err: { message: 'Cast to Number failed at path "count"', path: 'count' },
    });
  });

  it('hides authorization and cookie headers of a logged request', () => {
    const { logger, raw, lines } = capture();
    logger.info(
      {
        req: {
          method: 'GET',
          url: `/pickups?phone=${PHONE}`,
          headers: { authorization: 'Bearer abc.def', cookie: 's=1' },
        },
      },
      'request',
    );
    expect(raw()).not.toContain('abc.def');
    expect(raw()).not.toContain(PHONE);
    expect(lines()[0]).toMatchObject({
      req: { method: 'GET', url: '/pickups', headers: { authorization: REDACTED, cookie: REDACTED } },
    });
  });

  it('does not change the logged object', () => {
    const { logger } = capture();
    const data = { resident: { name: NAME, phone: PHONE } };
    logger.info(data, 'x');
    expect(data.resident).toEqual({ name: NAME, phone: PHONE });
  });

  it('honours the level', () => {
    const { logger, lines } = capture({ level: 'warn' });
    logger.info('hidden');
    logger.warn('shown');
    expect(lines().map((l) => l.msg)).toEqual(['shown']);
  });
});

describe('createScrubber', () => {
  const scrub = createScrubber({ keys: ['plate'] });

  it('handles cycles, maps, sets, documents with toJSON and extra keys', () => {
    const cyclic: Record<string, unknown> = { phone: PHONE };
    cyclic.self = cyclic;
    const doc = { toJSON: () => ({ _id: 'x', name: NAME }) };
    const out = scrub({
      cyclic,
      map: new Map([['idNumber', ID_NUMBER]]),
      set: new Set([{ name: NAME }]),
      doc,
      plate: '京A12345',
      when: new Date('2025-01-01T00:00:00Z'),
    });
    const text = JSON.stringify(out);
    expectNoPersonalData(text);
    expect(text).not.toContain('京A12345');
    expect(out).toMatchObject({ cyclic: { self: '[circular]' }, doc: { _id: 'x' } });
  });

  it('leaves null and undefined personal fields as they are', () => {
    expect(scrub({ phone: null, name: undefined, count: 2 })).toEqual({
      phone: null,
      name: undefined,
      count: 2,
    });
  });
});
