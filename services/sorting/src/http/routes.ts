import {
  assertScope,
  authorize,
  idempotencyKeyHeader,
  idempotent,
  principalOf,
  ROLES,
  validated,
  type IdempotencyGuard,
  type Role,
} from '@recycling/service-kit';
import type { Request, Router } from 'express';
import type { z } from 'zod';
import { expectedArrivals } from '../app/arrivals';
import type { Actor, SortingContext } from '../app/context';
import { correctIntake } from '../app/correct-intake';
import { intakeCustody } from '../app/custody';
import { batchView, dispatchBatch } from '../app/dispatch-batch';
import { intakeView } from '../app/intake-views';
import { loadIntake } from '../app/load-intake';
import { recordIntake } from '../app/record-intake';
import { sortItems } from '../app/sort-items';
import { putStation, stationView } from '../app/stations';
import { newIntakeId } from '../domain/intake-ids';
import { RuleError } from '../domain/rule-error';
import { toHttpProblem } from './rule-errors';
import {
  ArrivalsQuery,
  BatchParams,
  CorrectIntakeBody,
  DispatchBatchBody,
  IntakeParams,
  LineParams,
  ListQuery,
  PutStationBody,
  RecordIntakeBody,
  SortItemsBody,
  StationParams,
} from './schemas';

// Every route of the service in one table: the router is mounted from it and the OpenAPI document
// is generated from it, with the same zod schemas, so neither can list a route the other lacks.

export interface RouteSpec {
  method: 'get' | 'put' | 'post';
  /** Express path (`/stations/:stationId`). */
  path: string;
  summary: string;
  roles: readonly Role[];
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  status: 200 | 201;
  /** Documented request headers (validated by the route's idempotency guard). */
  headers?: z.ZodObject;
  /** Retries with the same Idempotency-Key get the first answer; the handler gets the reserved id. */
  idempotency?: IdempotencyGuard;
  handler: (
    input: { params: never; query: never; body: never },
    actor: Actor,
    req: Request,
    reserved?: string,
  ) => Promise<unknown>;
}

const READERS: Role[] = ['station-operator', 'administrator'];
const OPERATOR: Role[] = ['station-operator'];

export function actorOf(req: Request): Actor {
  const principal = principalOf(req);
  return { sub: principal.sub, assertStation: (stationId) => assertScope(principal, stationId) };
}

// The handler's input is typed per route by `route`; the table itself holds them erased.
const route = <
  P extends z.ZodObject | undefined,
  Q extends z.ZodObject | undefined,
  B extends z.ZodType | undefined,
>(
  spec: Omit<RouteSpec, 'handler' | 'params' | 'query' | 'body'> & {
    params?: P;
    query?: Q;
    body?: B;
    handler: (
      input: {
        params: P extends z.ZodType ? z.output<P> : undefined;
        query: Q extends z.ZodType ? z.output<Q> : undefined;
        body: B extends z.ZodType ? z.output<B> : undefined;
      },
      actor: Actor,
      req: Request,
      reserved?: string,
    ) => Promise<unknown>;
  },
): RouteSpec => spec as unknown as RouteSpec;

export const IntakeIdempotencyHeader = idempotencyKeyHeader(
  'A desk retrying after a timeout sends the same key: it gets the first answer, and the intake and ' +
    'its purchase are recorded once / 超时重试时使用同一键，只入库、只付款一次',
);

/**
 * Keys are per station and operator. The intake id is reserved with the key, so a retry that takes
 * over a claim left by a crash finds the intake the crashed attempt saved instead of recording another.
 */
function intakeIdempotency(ctx: SortingContext): IdempotencyGuard {
  let guard: IdempotencyGuard | undefined;
  return (req, res, work) => {
    guard ??= idempotent({
      connection: ctx.models.Intake.db,
      collection: 'idempotency_keys',
      header: IntakeIdempotencyHeader,
      scopeOf: (r) => {
        const principal = principalOf(r);
        return `${principal.scope ?? '-'}:${principal.sub}`;
      },
      fingerprintOf: (r) => ({ stationId: r.params.stationId, body: r.body as unknown }),
      reserve: {
        field: 'intakeId',
        make: (r) => {
          const { receivedAt } = r.body as RecordIntakeBody;
          return newIntakeId(receivedAt ? new Date(receivedAt) : ctx.now(), ctx.profile.timezone);
        },
      },
      now: () => ctx.now(),
    });
    return guard(req, res, work);
  };
}

export function routeTable(ctx: SortingContext, openApi: () => unknown): RouteSpec[] {
  const { Station, Intake, Batch } = ctx.models;
  return [
    route({
      method: 'get',
      path: '/openapi.json',
      summary: 'This OpenAPI document / 接口说明',
      roles: [...ROLES],
      status: 200,
      handler: async () => openApi(),
    }),
    route({
      method: 'get',
      path: '/stations',
      summary: 'List stations / 回收站列表',
      roles: ['administrator'],
      status: 200,
      handler: async () => ({ stations: (await Station.find().sort({ _id: 1 }).lean()).map(stationView) }),
    }),
    route({
      method: 'put',
      path: '/stations/:stationId',
      summary: 'Create or replace a station / 登记或更新回收站',
      roles: ['administrator'],
      params: StationParams,
      body: PutStationBody,
      status: 200,
      handler: async ({ params, body }) =>
        stationView((await putStation(ctx, params.stationId, body)).station),
    }),
    route({
      method: 'get',
      path: '/stations/:stationId',
      summary: 'A station / 回收站',
      roles: READERS,
      params: StationParams,
      status: 200,
      handler: async ({ params }, actor) => {
        actor.assertStation(params.stationId);
        const station = await Station.findById(params.stationId).lean();
        if (!station) throw new RuleError('not-found', `没有该回收站 / No station ${params.stationId}`);
        return stationView(station);
      },
    }),
    route({
      method: 'get',
      path: '/stations/:stationId/expected-arrivals',
      summary: 'Pickups expected at the desk / 待到站的上门回收',
      roles: READERS,
      params: StationParams,
      query: ArrivalsQuery,
      status: 200,
      handler: async ({ params, query }, actor) => {
        actor.assertStation(params.stationId);
        return { arrivals: await expectedArrivals(ctx, params.stationId, query.date) };
      },
    }),
    route({
      method: 'post',
      path: '/stations/:stationId/intakes',
      summary: 'Record an intake: weigh, classify, pay / 入库登记（称重、分类、付款）',
      roles: OPERATOR,
      params: StationParams,
      body: RecordIntakeBody,
      headers: IntakeIdempotencyHeader,
      idempotency: intakeIdempotency(ctx),
      status: 201,
      handler: ({ params, body }, actor, _req, intakeId) =>
        recordIntake(ctx, actor, params.stationId, body, intakeId),
    }),
    route({
      method: 'get',
      path: '/stations/:stationId/intakes',
      summary: 'Recent intakes of a station / 回收站入库记录',
      roles: READERS,
      params: StationParams,
      query: ListQuery,
      status: 200,
      handler: async ({ params, query }, actor) => {
        actor.assertStation(params.stationId);
        const docs = await Intake.find({ stationId: params.stationId })
          .sort({ receivedAt: -1 })
          .limit(query.limit)
          .lean();
        return { intakes: docs.map(intakeView) };
      },
    }),
    route({
      method: 'get',
      path: '/intakes/:intakeId',
      summary: 'An intake with its revisions / 入库单及其更正记录',
      roles: READERS,
      params: IntakeParams,
      status: 200,
      handler: async ({ params }, actor) =>
        intakeView((await loadIntake(ctx, actor, params.intakeId)).toObject()),
    }),
    route({
      method: 'post',
      path: '/intakes/:intakeId/corrections',
      summary: 'Correct an intake (a new revision with its reason) / 更正入库单',
      roles: OPERATOR,
      params: IntakeParams,
      body: CorrectIntakeBody,
      status: 201,
      handler: ({ params, body }, actor) => correctIntake(ctx, actor, params.intakeId, body),
    }),
    route({
      method: 'post',
      path: '/intakes/:intakeId/sorting',
      summary: 'Record sorting outcomes of items / 登记分拣去向',
      roles: OPERATOR,
      params: IntakeParams,
      body: SortItemsBody,
      status: 201,
      handler: ({ params, body }, actor) => sortItems(ctx, actor, params.intakeId, body),
    }),
    route({
      method: 'get',
      path: '/intakes/:intakeId/custody',
      summary: 'Chain of custody of every item of an intake / 入库单全部物品的流向',
      roles: READERS,
      params: IntakeParams,
      status: 200,
      handler: ({ params }, actor) => intakeCustody(ctx, actor, params.intakeId),
    }),
    route({
      method: 'get',
      path: '/intakes/:intakeId/lines/:lineId/custody',
      summary:
        'Chain of custody of one item, from pickup to dispatch batch / 单件物品从上门回收到发运批次的流向',
      roles: READERS,
      params: LineParams,
      status: 200,
      handler: async ({ params }, actor) => {
        const custody = await intakeCustody(ctx, actor, params.intakeId, params.lineId);
        const { lines, ...rest } = custody;
        return { ...rest, line: lines[0] };
      },
    }),
    route({
      method: 'post',
      path: '/stations/:stationId/batches',
      summary: 'Dispatch a batch to a licensed processor / 发运批次至有资质的处理企业',
      roles: OPERATOR,
      params: StationParams,
      body: DispatchBatchBody,
      status: 201,
      handler: ({ params, body }, actor) => dispatchBatch(ctx, actor, params.stationId, body),
    }),
    route({
      method: 'get',
      path: '/stations/:stationId/batches',
      summary: 'Batches of a station / 回收站发运批次',
      roles: READERS,
      params: StationParams,
      query: ListQuery,
      status: 200,
      handler: async ({ params, query }, actor) => {
        actor.assertStation(params.stationId);
        const docs = await Batch.find({ stationId: params.stationId })
          .sort({ dispatchedAt: -1 })
          .limit(query.limit)
          .lean();
        return { batches: docs.map(batchView) };
      },
    }),
    route({
      method: 'get',
      path: '/batches/:batchId',
      summary: 'A dispatch batch / 发运批次',
      roles: READERS,
      params: BatchParams,
      status: 200,
      handler: async ({ params }, actor) => {
        const batch = await Batch.findById(params.batchId).lean();
        if (!batch) throw new RuleError('not-found', `没有该批次 / No batch ${params.batchId}`);
        actor.assertStation(batch.stationId);
        return batchView(batch);
      },
    }),
  ];
}

export function mountRoutes(router: Router, table: readonly RouteSpec[]): void {
  for (const spec of table) {
    router[spec.method](
      spec.path,
      authorize(...spec.roles),
      validated({ params: spec.params, query: spec.query, body: spec.body }, async (input, req, res) => {
        // Refusals become problems inside the guard, so it stores and replays them as answers.
        const answer = async (reserved?: string) => {
          try {
            return {
              status: spec.status,
              body: await spec.handler(input as never, actorOf(req), req, reserved),
            };
          } catch (error) {
            throw toHttpProblem(error);
          }
        };
        if (spec.idempotency) {
          await spec.idempotency(req, res, answer);
          return;
        }
        const { status, body } = await answer();
        res.status(status).json(body);
      }),
    );
  }
}
