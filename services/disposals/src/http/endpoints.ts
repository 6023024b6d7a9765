import { disposalModes, type CityProfile } from '@recycling/contracts';
import {
  endpoint,
  problemResponse,
  reply,
  ROLES,
  type Endpoint,
  type Principal,
  type Role,
} from '@recycling/service-kit';
import { z } from 'zod';
import {
  acknowledgeDifferences,
  assetFate,
  cancelBatch,
  closeBatch,
  collectBatch,
  getBatch,
  handOver,
  listBatches,
  receiveBatch,
  recordCertificate,
  recordProceeds,
} from '../app/batch-actions';
import { todayOf, type AppContext } from '../app/context';
import { getInstitution, listInstitutions, putInstitution } from '../app/institutions';
import { registerBatch, type RegisterBatchInput } from '../app/register-batch';
import type { FoundItem } from '../domain/receipt';
import { newBatchId } from '../domain/ids';
import {
  AcknowledgeBody,
  AssetFateView,
  AssetParams,
  BatchParams,
  BatchView,
  CancelBody,
  CertificateBody,
  CreditCodeParams,
  DisposalRulesView,
  HandoverBody,
  httpSchemas,
  InstitutionView,
  ProceedsBody,
  StationParams,
} from './schemas';

const INSTITUTION: Role = 'public-institution';
const STATION: Role = 'station-operator';
const FINANCE: Role = 'finance-officer';
const ADMIN: Role = 'administrator';
const ownInstitution = {
  rule: 'an institution only its own (token scope = its unified social credit code); the finance bureau and administrators all',
  param: 'creditCode',
};
const batchParties = {
  rule: 'the batch’s institution, the station it is handed to (token scope = station id); the finance bureau and administrators read all',
};
const notFound = (what: string) => problemResponse(`未找到 / No such ${what}`);
const conflict = problemResponse(
  '当前状态不允许，或已被占用 / Not allowed in the current state, or already taken',
);

export function disposalEndpoints(ctx: AppContext, profile: CityProfile): Endpoint[] {
  const s = httpSchemas(profile);
  /** A step of a batch (`POST /disposal-batches/:batchId/<step>`): one shape, one use case each. */
  const step = <B extends z.ZodType>(
    path: string,
    operationId: string,
    summary: { zh: string; en: string },
    roles: readonly Role[],
    body: B | undefined,
    use: (batchId: string, input: z.output<B>, call: { principal: Principal }) => Promise<unknown>,
    extra: { description?: string; responses?: Record<number, ReturnType<typeof problemResponse>> } = {},
  ) =>
    endpoint({
      method: 'post',
      path: `/disposal-batches/:batchId/${path}`,
      operationId,
      summary,
      ...(extra.description ? { description: extra.description } : {}),
      roles,
      scope: batchParties,
      request: body ? { params: BatchParams, body } : { params: BatchParams },
      responses: {
        200: { description: `${summary.zh} / ${summary.en}`, schema: BatchView },
        404: notFound('batch'),
        409: conflict,
        ...(extra.responses ?? {}),
      },
      handler: async ({ params, body: input, principal }) =>
        use((params as { batchId: string }).batchId, input as z.output<B>, { principal }),
    });

  return [
    endpoint({
      method: 'get',
      path: '/disposal-rules',
      operationId: 'getDisposalRules',
      summary: {
        zh: '处置方式、资产类别与最低使用年限、持证接收单位',
        en: 'Modes, asset categories with minimum lives, licensed receivers',
      },
      roles: [...ROLES],
      responses: { 200: { description: 'From the city profile', schema: DisposalRulesView } },
      handler: async () => ({
        assumed: ctx.rules.assumed,
        source: ctx.rules.source,
        modes: Object.values(disposalModes),
        assetCategories: ctx.rules.assetCategories,
        receivers: ctx.rules.receivers,
        treasury: ctx.rules.treasury,
      }),
    }),
    endpoint({
      method: 'put',
      path: '/institutions/:creditCode',
      operationId: 'putInstitution',
      summary: { zh: '登记公共机构', en: 'Record a public institution' },
      roles: [ADMIN],
      request: { params: CreditCodeParams, body: s.InstitutionBody },
      responses: {
        200: { description: '已更新 / Updated', schema: InstitutionView },
        201: { description: '已登记 / Created', schema: InstitutionView },
      },
      handler: async ({ params, body, principal }) => {
        const { view, created } = await putInstitution(ctx, params.creditCode, body, principal.sub);
        return reply(created ? 201 : 200, view);
      },
    }),
    endpoint({
      method: 'get',
      path: '/institutions',
      operationId: 'listInstitutions',
      summary: { zh: '公共机构名录', en: 'The city’s public institutions' },
      roles: [FINANCE, ADMIN],
      responses: {
        200: { description: 'By credit code', schema: z.object({ items: z.array(InstitutionView) }) },
      },
      handler: async () => ({ items: await listInstitutions(ctx) }),
    }),
    endpoint({
      method: 'get',
      path: '/institutions/:creditCode',
      operationId: 'getInstitution',
      summary: { zh: '公共机构详情', en: 'A public institution' },
      roles: [INSTITUTION, FINANCE, ADMIN],
      scope: ownInstitution,
      request: { params: CreditCodeParams },
      responses: {
        200: { description: 'The institution', schema: InstitutionView },
        404: notFound('institution'),
      },
      handler: async ({ params, principal }) => getInstitution(ctx, principal, params.creditCode),
    }),
    endpoint({
      method: 'post',
      path: '/institutions/:creditCode/disposal-batches',
      operationId: 'registerDisposalBatch',
      summary: { zh: '登记资产处置批次', en: 'Register a disposal batch of state assets' },
      description:
        'Scrapping an asset before its minimum service life (city profile) is refused with a 400 naming assets.<i>.earlyScrapApproval unless that approval is given; an asset no licensed receiver may take is refused (422 no-licensed-receiver); an asset card already in a disposal is 409. Idempotency-Key makes a retry safe.',
      roles: [INSTITUTION],
      scope: ownInstitution,
      idempotency: { reserve: () => newBatchId(todayOf(ctx)) },
      request: { params: CreditCodeParams, body: s.RegisterBatchBody },
      responses: {
        201: { description: '已登记 / Registered', schema: BatchView },
        409: conflict,
        422: problemResponse(
          '机构未登记，或无具备资质的接收单位 / Institution not registered, or no licensed receiver for an asset',
        ),
      },
      handler: async ({ params, body, principal, reserved }) => {
        const { view } = await registerBatch(
          ctx,
          principal,
          params.creditCode,
          body as RegisterBatchInput,
          reserved ?? newBatchId(todayOf(ctx)),
        );
        return reply(201, view, { Location: `/disposal-batches/${view.batchId}` });
      },
    }),
    endpoint({
      method: 'get',
      path: '/institutions/:creditCode/disposal-batches',
      operationId: 'listInstitutionBatches',
      summary: { zh: '本机构的处置批次', en: 'An institution’s disposal batches' },
      roles: [INSTITUTION, FINANCE, ADMIN],
      scope: ownInstitution,
      request: { params: CreditCodeParams },
      responses: {
        200: { description: 'Newest first (200 at most)', schema: z.object({ items: z.array(BatchView) }) },
      },
      handler: async ({ params }) => ({ items: await listBatches(ctx, `institution:${params.creditCode}`) }),
    }),
    endpoint({
      method: 'get',
      path: '/institutions/:creditCode/assets/:assetCardNo',
      operationId: 'getAssetFate',
      summary: { zh: '按资产卡片号查资产去向', en: 'Where an asset went, by its card' },
      roles: [INSTITUTION, FINANCE, ADMIN],
      scope: ownInstitution,
      request: { params: AssetParams },
      responses: {
        200: { description: 'The asset and its batch', schema: AssetFateView },
        404: notFound('asset'),
      },
      handler: async ({ params }) => assetFate(ctx, params.creditCode, params.assetCardNo),
    }),
    endpoint({
      method: 'get',
      path: '/stations/:stationId/disposal-batches',
      operationId: 'listStationBatches',
      summary: { zh: '交本站的公共机构处置批次', en: 'Disposal batches handed to a station' },
      roles: [STATION, ADMIN],
      scope: { rule: 'an operator only its own station (token scope = station id)', param: 'stationId' },
      request: { params: StationParams },
      responses: {
        200: { description: 'Newest first (200 at most)', schema: z.object({ items: z.array(BatchView) }) },
      },
      handler: async ({ params }) => ({ items: await listBatches(ctx, `station:${params.stationId}`) }),
    }),
    endpoint({
      method: 'get',
      path: '/disposal-batches/:batchId',
      operationId: 'getDisposalBatch',
      summary: { zh: '处置批次及每件资产的去向', en: 'A disposal batch and each asset’s fate' },
      roles: [INSTITUTION, STATION, FINANCE, ADMIN],
      scope: batchParties,
      request: { params: BatchParams },
      responses: { 200: { description: 'The batch', schema: BatchView }, 404: notFound('batch') },
      handler: async ({ params, principal }) => getBatch(ctx, principal, params.batchId),
    }),
    step(
      'collect',
      'collectDisposalBatch',
      { zh: '登记已上门收取', en: 'Record that the crew collected the batch' },
      [STATION],
      undefined,
      (batchId, _input, { principal }) => collectBatch(ctx, principal, batchId),
    ),
    step(
      'receipt',
      'receiveDisposalBatch',
      { zh: '站点逐件接收并列出差异', en: 'Receive the batch asset by asset, with the differences' },
      [STATION],
      s.ReceiptBody,
      (batchId, input, { principal }) =>
        receiveBatch(ctx, principal, batchId, input as { items: FoundItem[] }),
      {
        description:
          'Every item found: its card label, category, serial and weight. Registered assets not found are missing, items not registered are extra, a card found with another serial or category is received with that difference.',
      },
    ),
    step(
      'differences/acknowledge',
      'acknowledgeDisposalDifferences',
      { zh: '公共机构说明接收差异', en: 'The institution accounts for the differences' },
      [INSTITUTION],
      AcknowledgeBody,
      (batchId, input, { principal }) => acknowledgeDifferences(ctx, principal, batchId, input),
    ),
    step(
      'handovers',
      'handOverDisposedAssets',
      { zh: '交具备资质的接收单位', en: 'Hand assets to a licensed receiver' },
      [STATION],
      HandoverBody,
      (batchId, input, { principal }) => handOver(ctx, principal, batchId, input),
      {
        responses: { 422: problemResponse('接收单位无相应资质 / The receiver is not licensed for an asset') },
      },
    ),
    step(
      'certificates',
      'recordSanitisationCertificate',
      { zh: '登记数据清除或销毁证明', en: 'Record a wipe or destruction certificate' },
      [STATION, INSTITUTION],
      CertificateBody,
      (batchId, input, { principal }) => recordCertificate(ctx, principal, batchId, input),
    ),
    step(
      'proceeds',
      'recordDisposalProceeds',
      { zh: '登记处置收入上缴国库', en: 'Record proceeds paid to the treasury' },
      [INSTITUTION],
      ProceedsBody,
      (batchId, input, { principal }) => recordProceeds(ctx, principal, batchId, input),
    ),
    step(
      'close',
      'closeDisposalBatch',
      { zh: '办结处置批次', en: 'Close the batch' },
      [INSTITUTION],
      undefined,
      (batchId, _input, { principal }) => closeBatch(ctx, principal, batchId),
      {
        description:
          'Refused (409, blockers listed) while an asset waits at the station, a classified asset has no wipe or destruction certificate, a difference is not accounted for, or a sale’s proceeds were not paid to the treasury.',
      },
    ),
    step(
      'cancel',
      'cancelDisposalBatch',
      { zh: '撤销处置批次（站点接收前）', en: 'Withdraw the batch before the station received it' },
      [INSTITUTION],
      CancelBody,
      (batchId, input, { principal }) => cancelBatch(ctx, principal, batchId, input),
    ),
  ];
}
