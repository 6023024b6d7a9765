import { createHmac } from 'node:crypto';
import type { IdDocumentType } from '../reference/id-document-types';
import { normaliseIdNumber } from './normalise-id-number';

// The seller key stands in for a person wherever the identity itself is not needed (Kafka keys,
// statistics, logs). Id numbers have little entropy (a region, a birth date, a sequence, a check
// digit): a plain hash could be reversed by enumerating them all in minutes. An HMAC with a secret
// pepper cannot be, as long as the pepper stays secret. Every service that derives keys must use the
// same pepper, or one person gets different keys and the per-person tax cap breaks.

const MIN_PEPPER_BYTES = 16;

export const sellerKeyOf = (idType: IdDocumentType, idNumber: string, secret: string | Buffer): string => {
  const pepper = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  if (pepper.length < MIN_PEPPER_BYTES) {
    throw new Error(`seller-key pepper must be at least ${MIN_PEPPER_BYTES} bytes`);
  }
  const normalised = normaliseIdNumber(idNumber);
  if (normalised.length === 0) throw new Error('id number is empty');
  // The type is part of the message so that equal numbers of different document types differ.
  return createHmac('sha256', pepper).update(`${idType}\u0000${normalised}`, 'utf8').digest('hex');
};
