import { normaliseIdNumber } from './normalise-id-number';

// Resident id numbers (GB 11643-1999) end with an ISO 7064 MOD 11-2 check character. Checking it
// catches most typing errors before a number reaches an invoice, where a wrong number is a tax error.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export type ResidentIdCheck =
  | { readonly valid: true; readonly idNumber: string }
  | {
      readonly valid: false;
      readonly reason: 'format' | 'birth-date' | 'check-digit';
      readonly message: string;
    };

export const residentIdCheckCharacter = (first17: string): string => {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] as number);
  return CHECK_CHARS[sum % 11] as string;
};

export const validateResidentIdNumber = (input: string): ResidentIdCheck => {
  const idNumber = normaliseIdNumber(input);
  if (!/^\d{17}[\dX]$/.test(idNumber)) {
    return { valid: false, reason: 'format', message: '18 characters: 17 digits and a digit or X' };
  }
  const birth = idNumber.slice(6, 14);
  const date = new Date(`${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10).replace(/-/g, '') !== birth) {
    return { valid: false, reason: 'birth-date', message: `characters 7-14 are not a date: ${birth}` };
  }
  const expected = residentIdCheckCharacter(idNumber.slice(0, 17));
  if (idNumber[17] !== expected) {
    return { valid: false, reason: 'check-digit', message: `check character should be ${expected}` };
  }
  return { valid: true, idNumber };
};
