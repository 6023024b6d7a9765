// VINs (ISO 3779; in China GB 16735) are how vehicles are keyed on two topics, so a mistyped VIN
// would split one vehicle's history across partitions. GB 16735 makes the 9th character a check
// digit for every vehicle sold in China, so it is enforced here. European VINs need not carry one:
// should a registered vehicle ever fail the check, it needs a manual path, not a looser contract.

// prettier-ignore
const TRANSLITERATION: Readonly<Record<string, number>> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8,
  J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};

const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

export type VinCheck =
  | { readonly valid: true; readonly vin: string }
  | {
      readonly valid: false;
      readonly reason: 'length' | 'characters' | 'check-digit';
      readonly message: string;
    };

const valueOf = (c: string): number => (c >= '0' && c <= '9' ? Number(c) : (TRANSLITERATION[c] ?? NaN));

/** The check character a VIN should carry at position 9 (the 9th character itself is ignored). */
export const vinCheckDigit = (vin: string): string => {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += valueOf(vin[i] ?? '') * (WEIGHTS[i] as number);
  const remainder = sum % 11;
  return remainder === 10 ? 'X' : String(remainder);
};

/** Validates a VIN after trimming and upper-casing it; the normalised VIN is returned when valid. */
export const validateVin = (input: string): VinCheck => {
  const vin = input.trim().toUpperCase();
  if (vin.length !== 17) {
    return { valid: false, reason: 'length', message: `a VIN has 17 characters, got ${vin.length}` };
  }
  const bad = Array.from(vin).filter((c) => Number.isNaN(valueOf(c)));
  if (bad.length > 0) {
    return {
      valid: false,
      reason: 'characters',
      message: `only digits and letters other than I, O, Q are allowed; found ${[...new Set(bad)].join(' ')}`,
    };
  }
  const expected = vinCheckDigit(vin);
  if (vin[8] !== expected) {
    return {
      valid: false,
      reason: 'check-digit',
      message: `check digit (9th character) should be ${expected}`,
    };
  }
  return { valid: true, vin };
};
