import { createHmac } from 'node:crypto';
import { residentKeyOf } from '../src/identity/resident-key';

describe('residentKeyOf', () => {
  const secret = 'a-secret-of-at-least-16-bytes';

  it('is the prefixed, truncated HMAC of the domain-separated account id', () => {
    const expected = createHmac('sha256', secret)
      .update('resident-account:r-1001')
      .digest('hex')
      .slice(0, 24);
    expect(residentKeyOf('r-1001', secret)).toBe(`res-${expected}`);
    expect(residentKeyOf('r-1001', secret)).toMatch(/^res-[0-9a-f]{24}$/);
  });

  it('differs by account and by secret', () => {
    expect(residentKeyOf('r-1001', secret)).not.toBe(residentKeyOf('r-1002', secret));
    expect(residentKeyOf('r-1001', secret)).not.toBe(residentKeyOf('r-1001', `${secret}-other`));
  });
});
