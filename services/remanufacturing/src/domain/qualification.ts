import { DomainError, type RemanufacturerQualification } from '@recycling/contracts';

// Only a qualified remanufacturer may take cores in and release products, and only on the product
// lines it holds: an inactive remanufacturer, or one whose qualification has lapsed, is refused.

export interface RemanufacturerFacts {
  remanufacturerId: string;
  active: boolean;
  qualification: { kind: RemanufacturerQualification; number: string; validUntil: string };
  productLines: readonly string[];
}

/** Refuses unless the remanufacturer is active, qualified on `today`, and holds `productLine`. */
export function assertQualifiedFor(
  remanufacturer: RemanufacturerFacts,
  productLine: string,
  today: string,
  field = 'productLine',
): void {
  if (!remanufacturer.active) {
    throw DomainError.conflict(
      'remanufacturer-inactive',
      `再制造企业 ${remanufacturer.remanufacturerId} 已停用 / Remanufacturer ${remanufacturer.remanufacturerId} is inactive.`,
    );
  }
  if (remanufacturer.qualification.validUntil < today) {
    throw DomainError.conflict(
      'qualification-expired',
      `再制造资质 ${remanufacturer.qualification.number} 已于 ${remanufacturer.qualification.validUntil} 过期 / Qualification ${remanufacturer.qualification.number} expired on ${remanufacturer.qualification.validUntil}.`,
      { details: { validUntil: remanufacturer.qualification.validUntil } },
    );
  }
  if (!remanufacturer.productLines.includes(productLine)) {
    throw DomainError.invalid(
      'product-line-not-held',
      field,
      `该企业未登记产品线 ${productLine} / The remanufacturer does not hold product line ${productLine}.`,
    );
  }
}
