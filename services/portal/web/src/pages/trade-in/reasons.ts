// Why a reviewer sends a claim back, as codes the reviewer picks and the resident reads in plain words
// with what to correct (domain.md section 9: the reasons seen in the city's reviews). A reviewer may
// still write a note; the code keeps the resident's text plain and the statistics countable.
import { defineMessages } from '../common/text';

export const REJECTION_REASONS = [
  'deregistration-date-mismatch',
  'id-mismatch',
  'new-car-not-registered-to-applicant',
  'old-car-registration-date-wrong',
  'ownership-date-wrong',
  'bank-card-not-applicant',
  'invoice-unreadable',
  'other',
] as const;

export const reasonText = defineMessages({
  'reason.deregistration-date-mismatch': [
    '注销日期与回收证明对不上',
    'The deregistration date does not match the recycling certificate',
  ],
  'reason.deregistration-date-mismatch.fix': [
    '请核对车辆管理所出具的注销证明，必要时请拆解企业更正后再提交。',
    'Check the deregistration certificate from the vehicle office; ask the dismantler to correct it if needed, then resubmit.',
  ],
  'reason.id-mismatch': ['身份证号与车辆登记信息不一致', 'The id number does not match the registration'],
  'reason.id-mismatch.fix': [
    '请确认申请人就是旧车和新车登记证书上的车主本人。',
    'Make sure the applicant is the owner on both cars’ registration certificates.',
  ],
  'reason.new-car-not-registered-to-applicant': [
    '新车没有登记在申请人名下',
    'The new car is not registered to the applicant',
  ],
  'reason.new-car-not-registered-to-applicant.fix': [
    '请在新车登记到您名下后，填写新车登记证书编号和登记日期再提交。',
    'Once the new car is registered to you, enter its registration certificate number and date, then resubmit.',
  ],
  'reason.old-car-registration-date-wrong': [
    '旧车初次登记日期与登记证书不符',
    'The old car’s first registration date is not the one on its certificate',
  ],
  'reason.old-car-registration-date-wrong.fix': [
    '请按旧车登记证书上的“初次登记日期”更正。',
    'Correct it to the first registration date on the old car’s certificate.',
  ],
  'reason.ownership-date-wrong': [
    '旧车登记在您名下的日期不符',
    'The date the old car has been in your name is wrong',
  ],
  'reason.ownership-date-wrong.fix': [
    '请按旧车登记证书上转入您名下的日期更正。',
    'Correct it to the date on the old car’s certificate when it passed to you.',
  ],
  'reason.bank-card-not-applicant': [
    '银行卡不是申请人本人的',
    'The bank card is not in the applicant’s name',
  ],
  'reason.bank-card-not-applicant.fix': [
    '请换一张以您本人名义开立的借记卡。',
    'Give a debit card in your own name.',
  ],
  'reason.invoice-unreadable': ['购车发票信息有误', 'The car’s sales invoice details are wrong'],
  'reason.invoice-unreadable.fix': [
    '请按《机动车销售统一发票》核对发票号码、开票日期和价格，必要时联系经销商。',
    'Check the invoice number, date and price on the unified motor-vehicle sales invoice; ask the dealer if needed.',
  ],
  'reason.other': ['其他原因', 'Another reason'],
  'reason.other.fix': [
    '请看审核人员的说明；有疑问可拨打商务局以旧换新咨询电话。',
    'Read the reviewer’s note; call the commerce bureau’s trade-in line with questions.',
  ],
} as const);

export const reasonKey = (code: string) =>
  (REJECTION_REASONS as readonly string[]).includes(code)
    ? (code as (typeof REJECTION_REASONS)[number])
    : 'other';
