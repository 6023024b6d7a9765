import {
  assertScope,
  DomainError,
  RemanufacturingEventTypes,
  type CoreSource,
  type Principal,
  type RemanufacturingCoreReceivedData,
} from '@recycling/contracts';
import {
  decideAssemblySource,
  decideIntakeSource,
  sourceClaimKey,
  type CoreSourceRequest,
} from '../domain/core-sources';
import { assertQualifiedFor } from '../domain/qualification';
import { coreNotFound } from '../store/core-repository';
import type { CoreDoc } from '../store/models';
import { lineOf, monthOf, todayOf, type AppContext } from './context';
import { qualificationFacts, requireRemanufacturer } from './remanufacturers';
import { coreView, type CoreView } from './views';

export interface ReceiveCoreInput {
  productLine: string;
  source: CoreSourceRequest;
  serialNo?: string;
  intakeCheck: { passed: boolean; note?: string };
}

/** The source the request names, decided from what the vehicles and intakes topics told us. */
async function decideSource(
  ctx: AppContext,
  input: ReceiveCoreInput,
): Promise<{ source: CoreSource; seats: number }> {
  const line = lineOf(ctx, input.productLine);
  const request = input.source;
  if (request.kind === 'vehicle-assembly') {
    const found = await ctx.sources.findAssembly(request.remanufacturingCode);
    const vehicle = found ? (await ctx.sources.findVehicles([found.vehicleIntakeId]))[0] : undefined;
    const facts = found
      ? {
          remanufacturingCode: found._id,
          assembly: found.assembly,
          vin: found.vin,
          vehicleIntakeId: found.vehicleIntakeId,
          dismantlerId: found.dismantlerId,
          ...(found.serialNo ? { serialNo: found.serialNo } : {}),
          certificateNo: found.certificateNo ?? vehicle?.certificateNo,
          disputed: found.disputedBy !== undefined,
          voided: vehicle?.voided ?? false,
        }
      : null;
    return { source: decideAssemblySource(line, request, facts), seats: 1 };
  }
  const intake = await ctx.sources.findIntake(request.intakeId);
  const lineOfIntake = intake?.lines.find((l) => l.lineId === request.lineId);
  const facts =
    intake && lineOfIntake
      ? {
          intakeId: intake._id,
          stationId: intake.stationId,
          lineId: lineOfIntake.lineId,
          category: lineOfIntake.category,
          // A correction may have cut the line below what was sorted earlier: the line's units cap it.
          sortedForRemanufacturing: Math.min(
            intake.sortedForRemanufacturing.find((s) => s.lineId === lineOfIntake.lineId)?.units ?? 0,
            lineOfIntake.units,
          ),
        }
      : null;
  return decideIntakeSource(line, request, facts);
}

/** Claims one of the source's seats for the core: the first free one, or the one it already holds. */
async function claimSource(
  ctx: AppContext,
  source: CoreSource,
  seats: number,
  coreId: string,
): Promise<string> {
  let holder: string | null = null;
  for (let seat = 1; seat <= seats; seat++) {
    const key = sourceClaimKey(source, seat);
    const outcome = await ctx.claims.claimSource(key, coreId);
    if (outcome.held) return key;
    holder = outcome.holder;
  }
  throw DomainError.conflict(
    'core-already-received',
    source.kind === 'vehicle-assembly'
      ? `再制造编码 ${source.remanufacturingCode} 的旧件已入厂 / The core coded ${source.remanufacturingCode} was already received.`
      : `该入库明细分拣为再制造的数量已全部入厂 / Every unit of this intake line sorted to remanufacturing was already received.`,
    {
      fields: [
        {
          field: source.kind === 'vehicle-assembly' ? 'source.remanufacturingCode' : 'source.lineId',
          message: 'already received',
          code: 'core-already-received',
        },
      ],
      details: holder ? { coreId: holder } : {},
    },
  );
}

/**
 * A remanufacturer takes a core in: only from a lawful source the network knows, once per source
 * (per sorted unit of an intake line), on a product line it holds, with its intake check. A core
 * that fails the check is recorded as rejected and never goes into a product.
 */
export async function receiveCore(
  ctx: AppContext,
  principal: Principal,
  remanufacturerId: string,
  input: ReceiveCoreInput,
  coreId: string,
): Promise<{ view: CoreView; created: boolean }> {
  assertScope(principal, remanufacturerId);
  const existing = await ctx.cores.find(coreId);
  if (existing) return { view: coreView(existing), created: false }; // a retry with the same key
  const remanufacturer = await requireRemanufacturer(ctx, remanufacturerId);
  assertQualifiedFor(qualificationFacts(remanufacturer), input.productLine, todayOf(ctx));
  const { source, seats } = await decideSource(ctx, input);
  const claimKey = await claimSource(ctx, source, seats, coreId);
  const now = ctx.now();
  const data: RemanufacturingCoreReceivedData = {
    coreId,
    remanufacturerId,
    productLine: input.productLine,
    source,
    ...(input.serialNo ? { serialNo: input.serialNo } : {}),
    intakeCheck: input.intakeCheck,
    occurredAt: now.toISOString(),
  };
  const fields: Omit<CoreDoc, 'outbox' | 'outboxUpdatedAt' | 'createdAt' | 'updatedAt'> = {
    _id: coreId,
    remanufacturerId,
    productLine: input.productLine,
    source,
    claimKey,
    ...(input.serialNo ? { serialNo: input.serialNo } : {}),
    intakeCheck: input.intakeCheck,
    status: input.intakeCheck.passed ? 'accepted' : 'rejected',
    receivedAt: now,
    receivedBy: principal.sub,
  };
  const saved =
    (await ctx.cores.create(fields, [
      ctx.events(RemanufacturingEventTypes.coreReceived, data, { subject: coreId }),
    ])) ?? (await ctx.cores.get(coreId));
  await ctx.claims.addToDesk(remanufacturerId, monthOf(ctx), { coreId });
  ctx.logger.info(
    {
      coreId,
      remanufacturerId,
      productLine: input.productLine,
      sourceKind: source.kind,
      passed: input.intakeCheck.passed,
    },
    'core received',
  );
  return { view: coreView(saved), created: true };
}

/** A core the principal may see (its remanufacturer's operator, city-wide readers). */
export async function getCore(ctx: AppContext, principal: Principal, coreId: string): Promise<CoreDoc> {
  const core = await ctx.cores.find(coreId);
  if (!core) throw coreNotFound(coreId);
  assertScope(principal, core.remanufacturerId);
  return core;
}

/** The remanufacturer's cores received in a month (its desk), newest first. */
export async function listCores(
  ctx: AppContext,
  remanufacturerId: string,
  month?: string,
): Promise<CoreView[]> {
  const desk = await ctx.claims.desk(remanufacturerId, month ?? monthOf(ctx));
  const cores = await ctx.cores.findMany([...(desk?.coreIds ?? [])].reverse());
  return cores.map(coreView);
}
