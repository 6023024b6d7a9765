import { Vin, validateVin, vinCheckDigit } from '../src';

describe('validateVin', () => {
  // Published examples with known check digits (X, 1, 3 and 5 at position 9).
  it.each(['1M8GDM9AXKP042788', '11111111111111111', '1HGCM82633A004352', 'JHMCM56557C404453'])(
    'accepts %s',
    (vin) => {
      expect(validateVin(vin)).toEqual({ valid: true, vin });
    },
  );

  it('accepts Chinese VINs whose check digit is right, including X', () => {
    expect(validateVin('LSVAG218892512345').valid).toBe(true);
    expect(validateVin('LSGJA52UXCH000001').valid).toBe(true);
    expect(vinCheckDigit('LSGJA52U0CH000001')).toBe('X');
  });

  it('normalises case and surrounding space', () => {
    expect(validateVin(' 1m8gdm9axkp042788 ')).toEqual({ valid: true, vin: '1M8GDM9AXKP042788' });
  });

  it('rejects a wrong check digit and says which one is expected', () => {
    expect(validateVin('1M8GDM9A1KP042788')).toEqual({
      valid: false,
      reason: 'check-digit',
      message: expect.stringContaining('should be X'),
    });
    // One transposition in the serial is caught by the check digit.
    expect(validateVin('1M8GDM9AXKP047288')).toMatchObject({ valid: false, reason: 'check-digit' });
  });

  it('rejects I, O and Q', () => {
    expect(validateVin('1M8GDM9AXKP04278O')).toMatchObject({ valid: false, reason: 'characters' });
    expect(validateVin('IM8GDM9AXKP042788')).toMatchObject({ valid: false, reason: 'characters' });
    expect(validateVin('1M8GDM9AXKP04Q788')).toMatchObject({ valid: false, reason: 'characters' });
  });

  it('rejects other lengths', () => {
    expect(validateVin('1M8GDM9AXKP04278')).toMatchObject({ valid: false, reason: 'length' });
    expect(validateVin('')).toMatchObject({ valid: false, reason: 'length' });
  });
});

describe('Vin schema', () => {
  it('requires the canonical upper-case form with a right check digit', () => {
    expect(Vin.safeParse('LSVAG218892512345').success).toBe(true);
    expect(Vin.safeParse('lsvag218892512345').success).toBe(false);
    expect(Vin.safeParse('LSVAG218092512345').success).toBe(false);
  });
});
