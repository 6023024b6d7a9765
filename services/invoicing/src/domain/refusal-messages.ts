import type { Label, RefusalReason } from '@recycling/contracts';

// What a refused seller and enterprise are told, Chinese first. Amounts are shown in yuan.

const yuan = (fen: number) => (fen / 100).toLocaleString('en-US', { maximumFractionDigits: 2 });
const wan = (fen: number) => (fen / 1_000_000).toLocaleString('en-US', { maximumFractionDigits: 2 });

export const refusalMessage = (
  reason: RefusalReason,
  context: { capFen?: number; capMonths?: number; effectiveFrom?: string } = {},
): { message: Label; advice?: Label } => {
  switch (reason) {
    case 'rolling-cap-exceeded':
      return {
        message: {
          zh: `本次销售将使您连续${context.capMonths}个月反向开票销售额超过${wan(context.capFen!)}万元，不能开具反向发票。`,
          en: `This sale would take your reverse-invoiced sales over ${yuan(context.capFen!)} yuan in ${context.capMonths} consecutive months; no reverse invoice can be issued.`,
        },
        advice: {
          zh: '请办理个体工商户登记后自行开具发票。',
          en: 'Please register as an individual business and issue the invoice yourself.',
        },
      };
    case 'unknown-issuer':
      return {
        message: {
          zh: '收购企业未登记为反向开票企业，不能开具反向发票。',
          en: 'The buying enterprise is not registered for reverse invoicing; no reverse invoice can be issued.',
        },
        advice: {
          zh: '请企业向税务机关登记资质后重新提交。',
          en: 'The enterprise should register its qualification, then submit the purchase again.',
        },
      };
    case 'issuer-not-qualified':
      return {
        message: {
          zh: '收购企业不具备（或已过期）反向开票资质，不能开具反向发票。',
          en: 'The buying enterprise holds no valid qualification for reverse invoicing; no reverse invoice can be issued.',
        },
        advice: {
          zh: '请企业取得危险废物经营许可证、报废机动车回收拆解资质或再生资源回收经营者备案。',
          en: 'The enterprise needs a hazardous-waste licence, a dismantler certificate or a recycler filing.',
        },
      };
    case 'issuer-suspended':
      return {
        message: {
          zh: '收购企业的反向开票资格已暂停，不能开具反向发票。',
          en: "The buying enterprise's right to issue reverse invoices is suspended; no reverse invoice can be issued.",
        },
        advice: {
          zh: '请企业结清税款后申请恢复。',
          en: 'The enterprise should settle its tax and apply for reinstatement.',
        },
      };
    case 'invalid-seller-identity':
      return {
        message: { zh: '销售方身份信息无效。', en: "The seller's identity is invalid." },
      };
    case 'other':
      return {
        message: {
          zh: `交易发生在反向开票政策施行日（${context.effectiveFrom}）之前，不能开具反向发票。`,
          en: `The sale predates reverse invoicing (in force from ${context.effectiveFrom}); no reverse invoice can be issued.`,
        },
      };
  }
};

/** A sale dated before the months a sale may still be invoiced in (`lateSaleMaxMonths`). */
export const tooOldMessage = (
  earliestMonth: string,
  maxMonths: number,
): { message: Label; advice: Label } => ({
  message: {
    zh: `交易日期早于${earliestMonth}，超过可补开反向发票的期限（当月之前${maxMonths}个月），不能开具反向发票。`,
    en: `The sale is dated before ${earliestMonth}, more than ${maxMonths} months before the current month; no reverse invoice can be issued for it.`,
  },
  advice: {
    zh: '请核对交易日期；日期有误的，请以正确日期更正收购记录。',
    en: 'Check the date of the sale; if it is wrong, correct the purchase with the right date.',
  },
});
