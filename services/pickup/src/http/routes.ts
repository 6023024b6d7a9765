import { principalOf, ROLES } from '@recycling/service-kit';
import { z } from 'zod';
import { bookPickup, type BookingInput } from '../app/book-pickup';
import type { PickupContext } from '../app/context';
import { bookingIdempotency } from '../app/idempotent-booking';
import { cancelPickup, collectPickup, failPickup, schedulePickup } from '../app/pickup-actions';
import { getPickup, listPickups } from '../app/read-pickups';
import { listSites, putSite } from '../app/sites';
import { setDaySchedule, slotAvailability } from '../app/slot-schedule';
import { route, type RouteSpec } from './route-table';
import {
  DistrictView,
  PickupIdParams,
  PickupView,
  SiteView,
  SlotAvailabilityView,
  type HttpSchemas,
  Problem,
} from './schemas';

const OPERATORS = ['station-operator', 'dismantler-operator'] as const;
const conflict = { description: 'Not allowed in the current status / 当前状态不允许', schema: Problem };
const notFound = { description: 'No such pickup visible to the caller / 未找到', schema: Problem };

export function pickupRoutes(ctx: PickupContext, s: HttpSchemas): RouteSpec[] {
  const booking = bookingIdempotency(ctx, s.IdempotencyHeader);
  return [
    route({
      method: 'post',
      path: '/pickups',
      operationId: 'bookPickup',
      summary: 'Book a pickup / 预约上门回收',
      roles: ['resident'],
      request: { body: s.CreatePickup, headers: s.IdempotencyHeader },
      responses: {
        '201': { description: 'Booked / 已预约', schema: PickupView },
        '409': { description: 'Slot full, with the nearest free slots / 时段已满', schema: Problem },
        '422': {
          description: 'No site serves the district, or the key was used for another request',
          schema: Problem,
        },
      },
      handler: async ({ body }, req, res) => {
        const principal = principalOf(req);
        await booking(req, res, async (pickupId) => {
          const view = await bookPickup(ctx, principal, body as BookingInput, pickupId!);
          return { status: 201, body: view, headers: { Location: `/pickups/${view.pickupId}` } };
        });
      },
    }),
    route({
      method: 'get',
      path: '/pickups',
      operationId: 'listPickups',
      summary: 'List the pickups the caller may see / 查询预约',
      roles: ['resident', ...OPERATORS, 'administrator'],
      request: { query: s.ListPickupsQuery },
      responses: { '200': { description: 'Newest first', schema: z.object({ items: z.array(PickupView) }) } },
      handler: async ({ query }, req, res) => {
        res.json({ items: await listPickups(ctx, principalOf(req), query) });
      },
    }),
    route({
      method: 'get',
      path: '/pickups/:pickupId',
      operationId: 'getPickup',
      summary: 'A pickup with its history / 预约详情',
      roles: ['resident', ...OPERATORS, 'administrator'],
      request: { params: PickupIdParams },
      responses: { '200': { description: 'The pickup', schema: PickupView }, '404': notFound },
      handler: async ({ params }, req, res) => {
        res.json(await getPickup(ctx, principalOf(req), params.pickupId));
      },
    }),
    route({
      method: 'post',
      path: '/pickups/:pickupId/schedule',
      operationId: 'schedulePickup',
      summary: 'Plan (or re-plan) the visit / 安排上门',
      roles: [...OPERATORS],
      request: { params: PickupIdParams, body: s.ScheduleBody },
      responses: {
        '200': { description: 'Scheduled', schema: PickupView },
        '404': notFound,
        '409': conflict,
      },
      handler: async ({ params, body }, req, res) => {
        res.json(await schedulePickup(ctx, principalOf(req), params.pickupId, body));
      },
    }),
    route({
      method: 'post',
      path: '/pickups/:pickupId/collect',
      operationId: 'collectPickup',
      summary: 'Record what the crew took / 登记已取走',
      roles: [...OPERATORS],
      request: { params: PickupIdParams, body: s.CollectBody },
      responses: {
        '200': { description: 'Collected', schema: PickupView },
        '404': notFound,
        '409': conflict,
      },
      handler: async ({ params, body }, req, res) => {
        res.json(await collectPickup(ctx, principalOf(req), params.pickupId, body));
      },
    }),
    route({
      method: 'post',
      path: '/pickups/:pickupId/fail',
      operationId: 'failPickup',
      summary: 'Close a pickup that could not be collected / 登记未能完成',
      roles: [...OPERATORS],
      request: { params: PickupIdParams, body: s.FailBody },
      responses: { '200': { description: 'Failed', schema: PickupView }, '404': notFound, '409': conflict },
      handler: async ({ params, body }, req, res) => {
        res.json(await failPickup(ctx, principalOf(req), params.pickupId, body));
      },
    }),
    route({
      method: 'post',
      path: '/pickups/:pickupId/cancel',
      operationId: 'cancelPickup',
      summary: 'Cancel before collection / 取消预约',
      roles: ['resident', ...OPERATORS, 'administrator'],
      request: { params: PickupIdParams, body: s.CancelBody },
      responses: {
        '200': { description: 'Cancelled', schema: PickupView },
        '404': notFound,
        '409': conflict,
      },
      handler: async ({ params, body }, req, res) => {
        res.json(await cancelPickup(ctx, principalOf(req), params.pickupId, body));
      },
    }),
    route({
      method: 'get',
      path: '/slots',
      operationId: 'listSlots',
      summary: 'Bookable slots of a district with free seats / 可预约时段',
      roles: [...ROLES],
      request: { query: s.SlotsQuery },
      responses: {
        '200': { description: 'Earliest first', schema: z.object({ items: z.array(SlotAvailabilityView) }) },
      },
      handler: async ({ query }, _req, res) => {
        res.json({ items: await slotAvailability(ctx, query.districtCode, query) });
      },
    }),
    route({
      method: 'put',
      path: '/districts/:districtCode/slots/:date',
      operationId: 'setDaySchedule',
      summary: "Set a district's windows and capacities for a day / 设置某日时段与容量",
      roles: ['administrator'],
      request: { params: s.DayScheduleParams, body: s.DayScheduleBody },
      responses: {
        '200': {
          description: 'The day as set',
          schema: z.object({
            districtCode: z.string(),
            date: z.string(),
            windows: s.DayScheduleBody.shape.windows,
          }),
        },
        '422': { description: 'A past day', schema: Problem },
      },
      handler: async ({ params, body }, req, res) => {
        const day = await setDaySchedule(
          ctx,
          params.districtCode,
          params.date,
          body.windows,
          principalOf(req).sub,
        );
        res.json({ districtCode: day.districtCode, date: day.date, windows: day.windows });
      },
    }),
    route({
      method: 'put',
      path: '/sites/:siteId',
      operationId: 'putSite',
      summary: 'Register or update a station or dismantler / 登记服务站点',
      roles: ['administrator'],
      request: { params: s.SiteParams, body: s.SiteBody },
      responses: {
        '200': { description: 'Updated', schema: SiteView },
        '201': { description: 'Created', schema: SiteView },
      },
      handler: async ({ params, body }, req, res) => {
        const { site, created } = await putSite(ctx, params.siteId, body, principalOf(req).sub);
        res.status(created ? 201 : 200).json(site);
      },
    }),
    route({
      method: 'get',
      path: '/sites',
      operationId: 'listSites',
      summary: 'Stations and dismantlers and the districts they serve / 服务站点',
      roles: [...ROLES],
      request: { query: s.SitesQuery },
      responses: { '200': { description: 'By id', schema: z.object({ items: z.array(SiteView) }) } },
      handler: async ({ query }, _req, res) => {
        res.json({ items: await listSites(ctx, query) });
      },
    }),
    route({
      method: 'get',
      path: '/districts',
      operationId: 'listDistricts',
      summary: "The city's districts (city profile) / 辖区",
      roles: [...ROLES],
      request: {},
      responses: {
        '200': { description: 'As in the profile', schema: z.object({ items: z.array(DistrictView) }) },
      },
      handler: async (_input, _req, res) => {
        res.json({ items: ctx.profile.districts });
      },
    }),
  ];
}
