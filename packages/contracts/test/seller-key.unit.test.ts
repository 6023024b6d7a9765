import { createHash } from 'node:crypto';
import { sellerKeyOf, validateResidentIdNumber } from '../src';

const PEPPER = 'unit-test-pepper-0123456789';

describe('sellerKeyOf', () => {
  const key = sellerKeyOf('resident-id-card', '110101199003071233', PEPPER);

  it('is 64 lower-case hex characters and stable', () => {
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(sellerKeyOf('resident-id-card', '110101199003071233', PEPPER)).toBe(key);
  });

  it('ignores spaces, case and full-width characters in the number', () => {
    expect(sellerKeyOf('resident-id-card', ' 65900219900517234x ', PEPPER)).toBe(
      sellerKeyOf('resident-id-card', '65900219900517234X', PEPPER),
    );
    expect(sellerKeyOf('resident-id-card', '110101 19900307 1233', PEPPER)).toBe(key);
    expect(sellerKeyOf('resident-id-card', '１１０１０１１９９００３０７１２３３', PEPPER)).toBe(key);
  });

  it('depends on the pepper and the document type', () => {
    expect(sellerKeyOf('resident-id-card', '110101199003071233', `${PEPPER}-other`)).not.toBe(key);
    expect(sellerKeyOf('passport', '110101199003071233', PEPPER)).not.toBe(key);
  });

  it('is not a plain hash of the number', () => {
    const plain = createHash('sha256').update('110101199003071233').digest('hex');
    expect(key).not.toBe(plain);
  });

  it('refuses a short pepper and an empty number', () => {
    expect(() => sellerKeyOf('resident-id-card', '110101199003071233', 'short')).toThrow(/pepper/);
    expect(() => sellerKeyOf('resident-id-card', '  ', PEPPER)).toThrow(/empty/);
  });
});

describe('validateResidentIdNumber', () => {
  it('accepts numbers with the right check character, X included', () => {
    expect(validateResidentIdNumber('110101199003071233')).toEqual({
      valid: true,
      idNumber: '110101199003071233',
    });
    expect(validateResidentIdNumber('65900219900517234x')).toEqual({
      valid: true,
      idNumber: '65900219900517234X',
    });
  });
  it('rejects a wrong check character, an impossible date and a bad format', () => {
    expect(validateResidentIdNumber('110101199003071234')).toMatchObject({
      valid: false,
      reason: 'check-digit',
    });
    expect(validateResidentIdNumber('110101199002301234')).toMatchObject({
      valid: false,
      reason: 'birth-date',
    });
    expect(validateResidentIdNumber('11010119900307123')).toMatchObject({ valid: false, reason: 'format' });
  });
});
