import { DomainError, type Principal } from '@recycling/contracts';
import { traceAssembly, traceBack, traceForward, type AssemblyTrace } from '../domain/trace';
import type { AssemblySourceDoc } from '../store/models';
import type { AppContext } from './context';
import { getCore } from './cores';
import { getProduct } from './products';
import { coreLink, productLink } from './views';

// Traces read only by `_id`: a product names its cores, a core its source; forward, a source's
// claim names its core and a core use its product (docs/conventions.md, reads on the store).

/** A product back to its cores and the vehicles or intakes they came from. */
export async function productTrace(ctx: AppContext, principal: Principal, productId: string) {
  const product = await getProduct(ctx, principal, productId);
  const cores = await ctx.cores.findMany(product.coreIds);
  return traceBack(productLink(product), cores.map(coreLink));
}

/** A core back to its origin and forward to the product it went into. */
export async function coreTrace(ctx: AppContext, principal: Principal, coreId: string) {
  const core = await getCore(ctx, principal, coreId);
  const productId = await ctx.claims.productOfCore(coreId);
  const product = productId ? await ctx.products.find(productId) : null;
  return traceForward(coreLink(core), product ? productLink(product) : null);
}

async function assemblyForward(ctx: AppContext, source: AssemblySourceDoc): Promise<AssemblyTrace> {
  const coreId = await ctx.claims.sourceHolder(`assembly:${source._id}`);
  const core = coreId ? await ctx.cores.find(coreId) : null;
  const productId = core ? await ctx.claims.productOfCore(core._id) : null;
  const product = productId ? await ctx.products.find(productId) : null;
  return traceAssembly(
    {
      remanufacturingCode: source._id,
      assembly: source.assembly,
      vin: source.vin,
      vehicleIntakeId: source.vehicleIntakeId,
      ...(source.certificateNo ? { certificateNo: source.certificateNo } : {}),
      dismantlerId: source.dismantlerId,
    },
    core ? coreLink(core) : null,
    product ? productLink(product) : null,
  );
}

/** A coded assembly forward to its core and product (regulators: city-wide roles). */
export async function assemblyTrace(ctx: AppContext, remanufacturingCode: string) {
  const source = await ctx.sources.findAssembly(remanufacturingCode);
  if (!source) {
    throw DomainError.notFound(
      'assembly-not-found',
      `没有再制造编码 ${remanufacturingCode} 的总成 / No assembly coded ${remanufacturingCode}.`,
    );
  }
  return assemblyForward(ctx, source);
}

/** Every assembly of a vehicle marked for remanufacturing, forward to cores and products. */
export async function vehicleTrace(ctx: AppContext, vin: string) {
  const index = await ctx.sources.findVin(vin);
  if (!index) {
    throw DomainError.notFound(
      'vehicle-not-found',
      `没有车辆 ${vin} 的拆解记录 / No dismantling record of ${vin}.`,
    );
  }
  const records = await ctx.sources.findVehicles(index.vehicleIntakeIds);
  const intakes = [];
  for (const record of records) {
    const sources = await ctx.sources.findAssemblies(record.remanufacturingCodes);
    const assemblies: AssemblyTrace[] = [];
    for (const source of sources) assemblies.push(await assemblyForward(ctx, source));
    intakes.push({
      vehicleIntakeId: record._id,
      dismantlerId: record.dismantlerId,
      ...(record.certificateNo ? { certificateNo: record.certificateNo } : {}),
      voided: record.voided,
      dismantled: record.dismantledAt !== undefined,
      assemblies,
    });
  }
  return { vin, vehicleIntakes: intakes };
}
