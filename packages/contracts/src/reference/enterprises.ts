import { z } from 'zod';
import type { Label } from '../labels';

// What makes an enterprise a reverse-invoice issuer (STA Announcement 2024 No. 5) and which invoice
// kinds its VAT method allows.

export const QUALIFICATION_TYPE_CODES = [
  'hazardous-waste-licence',
  'dismantler-certificate',
  'recycler-filing',
] as const;

export const QualificationType = z.enum(QUALIFICATION_TYPE_CODES).describe('Enterprise qualification type');
export type QualificationType = z.infer<typeof QualificationType>;

export const qualificationTypes: Readonly<Record<QualificationType, { readonly name: Label }>> = {
  'hazardous-waste-licence': { name: { zh: '危险废物经营许可证', en: 'Hazardous waste business licence' } },
  'dismantler-certificate': {
    name: {
      zh: '报废机动车回收拆解企业资质认定证书',
      en: 'Scrapped motor vehicle recycling and dismantling certificate',
    },
  },
  'recycler-filing': {
    name: { zh: '再生资源回收经营者备案', en: 'Renewable resource recycler filing' },
  },
};

export const VAT_METHOD_CODES = ['general', 'simplified'] as const;
export const VatMethod = z.enum(VAT_METHOD_CODES).describe('VAT computation method of the enterprise');
export type VatMethod = z.infer<typeof VatMethod>;

export const INVOICE_KIND_CODES = ['special', 'ordinary'] as const;
export const InvoiceKind = z.enum(INVOICE_KIND_CODES).describe('special = 专用发票, ordinary = 普通发票');
export type InvoiceKind = z.infer<typeof InvoiceKind>;

export interface VatMethodInfo {
  readonly code: VatMethod;
  readonly name: Label;
  readonly allowedInvoiceKinds: readonly InvoiceKind[];
}

export const vatMethods: Readonly<Record<VatMethod, VatMethodInfo>> = {
  general: {
    code: 'general',
    name: { zh: '一般计税方法', en: 'General method' },
    allowedInvoiceKinds: ['special', 'ordinary'],
  },
  simplified: {
    code: 'simplified',
    name: { zh: '简易计税方法', en: 'Simplified method' },
    allowedInvoiceKinds: ['ordinary'],
  },
};

export const invoiceKinds: Readonly<Record<InvoiceKind, { readonly name: Label }>> = {
  special: { name: { zh: '增值税专用发票', en: 'Special VAT invoice' } },
  ordinary: { name: { zh: '普通发票', en: 'Ordinary invoice' } },
};
