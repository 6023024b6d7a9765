import type { CoreSource, MajorAssembly } from '@recycling/contracts';

// Traceability (domain.md section 11: record core origin, core identity, product identity): any
// product back to its cores and the vehicle or intake each came from, and any core, vehicle or coded
// assembly forward to the product it became. The stores keep each link once (a core its source, a
// core use its product); these functions put the chain together for a reader.

export interface CoreLink {
  coreId: string;
  remanufacturerId: string;
  productLine: string;
  serialNo?: string;
  status: string;
  intakeCheck: { passed: boolean; note?: string };
  source: CoreSource;
  receivedAt: string;
}

export interface ProductLink {
  productId: string;
  remanufacturerId: string;
  productLine: string;
  serialNo: string;
  status: string;
  coreIds: readonly string[];
  markNo?: string;
  warrantyUntil?: string;
}

/** Where a core came from, as a reader follows it: a vehicle (by VIN and certificate) or an intake. */
export type Origin =
  | {
      kind: 'vehicle';
      vin: string;
      vehicleIntakeId: string;
      certificateNo: string;
      dismantlerId: string;
      assembly: MajorAssembly;
      remanufacturingCode: string;
    }
  | { kind: 'intake'; intakeId: string; lineId: string; stationId: string; category: string };

export const originOf = (source: CoreSource): Origin =>
  source.kind === 'vehicle-assembly'
    ? {
        kind: 'vehicle',
        vin: source.vin,
        vehicleIntakeId: source.vehicleIntakeId,
        certificateNo: source.certificateNo,
        dismantlerId: source.dismantlerId,
        assembly: source.assembly,
        remanufacturingCode: source.remanufacturingCode,
      }
    : {
        kind: 'intake',
        intakeId: source.intakeId,
        lineId: source.lineId,
        stationId: source.stationId,
        category: source.category,
      };

export interface ProductTrace {
  product: ProductLink;
  cores: Array<CoreLink & { origin: Origin }>;
}

/** A product back to its cores and their origins; a core the product names must be there. */
export function traceBack(product: ProductLink, cores: readonly CoreLink[]): ProductTrace {
  const byId = new Map(cores.map((c) => [c.coreId, c]));
  return {
    product,
    cores: product.coreIds.map((id) => {
      const core = byId.get(id);
      if (!core) throw new Error(`product ${product.productId} names core ${id}, which is not stored`);
      return { ...core, origin: originOf(core.source) };
    }),
  };
}

export interface CoreTrace {
  core: CoreLink;
  origin: Origin;
  /** The product the core went into; null while it went into none. */
  product: ProductLink | null;
}

/** A core back to its origin and forward to its product. */
export const traceForward = (core: CoreLink, product: ProductLink | null): CoreTrace => ({
  core,
  origin: originOf(core.source),
  product,
});

export interface AssemblyTrace {
  remanufacturingCode: string;
  assembly: MajorAssembly;
  vin: string;
  vehicleIntakeId: string;
  certificateNo?: string;
  dismantlerId: string;
  /** The core it was received as; null while no remanufacturer took it in. */
  core: Pick<CoreLink, 'coreId' | 'remanufacturerId' | 'productLine' | 'status'> | null;
  product: Pick<ProductLink, 'productId' | 'serialNo' | 'status' | 'markNo'> | null;
}

/** A coded assembly forward to its core and product. */
export const traceAssembly = (
  assembly: Omit<AssemblyTrace, 'core' | 'product'>,
  core: CoreLink | null,
  product: ProductLink | null,
): AssemblyTrace => ({
  ...assembly,
  core: core
    ? {
        coreId: core.coreId,
        remanufacturerId: core.remanufacturerId,
        productLine: core.productLine,
        status: core.status,
      }
    : null,
  product: product
    ? {
        productId: product.productId,
        serialNo: product.serialNo,
        status: product.status,
        ...(product.markNo ? { markNo: product.markNo } : {}),
      }
    : null,
});
