import { normaliseIdNumber } from './normalise-id-number';

// Display and log forms of personal data (domain.md section 8). They keep just enough for a person to
// recognise their own record and for staff to tell two records apart.

const stars = (n: number): string => '*'.repeat(Math.max(n, 0));

/** 110101199003071234 -> 110101********1234; shorter documents keep 2 + 2, very short ones 1 at the end. */
export const maskIdNumber = (idNumber: string): string => {
  const s = normaliseIdNumber(idNumber);
  if (s.length >= 15) return s.slice(0, 6) + stars(s.length - 10) + s.slice(-4);
  if (s.length >= 8) return s.slice(0, 2) + stars(s.length - 4) + s.slice(-2);
  if (s.length >= 2) return stars(s.length - 1) + s.slice(-1);
  return stars(s.length);
};

/** 13812345678 -> 138****5678; other numbers keep their last 4 digits. Separators are dropped. */
export const maskPhone = (phone: string): string => {
  const trimmed = phone.normalize('NFKC').trim();
  const prefix = trimmed.startsWith('+86') ? '+86 ' : '';
  const digits = trimmed.slice(prefix ? 3 : 0).replace(/\D/g, '');
  if (/^1\d{10}$/.test(digits)) return `${prefix}${digits.slice(0, 3)}****${digits.slice(-4)}`;
  if (digits.length > 4) return `${prefix}${stars(digits.length - 4)}${digits.slice(-4)}`;
  return prefix + stars(digits.length);
};

/**
 * 张三 -> 张*, 欧阳娜娜 -> 欧***, 阿依古丽·买买提 -> 阿***·***. Separators (·, space) stay so the shape
 * of a multi-part name survives; code points, not UTF-16 units, are counted.
 */
export const maskName = (name: string): string => {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  return chars.map((c, i) => (i === 0 || /[\s·•.-]/.test(c) ? c : '*')).join('');
};

/**
 * 新N12345 or 新N·12345 -> 新N·***45. The province and issuing-authority letter stay (they tell where
 * a vehicle is from); of the serial only the last 2 characters stay.
 */
export const maskPlate = (plate: string): string => {
  const s = plate
    .normalize('NFKC')
    .replace(/[\s·•.-]/g, '')
    .toUpperCase();
  const chars = Array.from(s);
  if (chars.length >= 4 && /^\p{Script=Han}$/u.test(chars[0] as string)) {
    const serial = chars.slice(2);
    return `${chars[0]}${chars[1]}·${stars(serial.length - 2)}${serial.slice(-2).join('')}`;
  }
  if (chars.length > 2) return stars(chars.length - 2) + chars.slice(-2).join('');
  return stars(chars.length);
};
