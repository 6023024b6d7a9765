import {
  DomainError,
  type DomainFieldError,
  type ProductLine,
  type ProductUse,
  type TestResult,
} from '@recycling/contracts';

// The quality rule of remanufacturing (plan section 5): a remanufactured product's performance is
// never lower than the original new product's. Every check compares each measured value with the
// original's value of the product line's specification, in the item's direction (a higher power, a
// lower fuel consumption); a product is released only when it was checked in production, and its
// latest release test measured every item of the specification with every result at or above the
// original's, and its warranty is no shorter than the original's.

export interface Measured {
  code: string;
  value: number;
}

export type CheckStageOfProduct = 'production' | 'release';

export interface Evaluation {
  results: TestResult[];
  /** Items of the specification not measured (a release test must measure them all). */
  missing: string[];
  /** Items whose result is below the original's. */
  failing: string[];
  passed: boolean;
}

/** Compares measured values with the original's; refuses unknown and repeated items (400). */
export function evaluate(
  line: ProductLine,
  stage: CheckStageOfProduct,
  measured: readonly Measured[],
): Evaluation {
  const spec = new Map(line.specification.map((s) => [s.code, s]));
  const bad: DomainFieldError[] = [];
  const seen = new Set<string>();
  measured.forEach((m, i) => {
    if (!spec.has(m.code)) {
      bad.push({
        field: `results.${i}.code`,
        message: `not an item of line ${line.code}`,
        code: 'unknown-spec-item',
      });
    } else if (seen.has(m.code)) {
      bad.push({
        field: `results.${i}.code`,
        message: `${m.code} measured twice`,
        code: 'duplicate-spec-item',
      });
    }
    seen.add(m.code);
  });
  if (bad.length > 0) {
    throw new DomainError(
      'invalid',
      bad[0]!.code,
      `检测项目须为产品线规格中的项目，且各测一次 / Results must name items of the line's specification, each once.`,
      { fields: bad },
    );
  }
  const results = measured.map((m): TestResult => {
    const item = spec.get(m.code)!;
    const meets = item.better === 'higher' ? m.value >= item.original : m.value <= item.original;
    return { code: m.code, value: m.value, original: item.original, better: item.better, meets };
  });
  const failing = results.filter((r) => !r.meets).map((r) => r.code);
  const missing = line.specification.map((s) => s.code).filter((code) => !seen.has(code));
  const passed = failing.length === 0 && (stage === 'production' || missing.length === 0);
  return { results, missing, failing, passed };
}

export interface CheckRecord {
  checkNo: number;
  stage: CheckStageOfProduct;
  passed: boolean;
  results: readonly TestResult[];
}

export interface ReleaseFacts {
  status: string;
  checks: readonly CheckRecord[];
  /** Every core of the product passed its intake check. */
  coresChecked: boolean;
}

/** The release test the product may be released on, or the refusal naming what is missing. */
export function decideRelease(
  line: ProductLine,
  facts: ReleaseFacts,
  warrantyMonths: number,
): { releaseCheckNo: number } {
  if (facts.status !== 'in-production') {
    throw DomainError.conflict(
      'invalid-status',
      `产品当前状态（${facts.status}）不能出厂 / A product in status ${facts.status} cannot be released.`,
      { details: { productStatus: facts.status } },
    );
  }
  if (warrantyMonths < line.original.warrantyMonths) {
    throw DomainError.invalid(
      'warranty-shorter-than-original',
      'warrantyMonths',
      `质保期不得短于原型新品的 ${line.original.warrantyMonths} 个月 / The warranty may not be shorter than the original's ${line.original.warrantyMonths} months.`,
      { details: { originalWarrantyMonths: line.original.warrantyMonths } },
    );
  }
  if (!facts.coresChecked) {
    throw DomainError.conflict(
      'core-check-missing',
      '产品的旧件未全部通过入厂检测 / Not every core of the product passed its intake check.',
    );
  }
  if (!facts.checks.some((c) => c.stage === 'production')) {
    throw DomainError.conflict(
      'production-check-missing',
      '尚无过程检验记录，不能出厂 / No in-production check is recorded: the product cannot be released.',
    );
  }
  const release = [...facts.checks].reverse().find((c) => c.stage === 'release');
  if (!release) {
    throw DomainError.conflict(
      'release-test-missing',
      '尚无出厂检验记录，不能出厂 / No release test is recorded: the product cannot be released.',
    );
  }
  if (!release.passed) {
    const failing = release.results.filter((r) => !r.meets).map((r) => r.code);
    const measured = new Set(release.results.map((r) => r.code));
    const missing = line.specification.map((s) => s.code).filter((c) => !measured.has(c));
    throw DomainError.conflict(
      'release-test-failed',
      `最近一次出厂检验未达到原型新品指标，不能出厂（不合格：${[...failing, ...missing].join('、')}）/ The latest release test did not meet the original's specification: the product cannot be released (failing: ${[...failing, ...missing].join(', ')}).`,
      {
        title: { zh: '出厂检验不合格', en: 'Release test failed' },
        details: { checkNo: release.checkNo, failing, missing },
      },
    );
  }
  return { releaseCheckNo: release.checkNo };
}

/** Refuses a use the product line forbids (a vehicle assembly never goes into a new vehicle). */
export function assertUseAllowed(line: ProductLine, use: ProductUse): void {
  if (line.forbiddenUses.includes(use)) {
    throw DomainError.invalid(
      'use-forbidden',
      'use',
      use === 'new-vehicle-assembly'
        ? '再制造的汽车总成不得用于组装新车 / A remanufactured vehicle assembly may never be used to build a new vehicle.'
        : `产品线 ${line.code} 的产品不得用于 ${use} / Products of line ${line.code} may not be used for ${use}.`,
    );
  }
}
