import type { Principal } from '@recycling/contracts';
import { endpoint, problemResponse, type Endpoint } from '@recycling/service-kit';
import { expectedArrivals } from '../app/arrivals';
import type { SortingContext } from '../app/context';
import { correctIntake } from '../app/correct-intake';
import { intakeCustody, lineCustody } from '../app/custody';
import { dispatchBatch, getBatch, latestBatches } from '../app/dispatch-batch';
import { getIntake, latestIntakes } from '../app/read-intakes';
import { recordIntake, reserveIntakeId } from '../app/record-intake';
import { sortItems } from '../app/sort-items';
import { stationWorkList } from '../app/work-list';
import { getStation, listStations, putStation, stationView } from '../app/stations';
import {
  ArrivalList,
  ArrivalsQuery,
  BatchList,
  BatchParams,
  BatchView,
  CorrectIntakeBody,
  DispatchBatchBody,
  IntakeCustodyView,
  IntakeIdempotencyHeader,
  IntakeList,
  IntakeParams,
  IntakeView,
  LineParams,
  ListQuery,
  OneLineCustodyView,
  PutStationBody,
  RecordIntakeBody,
  SortItemsBody,
  StationList,
  StationParams,
  StationView,
  WorkListQuery,
  WorkListView,
} from './schemas';

const READERS = ['station-operator', 'administrator'] as const;
const OPERATOR = ['station-operator'] as const;

/** Routes under `/stations/:stationId`: the kit checks the station against the token's scope. */
const ownStation = { rule: 'an operator only their own station', param: 'stationId' };
/** Routes of an intake or a batch: the use case checks the station the record belongs to. */
const ownIntakes = {
  rule: "an operator only intakes of their own station (checked on the intake's station)",
};
const ownBatches = { rule: "an operator only batches of their own station (checked on the batch's station)" };

const stationNotFound = problemResponse('没有该回收站 / No such station');
const intakeNotFound = problemResponse('没有该入库单 / No such intake');
const conflict = (what: string) => problemResponse(`与当前状态冲突 / ${what}`);

/** Idempotency-Keys are the station's and the operator's: two operators of a station never share one. */
const deskKeyScope = (principal: Principal) => `${principal.scope ?? '-'}:${principal.sub}`;

export function sortingEndpoints(ctx: SortingContext): Endpoint[] {
  return [
    endpoint({
      method: 'get',
      path: '/stations',
      operationId: 'listStations',
      summary: { zh: '回收站列表', en: 'List stations' },
      roles: ['administrator'],
      responses: { 200: { description: '按编号 / By id', schema: StationList } },
      handler: async () => ({ stations: await listStations(ctx) }),
    }),
    endpoint({
      method: 'put',
      path: '/stations/:stationId',
      operationId: 'putStation',
      summary: { zh: '登记或更新回收站', en: 'Create or replace a station' },
      roles: ['administrator'],
      request: { params: StationParams, body: PutStationBody },
      responses: { 200: { description: '已保存 / Saved', schema: StationView } },
      handler: ({ params, body }) => putStation(ctx, params.stationId, body),
    }),
    endpoint({
      method: 'get',
      path: '/stations/:stationId',
      operationId: 'getStation',
      summary: { zh: '回收站', en: 'A station' },
      roles: [...READERS],
      scope: ownStation,
      request: { params: StationParams },
      responses: { 200: { description: '回收站 / The station', schema: StationView }, 404: stationNotFound },
      handler: async ({ params }) => stationView(await getStation(ctx, params.stationId)),
    }),
    endpoint({
      method: 'get',
      path: '/stations/:stationId/expected-arrivals',
      operationId: 'listExpectedArrivals',
      summary: { zh: '待到站的上门回收', en: 'Pickups expected at the desk' },
      roles: [...READERS],
      scope: ownStation,
      request: { params: StationParams, query: ArrivalsQuery },
      responses: { 200: { description: '按上门日期 / By visit date', schema: ArrivalList } },
      handler: async ({ params, query }) => ({
        arrivals: await expectedArrivals(ctx, params.stationId, query.date),
      }),
    }),
    endpoint({
      method: 'get',
      path: '/stations/:stationId/work-list',
      operationId: 'getStationWorkList',
      summary: {
        zh: '回收站当日工作清单：待上门、待入库付款、已入库、待分拣、待发运',
        en: "The station's day: collections due, to receive and pay, received, to sort, to dispatch",
      },
      roles: [...READERS],
      scope: ownStation,
      request: { params: StationParams, query: WorkListQuery },
      responses: { 200: { description: '当日清单 / The day', schema: WorkListView } },
      handler: ({ params, query }) => stationWorkList(ctx, params.stationId, query.date),
    }),
    endpoint({
      method: 'post',
      path: '/stations/:stationId/intakes',
      operationId: 'recordIntake',
      summary: { zh: '入库登记（称重、分类、付款）', en: 'Record an intake: weigh, classify, pay' },
      roles: [...OPERATOR],
      scope: ownStation,
      // The intake id is reserved with the key: a retry that takes over a claim left by a crash
      // finds the intake the crashed attempt saved instead of recording another.
      idempotency: { scopeOf: deskKeyScope, reserve: () => reserveIntakeId(ctx) },
      request: { params: StationParams, body: RecordIntakeBody, headers: IntakeIdempotencyHeader },
      responses: {
        201: { description: '已入库 / Recorded', schema: IntakeView },
        404: stationNotFound,
        409: conflict(
          'The station is inactive, the pickup was received already, belongs to another station or was ' +
            'called off; or the same Idempotency-Key is still being processed (Retry-After)',
        ),
      },
      handler: ({ params, body, principal, reserved }) =>
        recordIntake(ctx, principal, params.stationId, body, reserved!),
    }),
    endpoint({
      method: 'get',
      path: '/stations/:stationId/intakes',
      operationId: 'listIntakes',
      summary: { zh: '回收站入库记录', en: 'Recent intakes of a station' },
      roles: [...READERS],
      scope: ownStation,
      request: { params: StationParams, query: ListQuery },
      responses: { 200: { description: '最新在前 / Newest first', schema: IntakeList } },
      handler: async ({ params, query }) => ({
        intakes: await latestIntakes(ctx, params.stationId, query.limit),
      }),
    }),
    endpoint({
      method: 'get',
      path: '/intakes/:intakeId',
      operationId: 'getIntake',
      summary: { zh: '入库单及其更正记录', en: 'An intake with its revisions' },
      roles: [...READERS],
      scope: ownIntakes,
      request: { params: IntakeParams },
      responses: { 200: { description: '入库单 / The intake', schema: IntakeView }, 404: intakeNotFound },
      handler: ({ params, principal }) => getIntake(ctx, principal, params.intakeId),
    }),
    endpoint({
      method: 'post',
      path: '/intakes/:intakeId/corrections',
      operationId: 'correctIntake',
      summary: { zh: '更正入库单', en: 'Correct an intake (a new revision with its reason)' },
      roles: [...OPERATOR],
      scope: ownIntakes,
      request: { params: IntakeParams, body: CorrectIntakeBody },
      responses: {
        201: { description: '新版本 / The new revision', schema: IntakeView },
        404: intakeNotFound,
        409: conflict('The correction would take away units already sorted'),
      },
      handler: ({ params, body, principal }) => correctIntake(ctx, principal, params.intakeId, body),
    }),
    endpoint({
      method: 'post',
      path: '/intakes/:intakeId/sorting',
      operationId: 'sortItems',
      summary: { zh: '登记分拣去向', en: 'Record sorting outcomes of items' },
      roles: [...OPERATOR],
      scope: ownIntakes,
      request: { params: IntakeParams, body: SortItemsBody },
      responses: {
        201: { description: '已登记 / Recorded', schema: IntakeView },
        404: intakeNotFound,
        409: conflict('More units than the line has would be sorted'),
      },
      handler: ({ params, body, principal }) => sortItems(ctx, principal, params.intakeId, body),
    }),
    endpoint({
      method: 'get',
      path: '/intakes/:intakeId/custody',
      operationId: 'getIntakeCustody',
      summary: { zh: '入库单全部物品的流向', en: 'Chain of custody of every item of an intake' },
      roles: [...READERS],
      scope: ownIntakes,
      request: { params: IntakeParams },
      responses: {
        200: { description: '流向 / Custody', schema: IntakeCustodyView },
        404: intakeNotFound,
      },
      handler: ({ params, principal }) => intakeCustody(ctx, principal, params.intakeId),
    }),
    endpoint({
      method: 'get',
      path: '/intakes/:intakeId/lines/:lineId/custody',
      operationId: 'getLineCustody',
      summary: {
        zh: '单件物品从上门回收到发运批次的流向',
        en: 'Chain of custody of one item, from pickup to dispatch batch',
      },
      roles: [...READERS],
      scope: ownIntakes,
      request: { params: LineParams },
      responses: {
        200: { description: '流向 / Custody', schema: OneLineCustodyView },
        404: problemResponse('没有该入库单或明细 / No such intake or line'),
      },
      handler: ({ params, principal }) => lineCustody(ctx, principal, params.intakeId, params.lineId),
    }),
    endpoint({
      method: 'post',
      path: '/stations/:stationId/batches',
      operationId: 'dispatchBatch',
      summary: { zh: '发运批次至有资质的处理企业', en: 'Dispatch a batch to a licensed processor' },
      roles: [...OPERATOR],
      scope: ownStation,
      request: { params: StationParams, body: DispatchBatchBody },
      responses: {
        201: { description: '已发运 / Dispatched', schema: BatchView },
        404: stationNotFound,
        409: conflict('The station is inactive, or fewer sorted units are waiting to leave'),
      },
      handler: ({ params, body, principal }) => dispatchBatch(ctx, principal, params.stationId, body),
    }),
    endpoint({
      method: 'get',
      path: '/stations/:stationId/batches',
      operationId: 'listBatches',
      summary: { zh: '回收站发运批次', en: 'Batches of a station' },
      roles: [...READERS],
      scope: ownStation,
      request: { params: StationParams, query: ListQuery },
      responses: { 200: { description: '最新在前 / Newest first', schema: BatchList } },
      handler: async ({ params, query }) => ({
        batches: await latestBatches(ctx, params.stationId, query.limit),
      }),
    }),
    endpoint({
      method: 'get',
      path: '/batches/:batchId',
      operationId: 'getBatch',
      summary: { zh: '发运批次', en: 'A dispatch batch' },
      roles: [...READERS],
      scope: ownBatches,
      request: { params: BatchParams },
      responses: {
        200: { description: '批次 / The batch', schema: BatchView },
        404: problemResponse('没有该批次 / No such batch'),
      },
      handler: ({ params, principal }) => getBatch(ctx, principal, params.batchId),
    }),
  ];
}
