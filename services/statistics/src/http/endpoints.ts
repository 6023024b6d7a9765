// The HTTP API: used-car transactions from markets; targets, progress, rollups, exports, rebuilds and
// reconciliation for administrators and the city's officials (the commerce bureau and the
// development commission, read only).
import { localDateTime, type CityProfile } from '@recycling/contracts';
import { endpoint, problemResponse, reply, type Endpoint } from '@recycling/service-kit';
import { z } from 'zod';
import type { StatisticsContext } from '../app/context';
import { listMarketTransactions } from '../app/list-used-cars';
import { allProgress, metricProgress } from '../app/progress';
import { reconcileOwnerCounts, reconcileWithRebuild } from '../app/reconciliation';
import { recordUsedCarTransaction } from '../app/record-used-car';
import { discardRebuild, promoteRebuild, rebuildStatus, startRebuild } from '../app/rebuilds';
import { rollupTable } from '../app/rollups';
import { channelSummary } from '../app/channels';
import { subsidySummary } from '../app/subsidies';
import { listTargets, setTarget } from '../app/targets';
import { progressCsv, rollupsCsv, sendCsv } from './csv';
import {
  asOfQuery,
  channelsQuery,
  ChannelSummaryView,
  DiscardBody,
  GenerationParams,
  MetricParams,
  OwnerCountsBody,
  OwnerReconciliationView,
  ProgressList,
  ProgressView,
  PromotionView,
  RebuildBody,
  RebuildReconciliationView,
  RebuildStatus,
  RebuildSummary,
  ReconciliationQuery,
  rollupQuery,
  RollupTableView,
  subsidiesQuery,
  SubsidySummaryView,
  TargetBody,
  TargetView,
  UsedCarBody,
  UsedCarListQuery,
  UsedCarTransactionPage,
  UsedCarTransactionView,
} from './schemas';

const READERS = ['administrator', 'city-official'] as const;
const noTarget = problemResponse('没有该指标的目标 / No target for the metric');
const noGeneration = problemResponse('没有该代统计 / No such rollup generation');
const csv = (description: string) => ({ description, contentType: 'text/csv' });

export function statisticsEndpoints(ctx: StatisticsContext, profile: CityProfile): Endpoint[] {
  const districts = profile.districts.map((d) => d.code);
  const AsOfQuery = asOfQuery(districts);
  const RollupQuery = rollupQuery(districts);
  const exportedAt = () => localDateTime(ctx.now(), ctx.profile.timezone);
  const asOfRule =
    'A month after the current one (the city time zone) is 400 naming asOf; an unknown district is 400 naming district.';
  return [
    endpoint({
      method: 'post',
      path: '/used-car-transactions',
      operationId: 'recordUsedCarTransaction',
      summary: { zh: '登记二手车交易', en: 'Record a used-car transaction (idempotent by transactionId)' },
      roles: ['used-car-market'],
      scope: { rule: 'recorded for the market of the token (its scope)' },
      request: { body: UsedCarBody },
      responses: {
        200: {
          description: '此前已登记，内容相同 / Already recorded with the same content',
          schema: UsedCarTransactionView,
        },
        201: { description: '已登记 / Recorded', schema: UsedCarTransactionView },
        409: problemResponse('交易编号已用于不同内容 / The transaction id was used for different content'),
      },
      handler: async ({ body, principal }) => {
        const { created, transaction } = await recordUsedCarTransaction(ctx, principal, body);
        return reply(created ? 201 : 200, transaction);
      },
    }),
    endpoint({
      method: 'get',
      path: '/used-car-transactions',
      operationId: 'listUsedCarTransactions',
      summary: {
        zh: '本市场登记的二手车交易（按成交日期倒序）',
        en: 'A market’s recorded used-car transactions, newest sale first',
      },
      roles: ['used-car-market', 'administrator'],
      scope: {
        rule: 'a market only its own (its scope; naming another is 403); an administrator names the market',
      },
      request: { query: UsedCarListQuery },
      responses: {
        200: {
          description: '交易列表，`nextCursor` 取下一页 / The page, and `nextCursor` for the next one',
          schema: UsedCarTransactionPage,
        },
      },
      handler: ({ query, principal }) => listMarketTransactions(ctx, principal, query),
    }),
    endpoint({
      method: 'get',
      path: '/targets',
      operationId: 'listTargets',
      summary: { zh: '目标与基数', en: 'Baselines and targets per metric' },
      roles: [...READERS],
      responses: {
        200: { description: '目标列表 / The targets', schema: z.object({ targets: z.array(TargetView) }) },
      },
      handler: async () => ({ targets: await listTargets(ctx) }),
    }),
    endpoint({
      method: 'put',
      path: '/targets/:metric',
      operationId: 'setTarget',
      summary: { zh: '设置目标与基数', en: 'Set a metric’s baseline and target' },
      roles: ['administrator'],
      request: { params: MetricParams, body: TargetBody },
      responses: { 200: { description: '已更新 / Updated', schema: TargetView }, 404: noTarget },
      handler: ({ params, body, principal }) => setTarget(ctx, params.metric, body, principal.sub),
    }),
    endpoint({
      method: 'get',
      path: '/progress',
      operationId: 'listProgress',
      summary: { zh: '各目标进度', en: 'Progress of every target' },
      description: `For the whole city, or one district against its share of the target. ${asOfRule}`,
      roles: [...READERS],
      request: { query: AsOfQuery },
      responses: {
        200: { description: '进度 / Progress with the monthly trajectory', schema: ProgressList },
      },
      handler: ({ query }) => allProgress(ctx, query.asOf, { breakdowns: false, district: query.district }),
    }),
    endpoint({
      method: 'get',
      path: '/progress/:metric',
      operationId: 'getProgress',
      summary: {
        zh: '单项目标进度（按月、区域、类别）',
        en: 'Progress of one target by month, district and category',
      },
      description: `By district and category for the whole city; a district's report has no breakdowns (dimensions are not crossed). ${asOfRule}`,
      roles: [...READERS],
      request: { params: MetricParams, query: AsOfQuery },
      responses: { 200: { description: '进度 / Progress', schema: ProgressView }, 404: noTarget },
      handler: ({ params, query }) => metricProgress(ctx, params.metric, query.asOf, query.district),
    }),
    endpoint({
      method: 'get',
      path: '/rollups',
      operationId: 'listRollups',
      summary: { zh: '统计汇总', en: 'Rollup counters by month and dimension' },
      description:
        'From and to are months (YYYY-MM, the city time zone), at most 20 years apart; `district` keeps one district of a metric counted by district (400 naming the field otherwise).',
      roles: [...READERS],
      request: { query: RollupQuery },
      responses: {
        200: { description: '汇总 / Rows of month, value and fields', schema: RollupTableView },
      },
      handler: ({ query }) => rollupTable(ctx, query),
    }),
    endpoint({
      method: 'get',
      path: '/subsidies',
      operationId: 'getSubsidySummary',
      summary: {
        zh: '以旧换新补贴：各项目的申请、批准与发放',
        en: 'Trade-in subsidies: claims, approvals and money paid per programme',
      },
      description:
        'From the subsidies rollup, per programme of the city profile with its name; a district gets its totals only (the rollup does not cross programme and district). At most 36 months.',
      roles: [...READERS],
      request: { query: subsidiesQuery(districts) },
      responses: { 200: { description: '补贴汇总 / The summary', schema: SubsidySummaryView } },
      handler: ({ query }) => subsidySummary(ctx, query),
    }),
    endpoint({
      method: 'get',
      path: '/channels',
      operationId: 'getChannelSummary',
      summary: {
        zh: '公共机构资产处置与再制造：按类别、产品线统计',
        en: 'Public institutions’ disposals (appliances, equipment) and remanufacturing per product line',
      },
      description:
        'From the disposals and remanufacturing rollups (GET /rollups?metric=disposals or remanufacturing for months and other dimensions). Disposed assets are counted apart from the stations’ intakes (the appliances and equipment metrics and the appliances target), never added to them. A district gets its disposals totals only. At most 36 months.',
      roles: [...READERS],
      request: { query: channelsQuery(districts) },
      responses: { 200: { description: '渠道汇总 / The summary', schema: ChannelSummaryView } },
      handler: ({ query }) => channelSummary(ctx, query),
    }),
    endpoint({
      method: 'get',
      path: '/exports/rollups.csv',
      operationId: 'exportRollups',
      summary: { zh: '导出统计汇总', en: 'Export rollups as CSV' },
      description:
        'The rows of GET /rollups; the export time in the city time zone with its offset (+08:00).',
      roles: [...READERS],
      request: { query: RollupQuery },
      responses: { 200: csv('CSV（UTF-8，带 BOM）/ CSV, UTF-8 with a byte-order mark') },
      handler: async ({ query, res }) => {
        const table = await rollupTable(ctx, query);
        const scope = query.district ? `-${query.district}` : '';
        sendCsv(
          res,
          `rollups-${query.metric}-${table.dim}${scope}-${query.from}-${query.to}.csv`,
          rollupsCsv(table, exportedAt()),
        );
      },
    }),
    endpoint({
      method: 'get',
      path: '/exports/progress.csv',
      operationId: 'exportProgress',
      summary: { zh: '导出目标进度', en: 'Export progress of every target as CSV' },
      description: `The columns of GET /progress/{metric} for every target; times in the city time zone with their offset (+08:00). ${asOfRule}`,
      roles: [...READERS],
      request: { query: AsOfQuery },
      responses: { 200: csv('CSV（UTF-8，带 BOM）/ CSV, UTF-8 with a byte-order mark') },
      handler: async ({ query, res }) => {
        const { asOf, targets } = await allProgress(ctx, query.asOf, {
          breakdowns: true,
          district: query.district,
        });
        const scope = query.district ? `-${query.district}` : '';
        sendCsv(res, `progress-${asOf}${scope}.csv`, progressCsv(targets, asOf, exportedAt()));
      },
    }),
    endpoint({
      method: 'post',
      path: '/rebuilds',
      operationId: 'startRebuild',
      summary: {
        zh: '从主题重建统计（同时只进行一个）',
        en: 'Rebuild the rollups from the topics into a new generation (one at a time)',
      },
      roles: ['administrator'],
      // Keys per administrator (as before the kit: claims already stored keep answering).
      idempotency: { scopeOf: (principal) => `rebuilds:${principal.sub}` },
      request: { body: RebuildBody },
      responses: {
        200: {
          description:
            '已有重建在进行，返回该重建而不另起 / A rebuild is already running: that one, none started',
          schema: RebuildSummary,
        },
        202: {
          description:
            '已开始；Location 为完整状态（含各分区位置）/ Started: the status without the offsets per partition, which its Location has',
          schema: RebuildSummary,
        },
      },
      handler: async ({ body, principal }) => {
        const { created, summary } = await startRebuild(ctx, {
          reason: body.reason,
          requestedBy: principal.sub,
        });
        return reply(created ? 202 : 200, summary, { Location: `/rebuilds/${summary.generation}` });
      },
    }),
    endpoint({
      method: 'get',
      path: '/rebuilds/:generation',
      operationId: 'getRebuild',
      summary: { zh: '重建进度', en: 'Status of a rebuild' },
      roles: ['administrator'],
      request: { params: GenerationParams },
      responses: { 200: { description: '状态 / Status', schema: RebuildStatus }, 404: noGeneration },
      handler: ({ params }) => rebuildStatus(ctx, params.generation),
    }),
    endpoint({
      method: 'post',
      path: '/rebuilds/:generation/promote',
      operationId: 'promoteRebuild',
      summary: { zh: '启用重建结果', en: 'Make a caught-up rebuild the active rollups' },
      roles: ['administrator'],
      request: { params: GenerationParams },
      responses: {
        200: { description: '已启用 / Promoted', schema: PromotionView },
        404: noGeneration,
        409: problemResponse('不在重建中，或尚未追平 / Not a rebuild in progress, or not caught up'),
      },
      handler: ({ params }) => promoteRebuild(ctx, params.generation),
    }),
    endpoint({
      method: 'post',
      path: '/rebuilds/:generation/discard',
      operationId: 'discardRebuild',
      summary: {
        zh: '丢弃未启用的重建',
        en: 'Discard a rebuild that was started and not promoted',
      },
      description:
        'Its consumer stops and its counters and records are deleted a minute or so later. Discarding a discarded rebuild again answers it as it is; the active generation and a retired one are 409.',
      roles: ['administrator'],
      request: { params: GenerationParams, body: DiscardBody },
      responses: {
        200: { description: '已丢弃 / Discarded', schema: RebuildSummary },
        404: noGeneration,
        409: problemResponse(
          '正在使用的一代或已停用的一代不能丢弃 / The active or a retired generation cannot be discarded',
        ),
      },
      handler: ({ params, body, principal }) =>
        discardRebuild(ctx, params.generation, { reason: body.reason, discardedBy: principal.sub }),
    }),
    endpoint({
      method: 'get',
      path: '/reconciliation',
      operationId: 'reconcileWithRebuild',
      summary: {
        zh: '对账：增量统计与重建结果比较',
        en: 'Compare the active rollups with a rebuild from the topics',
      },
      roles: ['administrator'],
      request: { query: ReconciliationQuery },
      responses: {
        200: { description: '差异 / Differences', schema: RebuildReconciliationView },
        404: noGeneration,
      },
      handler: ({ query }) => reconcileWithRebuild(ctx, query.generation),
    }),
    endpoint({
      method: 'post',
      path: '/reconciliation/owner-counts',
      operationId: 'reconcileOwnerCounts',
      summary: { zh: '对账：与业务方自报数比较', en: 'Compare owners’ own counts with the active rollups' },
      description:
        'The counts span at most 24 months (earliest to latest) and 50 metric and dimension pairs; a count beyond is 400 naming counts.<i>.month (or .dim): post a longer history in parts.',
      roles: ['administrator'],
      request: { body: OwnerCountsBody },
      responses: { 200: { description: '差异 / Differences', schema: OwnerReconciliationView } },
      handler: ({ body }) => reconcileOwnerCounts(ctx, body.owner, body.counts),
    }),
  ];
}
