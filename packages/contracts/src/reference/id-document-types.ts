import { z } from 'zod';
import type { Label } from '../labels';

// The id document of a natural person who sells scrap: it appears on reverse invoices and is the
// input of the seller key, so its type is part of that key (a passport number and an id-card number
// could coincide).

export const ID_DOCUMENT_TYPE_CODES = [
  'resident-id-card',
  'passport',
  'hk-macao-permit',
  'taiwan-permit',
  'foreign-permanent-residence',
  'other',
] as const;

export const IdDocumentType = z.enum(ID_DOCUMENT_TYPE_CODES).describe('Id document type code');
export type IdDocumentType = z.infer<typeof IdDocumentType>;

export interface IdDocumentTypeInfo {
  readonly code: IdDocumentType;
  readonly name: Label;
}

export const idDocumentTypes: Readonly<Record<IdDocumentType, IdDocumentTypeInfo>> = {
  'resident-id-card': { code: 'resident-id-card', name: { zh: '居民身份证', en: 'Resident identity card' } },
  passport: { code: 'passport', name: { zh: '护照', en: 'Passport' } },
  'hk-macao-permit': {
    code: 'hk-macao-permit',
    name: { zh: '港澳居民来往内地通行证', en: 'Mainland travel permit for Hong Kong and Macao residents' },
  },
  'taiwan-permit': {
    code: 'taiwan-permit',
    name: { zh: '台湾居民来往大陆通行证', en: 'Mainland travel permit for Taiwan residents' },
  },
  'foreign-permanent-residence': {
    code: 'foreign-permanent-residence',
    name: { zh: '外国人永久居留身份证', en: 'Foreign permanent resident id card' },
  },
  other: { code: 'other', name: { zh: '其他证件', en: 'Other document' } },
};
