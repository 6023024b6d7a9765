import type { CityProfile } from '@recycling/contracts';
import { endpoint, problemResponse, reply, ROLES, type Endpoint, type Role } from '@recycling/service-kit';
import { z } from 'zod';
import { todayOf, type AppContext } from '../app/context';
import { getCore, listCores, receiveCore, type ReceiveCoreInput } from '../app/cores';
import {
  getProduct,
  listProducts,
  recordCheck,
  releaseProduct,
  shipProduct,
  startProduct,
} from '../app/products';
import { getRemanufacturer, listRemanufacturers, putRemanufacturer } from '../app/remanufacturers';
import { assemblyTrace, coreTrace, productTrace, vehicleTrace } from '../app/traces';
import { coreView, productView } from '../app/views';
import { newCoreId, newProductId, newShipmentId } from '../domain/ids';
import {
  AssemblyParams,
  AssemblyTraceView,
  CheckBody,
  CoreParams,
  CoreTraceView,
  CoreView,
  DeskQuery,
  httpSchemas,
  ProductLinesView,
  ProductParams,
  ProductTraceView,
  ProductView,
  ReceiveCoreBody,
  ReleaseBody,
  RemanufacturerParams,
  RemanufacturerView,
  ShipBody,
  StartProductBody,
  VehicleTraceView,
  VinParams,
} from './schemas';

const OPERATOR: Role = 'remanufacturer-operator';
const READERS: readonly Role[] = [OPERATOR, 'city-official', 'administrator'];
const REGULATORS: readonly Role[] = ['city-official', 'administrator'];
const ownRemanufacturer = {
  rule: 'an operator only its own remanufacturer (token scope = remanufacturerId); city-wide roles all',
  param: 'remanufacturerId',
};
const ownRecord = {
  rule: 'an operator only the cores and products of its own remanufacturer (403 otherwise); city-wide roles all',
};
const notFound = (what: string) => problemResponse(`未找到 / No such ${what}`);
const conflict = problemResponse(
  '当前状态不允许，或已被占用 / Not allowed in the current state, or already taken',
);
const unknownSource = problemResponse(
  '旧件来源不明（网络中无此拆解总成或入库明细），或未分拣为再制造 / Unknown core source, or not sorted to remanufacturing',
);
const todayOfCtx = (ctx: AppContext) => todayOf(ctx);

export function remanufacturingEndpoints(ctx: AppContext, profile: CityProfile): Endpoint[] {
  const s = httpSchemas(profile);
  return [
    endpoint({
      method: 'get',
      path: '/remanufacturing-lines',
      operationId: 'listProductLines',
      summary: {
        zh: '再制造产品线、原型新品指标与质保',
        en: 'Product lines, the originals’ specifications and warranties',
      },
      roles: [...ROLES],
      responses: { 200: { description: 'From the city profile', schema: ProductLinesView } },
      handler: async () => ({
        mark: ctx.rules.mark,
        assumed: ctx.rules.assumed,
        source: ctx.rules.source,
        productLines: ctx.rules.productLines,
      }),
    }),
    endpoint({
      method: 'put',
      path: '/remanufacturers/:remanufacturerId',
      operationId: 'putRemanufacturer',
      summary: {
        zh: '登记再制造企业及其资质、产品线',
        en: 'Record a remanufacturer, its qualification and lines',
      },
      roles: ['administrator'],
      request: { params: RemanufacturerParams, body: s.RemanufacturerBody },
      responses: {
        200: { description: '已更新 / Updated', schema: RemanufacturerView },
        201: { description: '已登记 / Created', schema: RemanufacturerView },
      },
      handler: async ({ params, body, principal }) => {
        const { view, created } = await putRemanufacturer(ctx, params.remanufacturerId, body, principal.sub);
        return reply(created ? 201 : 200, view);
      },
    }),
    endpoint({
      method: 'get',
      path: '/remanufacturers',
      operationId: 'listRemanufacturers',
      summary: { zh: '再制造企业名录', en: 'The city’s remanufacturers' },
      roles: REGULATORS,
      responses: { 200: { description: 'By id', schema: z.object({ items: z.array(RemanufacturerView) }) } },
      handler: async () => ({ items: await listRemanufacturers(ctx) }),
    }),
    endpoint({
      method: 'get',
      path: '/remanufacturers/:remanufacturerId',
      operationId: 'getRemanufacturer',
      summary: { zh: '再制造企业详情', en: 'A remanufacturer' },
      roles: READERS,
      scope: ownRemanufacturer,
      request: { params: RemanufacturerParams },
      responses: {
        200: { description: 'The remanufacturer', schema: RemanufacturerView },
        404: notFound('remanufacturer'),
      },
      handler: async ({ params, principal }) => getRemanufacturer(ctx, principal, params.remanufacturerId),
    }),
    endpoint({
      method: 'post',
      path: '/remanufacturers/:remanufacturerId/cores',
      operationId: 'receiveCore',
      summary: {
        zh: '旧件入厂（仅限合法来源）并登记入厂检测',
        en: 'Receive a core from a lawful source, with its intake check',
      },
      description:
        'A vehicle assembly is named by the code the dismantler gave it and the vehicle’s recycling certificate; equipment by the station intake and line the station sorted to remanufacturing. A source the network has not seen is refused (422 unknown-core-source). Idempotency-Key makes a retry safe.',
      roles: [OPERATOR],
      scope: ownRemanufacturer,
      idempotency: { reserve: () => newCoreId(todayOfCtx(ctx)) },
      request: { params: RemanufacturerParams, body: ReceiveCoreBody },
      responses: {
        201: { description: '已入厂 / Received', schema: CoreView },
        404: notFound('remanufacturer'),
        409: conflict,
        422: unknownSource,
      },
      handler: async ({ params, body, principal, reserved }) => {
        const { view } = await receiveCore(
          ctx,
          principal,
          params.remanufacturerId,
          body as ReceiveCoreInput,
          reserved ?? newCoreId(todayOf(ctx)),
        );
        return reply(201, view, { Location: `/cores/${view.coreId}` });
      },
    }),
    endpoint({
      method: 'get',
      path: '/remanufacturers/:remanufacturerId/cores',
      operationId: 'listCores',
      summary: { zh: '本月（或指定月份）入厂的旧件', en: 'Cores received in a month' },
      roles: READERS,
      scope: ownRemanufacturer,
      request: { params: RemanufacturerParams, query: DeskQuery },
      responses: { 200: { description: 'Newest first', schema: z.object({ items: z.array(CoreView) }) } },
      handler: async ({ params, query }) => ({
        items: await listCores(ctx, params.remanufacturerId, query.month),
      }),
    }),
    endpoint({
      method: 'get',
      path: '/cores/:coreId',
      operationId: 'getCore',
      summary: { zh: '旧件详情', en: 'A core' },
      roles: READERS,
      scope: ownRecord,
      request: { params: CoreParams },
      responses: { 200: { description: 'The core', schema: CoreView }, 404: notFound('core') },
      handler: async ({ params, principal }) => coreView(await getCore(ctx, principal, params.coreId)),
    }),
    endpoint({
      method: 'get',
      path: '/cores/:coreId/trace',
      operationId: 'traceCore',
      summary: {
        zh: '旧件追溯：来源车辆或入库单，及所制成的产品',
        en: 'A core back to its origin and forward to its product',
      },
      roles: READERS,
      scope: ownRecord,
      request: { params: CoreParams },
      responses: { 200: { description: 'Both ways', schema: CoreTraceView }, 404: notFound('core') },
      handler: async ({ params, principal }) => coreTrace(ctx, principal, params.coreId),
    }),
    endpoint({
      method: 'post',
      path: '/remanufacturers/:remanufacturerId/products',
      operationId: 'startProduct',
      summary: { zh: '以检测合格的旧件开始再制造', en: 'Start a product from checked cores' },
      roles: [OPERATOR],
      scope: ownRemanufacturer,
      idempotency: { reserve: () => newProductId(todayOfCtx(ctx)) },
      request: { params: RemanufacturerParams, body: StartProductBody },
      responses: {
        201: { description: '已开始 / Started', schema: ProductView },
        404: notFound('remanufacturer'),
        409: conflict,
      },
      handler: async ({ params, body, principal, reserved }) => {
        const { view } = await startProduct(
          ctx,
          principal,
          params.remanufacturerId,
          body,
          reserved ?? newProductId(todayOf(ctx)),
        );
        return reply(201, view, { Location: `/products/${view.productId}` });
      },
    }),
    endpoint({
      method: 'get',
      path: '/remanufacturers/:remanufacturerId/products',
      operationId: 'listProducts',
      summary: { zh: '本月（或指定月份）开始的产品', en: 'Products started in a month' },
      roles: READERS,
      scope: ownRemanufacturer,
      request: { params: RemanufacturerParams, query: DeskQuery },
      responses: { 200: { description: 'Newest first', schema: z.object({ items: z.array(ProductView) }) } },
      handler: async ({ params, query }) => ({
        items: await listProducts(ctx, params.remanufacturerId, query.month),
      }),
    }),
    endpoint({
      method: 'get',
      path: '/products/:productId',
      operationId: 'getProduct',
      summary: { zh: '再制造产品详情及检验记录', en: 'A product with its checks' },
      roles: READERS,
      scope: ownRecord,
      request: { params: ProductParams },
      responses: { 200: { description: 'The product', schema: ProductView }, 404: notFound('product') },
      handler: async ({ params, principal }) =>
        productView(await getProduct(ctx, principal, params.productId)),
    }),
    endpoint({
      method: 'post',
      path: '/products/:productId/checks',
      operationId: 'recordCheck',
      summary: { zh: '登记过程检验或出厂检验结果', en: 'Record an in-production check or a release test' },
      description:
        'Each result is compared with the original new product’s value of the line’s specification. A release test passes only when it measures every item and every result is at or above the original’s; a failing test is recorded too.',
      roles: [OPERATOR],
      scope: ownRecord,
      request: { params: ProductParams, body: CheckBody },
      responses: {
        200: {
          description: '已登记（passed 表示是否合格）/ Recorded (passed says whether it met the original)',
          schema: ProductView,
        },
        404: notFound('product'),
        409: conflict,
      },
      handler: async ({ params, body, principal }) => recordCheck(ctx, principal, params.productId, body),
    }),
    endpoint({
      method: 'post',
      path: '/products/:productId/release',
      operationId: 'releaseProduct',
      summary: {
        zh: '出厂放行：加施再制造标识并给出质保',
        en: 'Release with the 再制造 mark and a warranty',
      },
      description:
        'Refused (409 release-test-failed) unless the latest release test met the original in every item; refused (400 warrantyMonths) for a warranty shorter than the original’s.',
      roles: [OPERATOR],
      scope: ownRecord,
      request: { params: ProductParams, body: ReleaseBody },
      responses: {
        200: { description: '已放行 / Released', schema: ProductView },
        404: notFound('product'),
        409: conflict,
      },
      handler: async ({ params, body, principal }) => releaseProduct(ctx, principal, params.productId, body),
    }),
    endpoint({
      method: 'post',
      path: '/products/:productId/shipments',
      operationId: 'shipProduct',
      summary: {
        zh: '产品发出（不得用于组装新车）',
        en: 'Ship a released product (never to build a new vehicle)',
      },
      roles: [OPERATOR],
      scope: ownRecord,
      idempotency: { reserve: () => newShipmentId(todayOfCtx(ctx)) },
      request: { params: ProductParams, body: ShipBody },
      responses: {
        200: { description: '已发出 / Shipped', schema: ProductView },
        404: notFound('product'),
        409: conflict,
      },
      handler: async ({ params, body, principal, reserved }) =>
        shipProduct(ctx, principal, params.productId, body, reserved ?? newShipmentId(todayOf(ctx))),
    }),
    endpoint({
      method: 'get',
      path: '/products/:productId/trace',
      operationId: 'traceProduct',
      summary: {
        zh: '产品追溯：所用旧件及其来源车辆或入库单',
        en: 'A product back to its cores and their vehicles or intakes',
      },
      roles: READERS,
      scope: ownRecord,
      request: { params: ProductParams },
      responses: {
        200: { description: 'Back to the origins', schema: ProductTraceView },
        404: notFound('product'),
      },
      handler: async ({ params, principal }) => productTrace(ctx, principal, params.productId),
    }),
    endpoint({
      method: 'get',
      path: '/traces/vehicles/:vin',
      operationId: 'traceVehicle',
      summary: {
        zh: '车辆追溯：标记再制造的总成去向',
        en: 'A vehicle’s assemblies marked for remanufacturing, forward',
      },
      roles: REGULATORS,
      request: { params: VinParams },
      responses: {
        200: { description: 'Every intake of the VIN', schema: VehicleTraceView },
        404: notFound('vehicle'),
      },
      handler: async ({ params }) => vehicleTrace(ctx, params.vin),
    }),
    endpoint({
      method: 'get',
      path: '/traces/assemblies/:remanufacturingCode',
      operationId: 'traceAssembly',
      summary: {
        zh: '总成追溯：按再制造编码查旧件与产品',
        en: 'A coded assembly forward to its core and product',
      },
      roles: REGULATORS,
      request: { params: AssemblyParams },
      responses: { 200: { description: 'Forward', schema: AssemblyTraceView }, 404: notFound('assembly') },
      handler: async ({ params }) => assemblyTrace(ctx, params.remanufacturingCode),
    }),
  ];
}
