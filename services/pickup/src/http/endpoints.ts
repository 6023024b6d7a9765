import type { CityProfile } from '@recycling/contracts';
import {
  endpoint,
  problemResponse,
  reply,
  ROLES,
  type Bilingual,
  type Endpoint,
  type Principal,
  type Role,
} from '@recycling/service-kit';
import { z } from 'zod';
import { bookPickup, newPickupId, type BookingInput } from '../app/book-pickup';
import { todayOf, type PickupContext } from '../app/context';
import { residentIdOf } from '../domain/access';
import {
  cancelPickup,
  collectPickup,
  failPickup,
  reschedulePickup,
  schedulePickup,
} from '../app/pickup-actions';
import { serviceArea, serviceAreas } from '../app/service-area';
import { getPickup, listPickups } from '../app/read-pickups';
import { listSites, putSite } from '../app/sites';
import { setDaySchedule, slotAvailability } from '../app/slot-schedule';
import {
  DistrictView,
  httpSchemas,
  PickupIdParams,
  PickupView,
  ServiceAreaSummary,
  ServiceAreaView,
  SiteView,
  SlotAvailabilityView,
  SlotFullProblem,
} from './schemas';

const OPERATORS = ['station-operator', 'dismantler-operator'] as const;
const conflict = problemResponse('当前状态不允许 / Not allowed in the current status');
const notFound = problemResponse('未找到（或无权查看）/ No such pickup visible to the caller');
const ownPickups = { rule: 'a resident only their own pickups; an operator those assigned to its site' };

export function pickupEndpoints(ctx: PickupContext, profile: CityProfile): Endpoint[] {
  const s = httpSchemas(profile);
  /** A step of the pickup's life (`POST /pickups/:pickupId/<step>`): one shape, one use case each. */
  const action = <B extends z.ZodType>(
    step: string,
    operationId: string,
    summary: Bilingual,
    roles: readonly Role[],
    body: B,
    use: (ctx: PickupContext, principal: Principal, pickupId: string, input: z.output<B>) => Promise<unknown>,
  ) =>
    endpoint({
      method: 'post',
      path: `/pickups/:pickupId/${step}`,
      operationId,
      summary,
      roles,
      scope: ownPickups,
      request: { params: PickupIdParams, body },
      responses: {
        200: { description: `${summary.zh} / ${summary.en}`, schema: PickupView },
        404: notFound,
        409: conflict,
      },
      handler: async ({ params, body: input, principal }) =>
        use(ctx, principal, params.pickupId, input as z.output<B>),
    });
  return [
    endpoint({
      method: 'post',
      path: '/pickups',
      operationId: 'bookPickup',
      summary: { zh: '预约上门回收', en: 'Book a pickup' },
      roles: ['resident'],
      scope: { rule: 'the pickup is booked for the resident of the token' },
      // The pickup id is reserved with the key: a retry that takes over a claim left by a crash
      // books under the same id and finds what the crashed attempt made (its seat, its pickup).
      idempotency: { scopeOf: residentIdOf, reserve: () => newPickupId(todayOf(ctx)) },
      request: { body: s.CreatePickup },
      responses: {
        201: { description: '已预约 / Booked', schema: PickupView },
        409: {
          description: '时段已满，附最近的空闲时段 / Slot full, with the nearest free slots',
          schema: SlotFullProblem,
          contentType: 'application/problem+json',
        },
        422: problemResponse(
          '该区域暂无服务站点，或幂等键已用于另一请求 / No site serves the district, or the key was used for another request',
        ),
      },
      handler: async ({ body, principal, reserved }) => {
        const view = await bookPickup(ctx, principal, body as BookingInput, reserved!);
        return reply(201, view, { Location: `/pickups/${view.pickupId}` });
      },
    }),
    endpoint({
      method: 'get',
      path: '/pickups',
      operationId: 'listPickups',
      summary: { zh: '查询预约', en: 'List the pickups the caller may see' },
      roles: ['resident', ...OPERATORS, 'administrator'],
      scope: ownPickups,
      request: { query: s.ListPickupsQuery },
      responses: { 200: { description: 'Newest first', schema: z.object({ items: z.array(PickupView) }) } },
      handler: async ({ query, principal }) => ({ items: await listPickups(ctx, principal, query) }),
    }),
    endpoint({
      method: 'get',
      path: '/pickups/:pickupId',
      operationId: 'getPickup',
      summary: { zh: '预约详情', en: 'A pickup with its history' },
      roles: ['resident', ...OPERATORS, 'administrator'],
      scope: ownPickups,
      request: { params: PickupIdParams },
      responses: { 200: { description: 'The pickup', schema: PickupView }, 404: notFound },
      handler: async ({ params, principal }) => getPickup(ctx, principal, params.pickupId),
    }),
    action(
      'schedule',
      'schedulePickup',
      { zh: '安排上门', en: 'Plan (or re-plan) the visit' },
      OPERATORS,
      s.ScheduleBody,
      schedulePickup,
    ),
    action(
      'collect',
      'collectPickup',
      { zh: '登记已取走', en: 'Record what the crew took' },
      OPERATORS,
      s.CollectBody,
      collectPickup,
    ),
    action(
      'fail',
      'failPickup',
      { zh: '登记未能完成', en: 'Close a pickup that could not be collected' },
      OPERATORS,
      s.FailBody,
      failPickup,
    ),
    action(
      'cancel',
      'cancelPickup',
      { zh: '取消预约', en: 'Cancel before collection' },
      ['resident', ...OPERATORS, 'administrator'],
      s.CancelBody,
      cancelPickup,
    ),
    action(
      'reschedule',
      'reschedulePickup',
      { zh: '改约到其他时段', en: 'Move the visit to another free slot' },
      ['resident'],
      s.RescheduleBody,
      reschedulePickup,
    ),
    endpoint({
      method: 'get',
      path: '/service-areas',
      operationId: 'listServiceAreas',
      summary: { zh: '各街道、团镇可否上门回收', en: 'Which kinds of pickup each district is served for' },
      roles: [...ROLES],
      responses: {
        200: {
          description: 'In the order of the city profile',
          schema: z.object({ items: z.array(ServiceAreaSummary) }),
        },
      },
      handler: async () => ({ items: await serviceAreas(ctx) }),
    }),
    endpoint({
      method: 'get',
      path: '/service-areas/:districtCode',
      operationId: 'getServiceArea',
      summary: {
        zh: '本街道、团镇能回收什么、何时上门，或最近的自送点',
        en: 'What can be collected in a district and when, or the nearest drop-off stations',
      },
      roles: [...ROLES],
      request: { params: s.AreaParams },
      responses: { 200: { description: 'The district', schema: ServiceAreaView } },
      handler: async ({ params }) => serviceArea(ctx, params.districtCode),
    }),
    endpoint({
      method: 'get',
      path: '/slots',
      operationId: 'listSlots',
      summary: { zh: '可预约时段', en: 'Bookable slots of a district with free seats' },
      roles: [...ROLES],
      request: { query: s.SlotsQuery },
      responses: {
        200: { description: 'Earliest first', schema: z.object({ items: z.array(SlotAvailabilityView) }) },
      },
      handler: async ({ query }) => ({ items: await slotAvailability(ctx, query.districtCode, query) }),
    }),
    endpoint({
      method: 'put',
      path: '/districts/:districtCode/slots/:date',
      operationId: 'setDaySchedule',
      summary: { zh: '设置某日时段与容量', en: "Set a district's windows and capacities for a day" },
      roles: ['administrator'],
      request: { params: s.DayScheduleParams, body: s.DayScheduleBody },
      responses: {
        200: {
          description: 'The day as set',
          schema: z.object({
            districtCode: z.string(),
            date: z.string(),
            windows: s.DayScheduleBody.shape.windows,
          }),
        },
        422: problemResponse('不能修改过去的日期 / A past day'),
      },
      handler: async ({ params, body, principal }) => {
        const day = await setDaySchedule(ctx, params.districtCode, params.date, body.windows, principal.sub);
        return { districtCode: day.districtCode, date: day.date, windows: day.windows };
      },
    }),
    endpoint({
      method: 'put',
      path: '/sites/:siteId',
      operationId: 'putSite',
      summary: { zh: '登记服务站点', en: 'Register or update a station or dismantler' },
      roles: ['administrator'],
      request: { params: s.SiteParams, body: s.SiteBody },
      responses: {
        200: { description: 'Updated', schema: SiteView },
        201: { description: 'Created', schema: SiteView },
      },
      handler: async ({ params, body, principal }) => {
        const { site, created } = await putSite(ctx, params.siteId, body, principal.sub);
        return reply(created ? 201 : 200, site);
      },
    }),
    endpoint({
      method: 'get',
      path: '/sites',
      operationId: 'listSites',
      summary: { zh: '服务站点', en: 'Stations and dismantlers and the districts they serve' },
      roles: [...ROLES],
      request: { query: s.SitesQuery },
      responses: { 200: { description: 'By id', schema: z.object({ items: z.array(SiteView) }) } },
      handler: async ({ query }) => ({ items: await listSites(ctx, query) }),
    }),
    endpoint({
      method: 'get',
      path: '/districts',
      operationId: 'listDistricts',
      summary: { zh: '辖区', en: "The city's districts (city profile)" },
      roles: [...ROLES],
      responses: {
        200: { description: 'As in the profile', schema: z.object({ items: z.array(DistrictView) }) },
      },
      handler: async () => ({ items: ctx.profile.districts }),
    }),
  ];
}
