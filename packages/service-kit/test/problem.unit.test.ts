import { z } from 'zod';
import {
  HttpProblem,
  fieldPath,
  isUnavailableError,
  problem,
  toHttpProblem,
  validationProblem,
  zodFieldErrors,
} from '../src';

describe('problem', () => {
  it('fills type, the standard title and its Chinese title', () => {
    expect(problem(404)).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      title_zh: '未找到',
      status: 404,
    });
  });

  it('keeps a custom title without a Chinese one unless given, and adds extensions', () => {
    expect(problem(409, 'Slot taken', 'The 10:00 slot is full.', { slot: '10:00' })).toEqual({
      type: 'about:blank',
      title: 'Slot taken',
      status: 409,
      detail: 'The 10:00 slot is full.',
      slot: '10:00',
    });
    expect(problem(409, 'Slot taken', undefined, { title_zh: '时段已满' }).title_zh).toBe('时段已满');
  });

  it('has a generic title for statuses without a standard one', () => {
    expect(problem(499)).toMatchObject({ title: 'Client Error', title_zh: '请求错误' });
  });
});

describe('zod issues to fields', () => {
  const Pickup = z.object({
    residentId: z.string().min(1),
    items: z
      .array(z.object({ category: z.enum(['fridge', 'tv']), count: z.number().int().positive() }))
      .min(1),
  });

  it('names each field by its dotted path with message and code', () => {
    const result = Pickup.safeParse({
      residentId: '',
      items: [
        { category: 'fridge', count: 0 },
        { category: 'sofa', count: 1 },
      ],
    });
    expect(result.success).toBe(false);
    const errors = zodFieldErrors(result.error!);
    expect(errors.map((e) => [e.field, e.code])).toEqual([
      ['residentId', 'too_small'],
      ['items.0.count', 'too_small'],
      ['items.1.category', 'invalid_value'],
    ]);
    expect(errors.every((e) => typeof e.message === 'string' && e.message.length > 0)).toBe(true);
  });

  it('prefixes the request part', () => {
    expect(fieldPath(['page'], 'query')).toBe('query.page');
    expect(fieldPath([])).toBe('');
  });

  it('makes a 400 listing the fields', () => {
    const p = validationProblem([{ field: 'items.0.count', message: 'Too small', code: 'too_small' }]);
    expect(p.status).toBe(400);
    expect(p.problem).toMatchObject({
      title: 'Validation failed',
      title_zh: '输入有误',
      detail: '以下内容有误：items.0.count / Invalid field: items.0.count',
      errors: [{ field: 'items.0.count', message: 'Too small', code: 'too_small' }],
    });
  });
});

describe('toHttpProblem', () => {
  it('maps thrown zod errors, store errors and http errors', () => {
    const zodError = z.object({ a: z.string() }).safeParse({}).error!;
    expect(toHttpProblem(zodError)?.problem.errors?.[0]?.field).toBe('a');

    const cast = Object.assign(new Error('Cast to ObjectId failed for value "x"'), {
      name: 'CastError',
      path: '_id',
      kind: 'ObjectId',
    });
    expect(toHttpProblem(cast)?.problem).toMatchObject({
      status: 400,
      errors: [{ field: '_id', code: 'invalid_type' }],
    });

    const validation = Object.assign(new Error('Validation failed: phone: bad'), {
      name: 'ValidationError',
      errors: { phone: { path: 'phone', kind: 'regexp', message: 'bad 13800138000' } },
    });
    const mapped = toHttpProblem(validation)!;
    expect(mapped.problem).toMatchObject({ status: 400, errors: [{ field: 'phone', code: 'regexp' }] });
    expect(JSON.stringify(mapped.problem)).not.toContain('13800138000');

    const dup = Object.assign(new Error('E11000 dup key: { idNumber: "1101" }'), {
      code: 11000,
      keyPattern: { idNumber: 1 },
    });
    expect(toHttpProblem(dup)?.problem).toMatchObject({ status: 409, detail: 'Already exists (idNumber).' });
    expect(JSON.stringify(toHttpProblem(dup)?.problem)).not.toContain('1101');

    expect(toHttpProblem(Object.assign(new Error('nope'), { status: 405, expose: true }))?.status).toBe(405);
    expect(toHttpProblem(new Error('boom'))).toBeUndefined();
    expect(toHttpProblem('a string')).toBeUndefined();
  });

  it('answers 503 with Retry-After when the store or the broker cannot be reached', () => {
    const selection = Object.assign(new Error('Server selection timed out after 30000 ms'), {
      name: 'MongoServerSelectionError',
    });
    const mapped = toHttpProblem(selection)!;
    expect(mapped.status).toBe(503);
    expect(mapped.headers['Retry-After']).toBe('5');
    expect(mapped.problem).toMatchObject({
      status: 503,
      title: 'Service Unavailable',
      title_zh: '服务暂不可用',
    });
    expect(mapped.problem.detail).not.toContain('30000');

    const buffering = new Error('Operation `intakes.findOne()` buffering timed out after 10000ms');
    expect(toHttpProblem(buffering)?.status).toBe(503);
    const wrapped = new Error('could not save', {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { name: 'MongoNetworkError' }),
    });
    expect(toHttpProblem(wrapped)?.status).toBe(503);
    expect(isUnavailableError(Object.assign(new Error('x'), { name: 'KafkaJSConnectionError' }))).toBe(true);
    expect(isUnavailableError(new Error('boom'))).toBe(false);
    // A store killed mid-command: the driver writes to the closed socket and passes node's bare
    // EPIPE error up unwrapped (seen in the store-outage fault test, answered 500 before).
    const epipe = Object.assign(new Error('This socket has been ended by the other party'), {
      code: 'EPIPE',
    });
    expect(toHttpProblem(epipe)?.status).toBe(503);
    expect(isUnavailableError(Object.assign(new Error('x'), { name: 'LockTimeoutError' }))).toBe(true);
    expect(isUnavailableError(Object.assign(new Error('bad'), { code: 'ENOENT' }))).toBe(false);
  });

  it('passes HttpProblems through', () => {
    const p = HttpProblem.conflict('Already collected.');
    expect(toHttpProblem(p)).toBe(p);
    expect(p.message).toBe('Conflict: Already collected.');
  });
});

describe('extension members', () => {
  it('never overwrite the members RFC 9457 defines', () => {
    const body = problem(409, undefined, 'taken', {
      status: 200,
      title: 'x',
      detail: 'y',
      earlier: 'c-1',
    } as never);
    expect(body).toMatchObject({ status: 409, title: 'Conflict', detail: 'taken', earlier: 'c-1' });
  });
});
