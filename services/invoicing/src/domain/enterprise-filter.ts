import { DomainError } from '@recycling/contracts';

// The tax desk names an enterprise as people know it: by (part of) its name or by its unified social
// credit code (统一社会信用代码), never by the network's internal id. A bad filter is refused in
// Chinese first, naming the field, so the desk can show it beside the input.

export interface EnterpriseFilterInput {
  enterpriseName?: string;
  creditCode?: string;
}

export interface EnterpriseFilter {
  /** Part of the name, spaces removed; matched without regard to case or full-width forms. */
  name?: string;
  creditCode?: string;
}

const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/** Full-width letters and digits as ASCII, upper case, no white space: how names and codes are compared. */
export const normalise = (s: string): string => s.normalize('NFKC').replace(/\s+/g, '').toUpperCase();

/** Validates and normalises the filter; throws one DomainError naming every bad field. */
export function parseEnterpriseFilter(input: EnterpriseFilterInput): EnterpriseFilter {
  const problems: { field: string; code: string; message: string }[] = [];
  const name = input.enterpriseName === undefined ? undefined : normalise(input.enterpriseName);
  if (name !== undefined && (name.length > 100 || CONTROL.test(name))) {
    problems.push({
      field: 'query.enterpriseName',
      code: 'invalid-enterprise-name',
      message:
        '企业名称最多 100 个字，不能含控制字符 / The enterprise name is at most 100 characters, without control characters.',
    });
  }
  const creditCode = input.creditCode === undefined ? undefined : normalise(input.creditCode);
  if (creditCode !== undefined && creditCode !== '' && !CREDIT_CODE.test(creditCode)) {
    problems.push({
      field: 'query.creditCode',
      code: 'invalid-credit-code',
      message:
        '统一社会信用代码应为 18 位数字或大写字母（不含 I、O、S、V、Z），如 91659002MA78XXXXXX / The unified social credit code is 18 digits or capital letters (no I, O, S, V or Z).',
    });
  }
  const [first, ...more] = problems;
  if (first) {
    throw DomainError.invalid(first.code, first.field, first.message, {
      fields: more,
      title: { zh: '筛选条件有误', en: 'Invalid filter' },
    });
  }
  return { ...(name ? { name } : {}), ...(creditCode ? { creditCode } : {}) };
}

/** Whether an enterprise record answers the filter (both parts, where both are given). */
export const enterpriseMatches = (
  filter: EnterpriseFilter,
  enterprise: { name: string; taxpayerId: string },
): boolean =>
  (!filter.name || normalise(enterprise.name).includes(filter.name)) &&
  (!filter.creditCode || enterprise.taxpayerId.toUpperCase() === filter.creditCode);
