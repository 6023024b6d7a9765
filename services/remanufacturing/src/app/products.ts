import {
  assertScope,
  DomainError,
  RemanufacturingEventTypes,
  type DomainFieldError,
  type Principal,
  type ProductUse,
  type RemanufacturingProductReleasedData,
  type RemanufacturingProductShippedData,
  type RemanufacturingProductStartedData,
  type RemanufacturingProductTestedData,
} from '@recycling/contracts';
import type { HydratedDocument } from 'mongoose';
import { addMonths } from '../domain/local-dates';
import { assertQualifiedFor } from '../domain/qualification';
import { assertUseAllowed, decideRelease, evaluate, type Measured } from '../domain/release';
import type { ProductDoc } from '../store/models';
import { productNotFound } from '../store/product-repository';
import { lineOf, monthOf, todayOf, type AppContext } from './context';
import { qualificationFacts, requireRemanufacturer } from './remanufacturers';
import { productView, type ProductView } from './views';

export interface StartProductInput {
  productLine: string;
  serialNo: string;
  coreIds: string[];
}

/**
 * Production starts from cores the remanufacturer received for the same line and that passed their
 * intake check; each core goes into one product (claimed by insert), and the serial is the
 * remanufacturer's once.
 */
export async function startProduct(
  ctx: AppContext,
  principal: Principal,
  remanufacturerId: string,
  input: StartProductInput,
  productId: string,
): Promise<{ view: ProductView; created: boolean }> {
  assertScope(principal, remanufacturerId);
  const existing = await ctx.products.find(productId);
  if (existing) return { view: productView(existing), created: false };
  const remanufacturer = await requireRemanufacturer(ctx, remanufacturerId);
  assertQualifiedFor(qualificationFacts(remanufacturer), input.productLine, todayOf(ctx));
  lineOf(ctx, input.productLine);

  const cores = await ctx.cores.findMany(input.coreIds);
  const byId = new Map(cores.map((c) => [c._id, c]));
  const bad: DomainFieldError[] = [];
  input.coreIds.forEach((id, i) => {
    const core = byId.get(id);
    const field = `coreIds.${i}`;
    if (!core || core.remanufacturerId !== remanufacturerId) {
      bad.push({ field, message: `no core ${id} of this remanufacturer`, code: 'unknown-core' });
    } else if (core.productLine !== input.productLine) {
      bad.push({
        field,
        message: `core ${id} was received for line ${core.productLine}`,
        code: 'core-not-for-line',
      });
    } else if (!core.intakeCheck.passed) {
      bad.push({ field, message: `core ${id} failed its intake check`, code: 'core-rejected' });
    }
  });
  if (bad.length > 0) {
    throw new DomainError(
      'invalid',
      bad[0]!.code,
      '产品只能由本企业、本产品线且入厂检测合格的旧件制造 / A product is made only of this remanufacturer’s cores of the same line that passed their intake check.',
      { fields: bad },
    );
  }

  const serial = await ctx.claims.claimSerial(remanufacturerId, input.serialNo, productId);
  if (!serial.held) {
    throw DomainError.conflict(
      'serial-taken',
      `产品序列号 ${input.serialNo} 已使用 / Serial ${input.serialNo} is taken.`,
      {
        fields: [{ field: 'serialNo', message: 'taken', code: 'serial-taken' }],
      },
    );
  }
  const used = await ctx.claims.claimCores(input.coreIds, productId);
  if (!used.ok) {
    await ctx.claims.releaseSerial(remanufacturerId, input.serialNo, productId);
    const i = input.coreIds.indexOf(used.coreId);
    throw DomainError.conflict(
      'core-already-used',
      `旧件 ${used.coreId} 已用于其他产品 / Core ${used.coreId} went into another product.`,
      {
        fields: [{ field: `coreIds.${i}`, message: 'already used', code: 'core-already-used' }],
        details: used.holder ? { productId: used.holder } : {},
      },
    );
  }

  const now = ctx.now();
  const data: RemanufacturingProductStartedData = {
    productId,
    remanufacturerId,
    productLine: input.productLine,
    serialNo: input.serialNo,
    coreIds: input.coreIds,
    occurredAt: now.toISOString(),
  };
  const saved =
    (await ctx.products.create(
      {
        _id: productId,
        remanufacturerId,
        productLine: input.productLine,
        serialNo: input.serialNo,
        coreIds: input.coreIds,
        status: 'in-production',
        checks: [],
        startedBy: principal.sub,
      },
      [ctx.events(RemanufacturingEventTypes.productStarted, data, { subject: productId })],
    )) ?? (await ctx.products.get(productId));
  // The core's own document follows (the claim is what decides; this is for reading a core).
  for (const coreId of input.coreIds) {
    await ctx.cores.update(coreId, (doc) => {
      doc.status = 'used';
      doc.productId = productId;
      return {};
    });
  }
  await ctx.claims.addToDesk(remanufacturerId, monthOf(ctx), { productId });
  return { view: productView(saved), created: true };
}

/** Load the product the principal may act on, change it under its lock, answer its view. */
async function changeProduct(
  ctx: AppContext,
  principal: Principal,
  productId: string,
  change: (doc: HydratedDocument<ProductDoc>) => Promise<{ events: ReturnType<AppContext['events']>[] }>,
): Promise<ProductView> {
  const found = await ctx.products.find(productId);
  if (!found) throw productNotFound(productId);
  assertScope(principal, found.remanufacturerId);
  const { doc } = await ctx.products.update(productId, async (doc) => change(doc));
  return productView(doc);
}

export interface CheckInput {
  stage: 'production' | 'release';
  results: Measured[];
  note?: string;
}

/**
 * Records a check in production or a release test: each result against the original's value of
 * the line's specification. A failing test is recorded (and published) like a passing one.
 */
export function recordCheck(ctx: AppContext, principal: Principal, productId: string, input: CheckInput) {
  return changeProduct(ctx, principal, productId, async (doc) => {
    if (doc.status !== 'in-production') {
      throw DomainError.conflict(
        'invalid-status',
        `产品已出厂，不能再检验 / The product was released; no more checks.`,
        {
          details: { productStatus: doc.status },
        },
      );
    }
    const line = lineOf(ctx, doc.productLine);
    const evaluation = evaluate(line, input.stage, input.results);
    const now = ctx.now();
    const checkNo = doc.checks.length + 1;
    doc.checks.push({
      checkNo,
      stage: input.stage,
      results: evaluation.results,
      passed: evaluation.passed,
      ...(input.note ? { note: input.note } : {}),
      at: now,
      by: principal.sub,
    });
    const data: RemanufacturingProductTestedData = {
      productId: doc._id,
      remanufacturerId: doc.remanufacturerId,
      productLine: doc.productLine,
      checkNo,
      stage: input.stage,
      results: evaluation.results,
      passed: evaluation.passed,
      ...(input.note ? { note: input.note } : {}),
      occurredAt: now.toISOString(),
    };
    return { events: [ctx.events(RemanufacturingEventTypes.productTested, data, { subject: doc._id })] };
  });
}

/**
 * Releases the product on its latest release test, which must have met the original in every item,
 * with a warranty no shorter than the original's; the permanent 再制造 mark gets its number.
 */
export async function releaseProduct(
  ctx: AppContext,
  principal: Principal,
  productId: string,
  input: { warrantyMonths: number },
) {
  return changeProduct(ctx, principal, productId, async (doc) => {
    const line = lineOf(ctx, doc.productLine);
    const cores = await ctx.cores.findMany(doc.coreIds);
    const { releaseCheckNo } = decideRelease(
      line,
      {
        status: doc.status,
        checks: doc.checks,
        coresChecked: cores.length === doc.coreIds.length && cores.every((c) => c.intakeCheck.passed),
      },
      input.warrantyMonths,
    );
    const remanufacturer = await requireRemanufacturer(ctx, doc.remanufacturerId);
    const today = todayOf(ctx);
    assertQualifiedFor(qualificationFacts(remanufacturer), doc.productLine, today);
    const markNo = await ctx.markNumbers.next(doc.remanufacturerId, today.slice(0, 4), doc._id);
    const now = ctx.now();
    const mark = {
      text: ctx.rules.mark.text,
      standard: ctx.rules.mark.standard,
      makerName: remanufacturer.name,
      markNo,
    };
    doc.status = 'released';
    doc.release = {
      checkNo: releaseCheckNo,
      mark,
      warrantyMonths: input.warrantyMonths,
      originalWarrantyMonths: line.original.warrantyMonths,
      forbiddenUses: [...line.forbiddenUses],
      releasedOn: today,
      warrantyUntil: addMonths(today, input.warrantyMonths),
      at: now,
      by: principal.sub,
    };
    const data: RemanufacturingProductReleasedData = {
      productId: doc._id,
      remanufacturerId: doc.remanufacturerId,
      productLine: doc.productLine,
      serialNo: doc.serialNo,
      coreIds: doc.coreIds,
      releaseCheckNo,
      mark,
      warrantyMonths: input.warrantyMonths,
      originalWarrantyMonths: line.original.warrantyMonths,
      forbiddenUses: [...line.forbiddenUses],
      occurredAt: now.toISOString(),
    };
    return { events: [ctx.events(RemanufacturingEventTypes.productReleased, data, { subject: doc._id })] };
  });
}

export interface ShipInput {
  use: ProductUse;
  buyer: { name: string; creditCode?: string };
}

/** A released product leaves once, for a use its line allows (never a new vehicle's assembly). */
export function shipProduct(
  ctx: AppContext,
  principal: Principal,
  productId: string,
  input: ShipInput,
  shipmentId: string,
) {
  return changeProduct(ctx, principal, productId, async (doc) => {
    if (doc.shipment?.shipmentId === shipmentId) return { events: [] };
    const line = lineOf(ctx, doc.productLine);
    assertUseAllowed(line, input.use);
    if (doc.status !== 'released') {
      throw DomainError.conflict(
        doc.status === 'shipped' ? 'already-shipped' : 'not-released',
        doc.status === 'shipped'
          ? '产品已发出 / The product has already left.'
          : '产品未出厂放行，不能发出 / The product was not released and cannot leave.',
        { details: { productStatus: doc.status } },
      );
    }
    const now = ctx.now();
    doc.status = 'shipped';
    doc.shipment = { shipmentId, use: input.use, buyer: input.buyer, at: now, by: principal.sub };
    const data: RemanufacturingProductShippedData = {
      productId: doc._id,
      remanufacturerId: doc.remanufacturerId,
      productLine: doc.productLine,
      shipmentId,
      use: input.use,
      buyer: input.buyer,
      occurredAt: now.toISOString(),
    };
    return { events: [ctx.events(RemanufacturingEventTypes.productShipped, data, { subject: doc._id })] };
  });
}

export async function getProduct(
  ctx: AppContext,
  principal: Principal,
  productId: string,
): Promise<ProductDoc> {
  const product = await ctx.products.find(productId);
  if (!product) throw productNotFound(productId);
  assertScope(principal, product.remanufacturerId);
  return product;
}

/** The remanufacturer's products started in a month (its desk), newest first. */
export async function listProducts(
  ctx: AppContext,
  remanufacturerId: string,
  month?: string,
): Promise<ProductView[]> {
  const desk = await ctx.claims.desk(remanufacturerId, month ?? monthOf(ctx));
  const products = await ctx.products.findMany([...(desk?.productIds ?? [])].reverse());
  return products.map(productView);
}
