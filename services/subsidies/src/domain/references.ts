import { randomBytes } from 'node:crypto';

// Ids of what this service creates, and how a reference is shown to someone else: a refusal names the
// earlier claim it collides with, masked, so the applicant learns that and when, never whose.

const compactDate = (date: string) => date.replace(/-/g, '');

/** A car claim: `tc-20250305-1a2b3c4d`. */
export const newCarClaimId = (today: string): string =>
  `tc-${compactDate(today)}-${randomBytes(4).toString('hex')}`;

/** A counter sale (itself a claim): `cs-20250307-9e8d7c6b`. */
export const newCounterSaleId = (today: string): string =>
  `cs-${compactDate(today)}-${randomBytes(4).toString('hex')}`;

export const newPaymentBatchId = (today: string): string =>
  `pb-${compactDate(today)}-${randomBytes(3).toString('hex')}`;

export const newReimbursementId = (today: string): string =>
  `rb-${compactDate(today)}-${randomBytes(3).toString('hex')}`;

/** One payment per claim: the payment id is the claim's, so a second one cannot be inserted. */
export const paymentIdOf = (claimId: string): string => `pay-${claimId}`;

/** `tc-20250305-1a2b3c4d` -> `tc-20250305-****3c4d`: the kind and the day stay, the rest is masked. */
export const maskReference = (id: string): string => {
  const at = id.lastIndexOf('-');
  const tail = at >= 0 ? id.slice(at + 1) : id;
  const head = at >= 0 ? id.slice(0, at + 1) : '';
  if (tail.length <= 4) return `${head}****`;
  return `${head}${'*'.repeat(tail.length - 4)}${tail.slice(-4)}`;
};

/** A bank card as shown: `6222 **** **** 0123`. */
export const maskBankCard = (cardNo: string): string => {
  const digits = cardNo.replace(/\D/g, '');
  return `${digits.slice(0, 4)} **** **** ${digits.slice(-4)}`;
};

/** Luhn check of a bank card number (UnionPay debit cards carry one). */
export const luhnValid = (cardNo: string): boolean => {
  if (!/^\d{12,19}$/.test(cardNo)) return false;
  let sum = 0;
  for (let i = 0; i < cardNo.length; i++) {
    let d = Number(cardNo[cardNo.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
};

/** An address as shown to staff other than the retailer: district only, the detail masked. */
export const maskAddress = (districtName: string, detail: string): string =>
  `${districtName} ${Array.from(detail.trim()).slice(0, 2).join('')}***`;
