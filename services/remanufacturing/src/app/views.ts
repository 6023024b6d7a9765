import type { CoreLink, ProductLink } from '../domain/trace';
import type { CoreDoc, ProductDoc, RemanufacturerDoc } from '../store/models';

// What the API answers: stored documents without their outboxes and markers, instants as ISO UTC
// strings (the portal shows them in Asia/Shanghai), local dates as they are.

const iso = (d: Date | string) => new Date(d).toISOString();

export const remanufacturerView = (r: RemanufacturerDoc) => ({
  remanufacturerId: r._id,
  name: r.name,
  creditCode: r.creditCode,
  districtCode: r.districtCode,
  qualification: r.qualification,
  productLines: r.productLines,
  active: r.active,
  updatedAt: iso(r.updatedAt),
});
export type RemanufacturerView = ReturnType<typeof remanufacturerView>;

export const coreLink = (c: CoreDoc): CoreLink => ({
  coreId: c._id,
  remanufacturerId: c.remanufacturerId,
  productLine: c.productLine,
  ...(c.serialNo ? { serialNo: c.serialNo } : {}),
  status: c.status,
  intakeCheck: c.intakeCheck,
  source: c.source,
  receivedAt: iso(c.receivedAt),
});

export const coreView = (c: CoreDoc) => ({
  ...coreLink(c),
  ...(c.productId ? { productId: c.productId } : {}),
});
export type CoreView = ReturnType<typeof coreView>;

export const productLink = (p: ProductDoc): ProductLink => ({
  productId: p._id,
  remanufacturerId: p.remanufacturerId,
  productLine: p.productLine,
  serialNo: p.serialNo,
  status: p.status,
  coreIds: p.coreIds,
  ...(p.release ? { markNo: p.release.mark.markNo, warrantyUntil: p.release.warrantyUntil } : {}),
});

export const productView = (p: ProductDoc) => ({
  productId: p._id,
  remanufacturerId: p.remanufacturerId,
  productLine: p.productLine,
  serialNo: p.serialNo,
  coreIds: p.coreIds,
  status: p.status,
  checks: p.checks.map((c) => ({
    checkNo: c.checkNo,
    stage: c.stage,
    results: c.results,
    passed: c.passed,
    ...(c.note ? { note: c.note } : {}),
    at: iso(c.at),
  })),
  ...(p.release
    ? {
        release: {
          checkNo: p.release.checkNo,
          mark: p.release.mark,
          warrantyMonths: p.release.warrantyMonths,
          originalWarrantyMonths: p.release.originalWarrantyMonths,
          forbiddenUses: p.release.forbiddenUses,
          releasedOn: p.release.releasedOn,
          warrantyUntil: p.release.warrantyUntil,
          at: iso(p.release.at),
        },
      }
    : {}),
  ...(p.shipment
    ? {
        shipment: {
          shipmentId: p.shipment.shipmentId,
          use: p.shipment.use,
          buyer: p.shipment.buyer,
          at: iso(p.shipment.at),
        },
      }
    : {}),
  createdAt: iso(p.createdAt),
});
export type ProductView = ReturnType<typeof productView>;
