// 价税合计（大写）: an amount in fen written in the capital numerals of Chinese financial documents
// (壹贰叁…, 拾佰仟, 万亿, 圆角分), as an invoice prints it beside the figure. Integer arithmetic only.

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'] as const;
const PLACES = ['', '拾', '佰', '仟'] as const;
const SECTIONS = ['', '万', '亿', '万亿'] as const;

/** 1..9999 without leading zeros: 1010 → 壹仟零壹拾. */
function fourDigits(n: number): string {
  let out = '';
  let zero = false;
  for (let place = 3; place >= 0; place -= 1) {
    const digit = Math.floor(n / 10 ** place) % 10;
    if (digit === 0) {
      if (out) zero = true;
      continue;
    }
    if (zero) out += '零';
    out += DIGITS[digit]! + PLACES[place]!;
    zero = false;
  }
  return out;
}

/** A whole number of yuan above zero, in groups of four digits (万, 亿). */
function wholeYuan(n: number): string {
  const groups: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 10_000)) groups.push(rest % 10_000);
  let out = '';
  let zero = false;
  for (let i = groups.length - 1; i >= 0; i -= 1) {
    const group = groups[i]!;
    if (group === 0) {
      if (out) zero = true;
      continue;
    }
    if (out && (zero || group < 1000)) out += '零';
    out += fourDigits(group) + SECTIONS[i];
    zero = false;
  }
  return out;
}

/**
 * 123456 fen → 壹仟贰佰叁拾肆圆伍角陆分; 100000 → 壹仟圆整; 5 → 伍分; 0 → 零圆整. A negative amount (a
 * red-letter invoice) is prefixed with 负.
 */
export function amountInWords(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not a whole number of fen: ${fen}`);
  if (fen === 0) return '零圆整';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const jiao = Math.floor(abs / 10) % 10;
  const cents = abs % 10;
  let out = yuan > 0 ? `${wholeYuan(yuan)}圆` : '';
  if (jiao > 0) out += `${DIGITS[jiao]}角`;
  else if (yuan > 0 && cents > 0) out += '零';
  out += cents > 0 ? `${DIGITS[cents]}分` : '整';
  return (fen < 0 ? '负' : '') + out;
}
