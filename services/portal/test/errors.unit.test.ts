// Refusals as people read them: the service's own words kept in the language picked, the portal's
// text where it has a better one for the code, fields by their names, never their paths.
import { describeProblem, fieldLabel, inLanguage } from '../web/src/lib/errors';
import { problemFrom } from '../web/src/lib/problem';

const problem = (status: number, body: object) => problemFrom(status, JSON.stringify({ status, ...body }));

describe('refusals for people', () => {
  it('show a bilingual detail in the language picked', () => {
    expect(inLanguage('上门当天不能在线改约 / Not on the day of the visit.', 'zh')).toBe(
      '上门当天不能在线改约',
    );
    expect(inLanguage('上门当天不能在线改约 / Not on the day of the visit.', 'en')).toBe(
      'Not on the day of the visit.',
    );
    expect(inLanguage('a / b', 'zh')).toBe('a / b');
  });

  it('name each field by its label with the portal’s hint, and keep paths and request ids for support', () => {
    const p = describeProblem(
      problem(400, {
        title: 'Validation failed',
        title_zh: '输入有误',
        detail: '以下内容有误：contact.phone / Invalid field: contact.phone',
        requestId: '7d1c3a52-1111-2222-3333-444455556666',
        errors: [
          { field: 'contact.phone', code: 'invalid_format', message: 'a mainland mobile or landline number' },
        ],
      }),
      'zh',
    );
    expect(p.title).toBe('请修改以下内容后再提交');
    expect(p.fields).toEqual([
      expect.objectContaining({ label: '联系电话', text: expect.stringContaining('请填写 11 位手机号') }),
    ]);
    expect(p.message).toBeUndefined();
    expect(p.support).toMatchObject({ status: 400, requestId: '7d1c3a52-1111-2222-3333-444455556666' });
    expect(fieldLabel('appliances.3.count', 'zh')).toBe('数量（台）');
  });

  it('keep a service’s own hint in words (a VIN’s check digit) rather than a generic one', () => {
    const p = describeProblem(
      problem(400, {
        errors: [
          { field: 'vehicle.vin', code: 'custom', message: '校验位应为 8 / The check digit should be 8' },
        ],
      }),
      'en',
    );
    expect(p.fields[0]).toMatchObject({ label: 'VIN', text: 'The check digit should be 8' });
  });

  it('translate by code where the portal has a better text, else keep the service’s detail', () => {
    const full = describeProblem(
      problem(409, {
        title: 'Slot full',
        code: 'slot-full',
        detail: '该时段已约满，请选择其他时段 / The slot is full.',
      }),
      'zh',
    );
    expect(full.title).toBe('该时段已约满');
    expect(full.message).toContain('请换一个时段');
    const other = describeProblem(
      problem(409, {
        title: 'Conflict',
        title_zh: '与当前状态冲突',
        code: 'pickup-closed',
        detail: '该上门回收单已取消 / Pickup is cancelled',
      }),
      'zh',
    );
    expect(other).toMatchObject({ title: '与当前状态冲突', message: '该上门回收单已取消' });
  });

  it('say what to do when the network or a service is down', () => {
    expect(describeProblem(problem(502, { title: 'Bad Gateway' }), 'zh').title).toBe('服务暂时不可用');
    expect(describeProblem(new Error('x'), 'en').title).toBe('Something went wrong');
  });
});
