import { ApiProblem, problemFrom } from '../web/src/lib/problem';
import { asList } from '../web/src/lib/lists';

describe('problems from the services', () => {
  it('keep title_zh, detail and field errors, and find the errors under a field', () => {
    const p = problemFrom(
      400,
      JSON.stringify({
        type: 'about:blank',
        title: 'Validation failed',
        title_zh: '输入有误',
        status: 400,
        errors: [
          { field: 'appliances.0.count', message: 'Too small', code: 'too_small' },
          { field: 'contact.phone', message: 'bad', code: 'invalid_format' },
        ],
      }),
    );
    expect(p).toBeInstanceOf(ApiProblem);
    expect(p.body.title_zh).toBe('输入有误');
    expect(p.errorsFor('appliances.0').map((e) => e.field)).toEqual(['appliances.0.count']);
    expect(p.errorsFor('appliances.0.count')).toHaveLength(1);
    expect(p.errorsFor('appliances.1')).toEqual([]);
    expect(p.errorsFor('contact').map((e) => e.code)).toEqual(['invalid_format']);
  });

  it('turn a non-JSON answer (a proxy page) into a problem with its status', () => {
    const p = problemFrom(503, '<html>down</html>');
    expect(p.status).toBe(503);
    expect(p.body.title).toBe('HTTP 503');
    expect(p.errorsFor('x')).toEqual([]);
  });
});

describe('lists from the services', () => {
  it('are taken from arrays or from their wrapping key', () => {
    expect(asList([1, 2])).toEqual([1, 2]);
    expect(asList({ items: [1] })).toEqual([1]);
    expect(asList({ arrivals: [3] }, 'arrivals')).toEqual([3]);
    expect(asList({ count: 2 })).toEqual([]);
    expect(asList(undefined)).toEqual([]);
  });
});
