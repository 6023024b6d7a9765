import type { CityProfile, Principal } from '@recycling/contracts';
import { endpoint, problemResponse, reply, type Endpoint, type EndpointSpec } from '@recycling/service-kit';
import { z } from 'zod';
import { findCertificate } from '../app/certificates';
import type { AppContext } from '../app/context';
import { getDismantler, putDismantler } from '../app/dismantlers';
import { listExpectedVehicles } from '../app/expected-vehicles';
import {
  issueCertificate,
  recordDeregistrationOutcome,
  recordDismantling,
  requestDeregistration,
  voidIntake,
} from '../app/intake-changes';
import { getIntake, listIntakes } from '../app/intake-queries';
import { recordIntake } from '../app/record-intake';
import { dismantlerWorkList } from '../app/work-list';
import type { DismantlerDoc, IntakeRecord } from '../store/models';
import { renderCertificateHtml } from './certificate-html';
import {
  CertificatePage,
  CertificateParams,
  DeregistrationOutcomeBody,
  DismantlerParams,
  DismantlerView,
  EmptyBody,
  ExpectedVehiclesQuery,
  ExpectedVehicleView,
  IntakeParams,
  ListIntakesQuery,
  PutDismantlerBody,
  RecordDismantlingBody,
  RecordIntakeBody,
  RequestDeregistrationBody,
  VehicleIntakeView,
  VoidIntakeBody,
  WorkListQuery,
  WorkListView,
} from './schemas';

const OPERATORS = ['dismantler-operator', 'administrator'] as const;
/** An operator acts for the site of its token's scope; administrators for every site. */
const ownSite = { rule: 'an operator only the site of its token (scope = dismantler id)' };
const ownSiteParam = { ...ownSite, param: 'dismantlerId' };

const intakeNotFound = problemResponse('未找到接收记录 / No such vehicle intake');
const conflict = problemResponse(
  '与当前状态冲突，code 说明原因 / Not allowed in the current state; see code',
);

const dismantlerView = (dismantler: DismantlerDoc) => ({ ...dismantler, dismantlerId: dismantler._id });

/** What a site sees of an intake: the owner's identity stays in the store and on the certificate. */
const intakeView = (intake: IntakeRecord) => {
  const { owner, purchase: _purchase, ...rest } = intake;
  return {
    ...rest,
    vehicleIntakeId: intake._id,
    owner:
      owner.kind === 'person'
        ? { kind: 'person' as const, sellerKey: owner.sellerKey, idType: owner.idType }
        : owner,
  };
};

interface IntakeChange<B extends z.ZodType> extends Pick<
  EndpointSpec,
  'method' | 'path' | 'operationId' | 'summary' | 'description'
> {
  body: B;
  /** What the 200 says was done. */
  done: string;
  change: (call: {
    principal: Principal;
    vehicleIntakeId: string;
    body: z.output<B>;
  }) => Promise<IntakeRecord>;
}

/** An endpoint that changes one intake of the caller's site and answers it as the site sees it. */
const intakeChange = <B extends z.ZodType>({ body, done, change, ...spec }: IntakeChange<B>): Endpoint =>
  endpoint({
    ...spec,
    roles: [...OPERATORS],
    scope: ownSite,
    request: { params: IntakeParams, body },
    responses: {
      200: { description: done, schema: VehicleIntakeView },
      404: intakeNotFound,
      409: conflict,
    },
    handler: async ({ params, body: input, principal }) =>
      intakeView(
        await change({ principal, vehicleIntakeId: params.vehicleIntakeId, body: input as z.output<B> }),
      ),
  });

export function dismantlingEndpoints(ctx: AppContext, _profile: CityProfile): Endpoint[] {
  return [
    endpoint({
      method: 'put',
      path: '/dismantlers/:dismantlerId',
      operationId: 'putDismantler',
      summary: {
        zh: '登记或更新拆解企业及其资质',
        en: 'Record or update a dismantler and its qualification',
      },
      roles: ['administrator'],
      request: { params: DismantlerParams, body: PutDismantlerBody },
      responses: {
        200: { description: '已更新 / Updated', schema: DismantlerView },
        201: { description: '已登记 / Recorded', schema: DismantlerView },
      },
      handler: async ({ params, body }) => {
        const { dismantler, created } = await putDismantler(ctx, params.dismantlerId, body);
        return reply(created ? 201 : 200, dismantlerView(dismantler));
      },
    }),
    endpoint({
      method: 'get',
      path: '/dismantlers/:dismantlerId',
      operationId: 'getDismantler',
      summary: { zh: '查看拆解企业', en: 'Read a dismantler' },
      roles: [...OPERATORS],
      scope: ownSiteParam,
      request: { params: DismantlerParams },
      responses: {
        200: { description: '拆解企业 / The dismantler', schema: DismantlerView },
        404: problemResponse('未找到拆解企业 / No such dismantler'),
      },
      handler: async ({ params }) => dismantlerView(await getDismantler(ctx, params.dismantlerId)),
    }),
    endpoint({
      method: 'get',
      path: '/dismantlers/:dismantlerId/work-list',
      operationId: 'getDismantlerWorkList',
      summary: {
        zh: '拆解企业当日工作清单：待上门取车、待接收、今日接收、待出证明、待拆解、待注销',
        en: "The dismantler's day: pickups due, to take in, taken in, to certify, to dismantle, to deregister",
      },
      description:
        'Kept on the server so that a reload or the next shift finds the same work. Days are local (the city time zone); pickups are shown from 7 days back to 7 days ahead; the intakes to certify, dismantle and deregister whatever day they came in. Pickups booked before the list existed are not on it.',
      roles: [...OPERATORS],
      scope: ownSiteParam,
      request: { params: DismantlerParams, query: WorkListQuery },
      responses: { 200: { description: '当日清单 / The day', schema: WorkListView } },
      handler: ({ params, query, principal }) =>
        dismantlerWorkList(ctx, principal, params.dismantlerId, query.date),
    }),
    endpoint({
      method: 'get',
      path: '/expected-vehicles',
      operationId: 'listExpectedVehicles',
      summary: {
        zh: '待上门取车的车辆',
        en: 'Vehicle pickups assigned to a site, not yet taken in',
      },
      roles: [...OPERATORS],
      scope: ownSite,
      request: { query: ExpectedVehiclesQuery },
      responses: {
        200: {
          description: '最早预约的在前 / Oldest request first',
          schema: z.object({ items: z.array(ExpectedVehicleView) }),
        },
      },
      handler: async ({ query, principal }) => {
        const expected = await listExpectedVehicles(ctx, principal, query.dismantlerId);
        return { items: expected.map(({ _id, ...e }) => ({ pickupId: _id, ...e })) };
      },
    }),
    endpoint({
      method: 'post',
      path: '/vehicle-intakes',
      operationId: 'recordVehicleIntake',
      summary: { zh: '接收报废车辆', en: 'Take in a scrapped vehicle' },
      description:
        'The site must be registered, active and qualified (403 with code); one live intake per VIN (409 vin-already-taken).',
      roles: [...OPERATORS],
      scope: { rule: 'an operator only for the site of its token (body dismantlerId = scope)' },
      request: { body: RecordIntakeBody },
      responses: {
        201: { description: '已接收 / Taken in', schema: VehicleIntakeView },
        409: problemResponse(
          '车架号已有有效接收记录，或取车单属其他企业、已关闭 / VIN already taken in, or the pickup is another site’s or closed',
        ),
      },
      handler: async ({ body, principal }) => {
        const intake = await recordIntake(ctx, principal, body);
        return reply(201, intakeView(intake), { Location: `/vehicle-intakes/${intake._id}` });
      },
    }),
    endpoint({
      method: 'get',
      path: '/vehicle-intakes',
      operationId: 'listVehicleIntakes',
      summary: { zh: '拆解企业的接收记录', en: "A site's vehicle intakes, newest first" },
      roles: [...OPERATORS],
      scope: ownSite,
      request: { query: ListIntakesQuery },
      responses: {
        200: {
          description: '最新的在前 / Newest first',
          schema: z.object({ items: z.array(VehicleIntakeView) }),
        },
      },
      handler: async ({ query, principal }) => ({
        items: (await listIntakes(ctx, principal, query)).map(intakeView),
      }),
    }),
    endpoint({
      method: 'get',
      path: '/vehicle-intakes/:vehicleIntakeId',
      operationId: 'getVehicleIntake',
      summary: { zh: '查看接收记录', en: 'Read a vehicle intake' },
      roles: [...OPERATORS],
      scope: ownSite,
      request: { params: IntakeParams },
      responses: {
        200: { description: '接收记录 / The intake', schema: VehicleIntakeView },
        404: intakeNotFound,
      },
      handler: async ({ params, principal }) =>
        intakeView(await getIntake(ctx, principal, params.vehicleIntakeId)),
    }),
    intakeChange({
      method: 'post',
      path: '/vehicle-intakes/:vehicleIntakeId/void',
      operationId: 'voidVehicleIntake',
      summary: {
        zh: '作废接收记录（出具证明前）',
        en: 'Void an intake recorded in error (before the certificate)',
      },
      body: VoidIntakeBody,
      done: '已作废 / Voided',
      change: ({ principal, vehicleIntakeId, body }) =>
        voidIntake(ctx, principal, vehicleIntakeId, body.reason),
    }),
    intakeChange({
      method: 'post',
      path: '/vehicle-intakes/:vehicleIntakeId/certificate',
      operationId: 'issueCertificate',
      summary: { zh: '出具报废机动车回收证明', en: 'Issue the recycling certificate' },
      description: 'Asking again returns the same certificate.',
      body: EmptyBody,
      done: '已出具 / Issued',
      change: ({ principal, vehicleIntakeId }) => issueCertificate(ctx, principal, vehicleIntakeId),
    }),
    endpoint({
      method: 'get',
      path: '/certificates/:certificateNo',
      operationId: 'printCertificate',
      summary: { zh: '打印回收证明（HTML）', en: 'The printable certificate (HTML)' },
      roles: ['resident', 'dismantler-operator', 'administrator'],
      scope: {
        rule: 'the owner (the resident of the pickup), an operator of the issuing site, administrators',
      },
      request: { params: CertificateParams },
      responses: {
        200: {
          description: '可打印的证明，中文在前 / The printable certificate, Chinese first',
          schema: CertificatePage,
          contentType: 'text/html',
        },
        404: problemResponse('未找到回收证明 / No such certificate'),
      },
      handler: async ({ params, principal, res }) => {
        const { intake, dismantler } = await findCertificate(ctx, params.certificateNo, principal);
        res.type('text/html; charset=utf-8').send(renderCertificateHtml(intake, dismantler, ctx.profile));
      },
    }),
    intakeChange({
      method: 'post',
      path: '/vehicle-intakes/:vehicleIntakeId/deregistration',
      operationId: 'requestDeregistration',
      summary: { zh: '向公安交管部门申请注销登记', en: 'Request deregistration from the traffic police' },
      body: RequestDeregistrationBody,
      done: '已申请 / Requested',
      change: ({ principal, vehicleIntakeId, body }) =>
        requestDeregistration(ctx, principal, vehicleIntakeId, body),
    }),
    intakeChange({
      method: 'put',
      path: '/vehicle-intakes/:vehicleIntakeId/deregistration/outcome',
      operationId: 'recordDeregistrationOutcome',
      summary: { zh: '登记注销结果', en: 'Record the outcome of the deregistration request' },
      body: DeregistrationOutcomeBody,
      done: '已登记 / Recorded',
      change: ({ principal, vehicleIntakeId, body }) =>
        recordDeregistrationOutcome(ctx, principal, vehicleIntakeId, body),
    }),
    intakeChange({
      method: 'post',
      path: '/vehicle-intakes/:vehicleIntakeId/dismantling',
      operationId: 'recordDismantling',
      summary: { zh: '登记拆解记录', en: 'Record how the vehicle was dismantled' },
      description:
        'All five major assemblies, each to remanufacturing (with its code) or scrap steel; new-energy vehicles their traction battery.',
      body: RecordDismantlingBody,
      done: '已登记 / Recorded',
      change: ({ principal, vehicleIntakeId, body }) =>
        recordDismantling(ctx, principal, vehicleIntakeId, body),
    }),
  ];
}
