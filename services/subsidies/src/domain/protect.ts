import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

// Personal data kept by this service (the applicant's name, id number, phone and bank card; the
// buyer's name, phone and address) is encrypted at rest with AES-256-GCM under a key from the
// configuration, bound to its record's id (the additional authenticated data), so a sealed value
// copied onto another record does not open. What people see is the masked form stored beside it;
// what goes on events and in logs is neither. Phones and addresses are also kept as keyed hashes, to
// count subsidised items per contact without being able to read them back.

export interface Sealed {
  /** Format version. */
  v: 1;
  iv: string;
  tag: string;
  data: string;
}

const ALGORITHM = 'aes-256-gcm';

export const parseDataKey = (hex: string): Buffer => {
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error('the data key must be 64 hex characters (256 bits)');
  return Buffer.from(hex, 'hex');
};

export function seal(key: Buffer, aad: string, value: unknown): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return {
    v: 1,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/** Opens a sealed value; throws when the key, the record id or the ciphertext is not the sealing one. */
export function open<T>(key: Buffer, aad: string, sealed: Sealed): T {
  const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  const text = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
  return JSON.parse(text.toString('utf8')) as T;
}

/** A keyed hash of a contact (phone or address), normalised, for counting without reading it back. */
export function contactKey(secret: string, kind: 'phone' | 'address', value: string): string {
  const normalised =
    kind === 'phone'
      ? value.replace(/\D/g, '').replace(/^86(1\d{10})$/, '$1')
      : value.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  return createHmac('sha256', secret)
    .update(`subsidy-contact:${kind}:${normalised}`)
    .digest('hex')
    .slice(0, 32);
}
