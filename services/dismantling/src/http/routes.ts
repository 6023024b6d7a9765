import { assertScope, principalOf } from '@recycling/service-kit';
import type { Request } from 'express';
import { findCertificate } from '../app/certificates';
import type { AppContext } from '../app/context';
import { getDismantler, putDismantler } from '../app/dismantlers';
import { listExpectedVehicles } from '../app/expected-vehicles';
import type { SiteAccess } from '../app/intake-common';
import {
  issueCertificate,
  recordDeregistrationOutcome,
  recordDismantling,
  requestDeregistration,
  voidIntake,
} from '../app/intake-changes';
import { getIntake, listIntakes } from '../app/intake-queries';
import { recordIntake } from '../app/record-intake';
import type { IntakeRecord } from '../store/models';
import { renderCertificateHtml } from './certificate-html';
import { route, type RouteSpec } from './route-spec';
import {
  CertificateParams,
  DeregistrationOutcomeBody,
  DismantlerParams,
  EmptyBody,
  ExpectedVehiclesQuery,
  IntakeParams,
  ListIntakesQuery,
  PutDismantlerBody,
  RecordDismantlingBody,
  RecordIntakeBody,
  RequestDeregistrationBody,
  VoidIntakeBody,
} from './schemas';

/** An operator acts only for the site in its token's scope; administrators for every site. */
const siteAccess =
  (req: Request): SiteAccess =>
  (dismantlerId) =>
    assertScope(principalOf(req), dismantlerId);

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

const OPERATORS = ['dismantler-operator', 'administrator'] as const;

export function dismantlingRoutes(ctx: AppContext): RouteSpec[] {
  return [
    route({
      method: 'put',
      path: '/dismantlers/:dismantlerId',
      operationId: 'putDismantler',
      summary: '登记或更新拆解企业及其资质 / Record or update a dismantler and its qualification',
      roles: ['administrator'],
      schemas: { params: DismantlerParams, body: PutDismantlerBody },
      produces: 'application/json',
      successStatus: 200,
      handler: async ({ params, body }, _req, res) => {
        const { dismantler, created } = await putDismantler(ctx, params.dismantlerId, body);
        res.status(created ? 201 : 200).json({ ...dismantler, dismantlerId: dismantler._id });
      },
    }),
    route({
      method: 'get',
      path: '/dismantlers/:dismantlerId',
      operationId: 'getDismantler',
      summary: '查看拆解企业 / Read a dismantler',
      roles: [...OPERATORS],
      schemas: { params: DismantlerParams },
      produces: 'application/json',
      successStatus: 200,
      handler: async ({ params }, req, res) => {
        siteAccess(req)(params.dismantlerId);
        const dismantler = await getDismantler(ctx, params.dismantlerId);
        res.json({ ...dismantler, dismantlerId: dismantler._id });
      },
    }),
    route({
      method: 'get',
      path: '/expected-vehicles',
      operationId: 'listExpectedVehicles',
      summary: '待上门取车的车辆 / Vehicle pickups assigned to a site, not yet taken in',
      roles: [...OPERATORS],
      schemas: { query: ExpectedVehiclesQuery },
      produces: 'application/json',
      successStatus: 200,
      handler: async ({ query }, req, res) => {
        siteAccess(req)(query.dismantlerId);
        const expected = await listExpectedVehicles(ctx, query.dismantlerId);
        res.json({ items: expected.map(({ _id, ...e }) => ({ pickupId: _id, ...e })) });
      },
    }),
    route({
      method: 'post',
      path: '/vehicle-intakes',
      operationId: 'recordVehicleIntake',
      summary: '接收报废车辆 / Take in a scrapped vehicle',
      roles: [...OPERATORS],
      schemas: { body: RecordIntakeBody },
      produces: 'application/json',
      successStatus: 201,
      handler: async ({ body }, req, res) => {
        const intake = await recordIntake(ctx, body, siteAccess(req));
        res.status(201).location(`/vehicle-intakes/${intake._id}`).json(intakeView(intake));
      },
    }),
    route({
      method: 'get',
      path: '/vehicle-intakes',
      operationId: 'listVehicleIntakes',
      summary: "拆解企业的接收记录 / A site's vehicle intakes, newest first",
      roles: [...OPERATORS],
      schemas: { query: ListIntakesQuery },
      produces: 'application/json',
      successStatus: 200,
      handler: async ({ query }, req, res) => {
        const intakes = await listIntakes(ctx, query, siteAccess(req));
        res.json({ items: intakes.map(intakeView) });
      },
    }),
    route({
      method: 'get',
      path: '/vehicle-intakes/:vehicleIntakeId',
      operationId: 'getVehicleIntake',
      summary: '查看接收记录 / Read a vehicle intake',
      roles: [...OPERATORS],
      schemas: { params: IntakeParams },
      produces: 'application/json',
      successStatus: 200,
      handler: async ({ params }, req, res) => {
        res.json(intakeView(await getIntake(ctx, params.vehicleIntakeId, siteAccess(req))));
      },
    }),
    route({
      method: 'post',
      path: '/vehicle-intakes/:vehicleIntakeId/void',
      operationId: 'voidVehicleIntake',
      summary: '作废接收记录（出具证明前） / Void an intake recorded in error (before the certificate)',
      roles: [...OPERATORS],
      schemas: { params: IntakeParams, body: VoidIntakeBody },
      produces: 'application/json',
      successStatus: 200,
      handler: async ({ params, body }, req, res) => {
        res.json(intakeView(await voidIntake(ctx, params.vehicleIntakeId, body.reason, siteAccess(req))));
      },
    }),
    route({
      method: 'post',
      path: '/vehicle-intakes/:vehicleIntakeId/certificate',
      operationId: 'issueCertificate',
      summary: '出具报废机动车回收证明 / Issue the recycling certificate',
      roles: [...OPERATORS],
      schemas: { params: IntakeParams, body: EmptyBody },
      produces: 'application/json',
      successStatus: 200,
      handler: async ({ params }, req, res) => {
        res.json(intakeView(await issueCertificate(ctx, params.vehicleIntakeId, siteAccess(req))));
      },
    }),
    route({
      method: 'get',
      path: '/certificates/:certificateNo',
      operationId: 'printCertificate',
      summary: '打印回收证明（HTML） / The printable certificate (HTML)',
      roles: ['resident', 'dismantler-operator', 'administrator'],
      schemas: { params: CertificateParams },
      produces: 'text/html',
      successStatus: 200,
      handler: async ({ params }, req, res) => {
        const principal = principalOf(req);
        const { intake, dismantler } = await findCertificate(ctx, params.certificateNo, principal);
        res.type('text/html; charset=utf-8').send(renderCertificateHtml(intake, dismantler, ctx.profile));
      },
    }),
    route({
      method: 'post',
      path: '/vehicle-intakes/:vehicleIntakeId/deregistration',
      operationId: 'requestDeregistration',
      summary: '向公安交管部门申请注销登记 / Request deregistration from the traffic police',
      roles: [...OPERATORS],
      schemas: { params: IntakeParams, body: RequestDeregistrationBody },
      produces: 'application/json',
      successStatus: 200,
      handler: async ({ params, body }, req, res) => {
        res.json(intakeView(await requestDeregistration(ctx, params.vehicleIntakeId, body, siteAccess(req))));
      },
    }),
    route({
      method: 'put',
      path: '/vehicle-intakes/:vehicleIntakeId/deregistration/outcome',
      operationId: 'recordDeregistrationOutcome',
      summary: '登记注销结果 / Record the outcome of the deregistration request',
      roles: [...OPERATORS],
      schemas: { params: IntakeParams, body: DeregistrationOutcomeBody },
      produces: 'application/json',
      successStatus: 200,
      handler: async ({ params, body }, req, res) => {
        res.json(
          intakeView(await recordDeregistrationOutcome(ctx, params.vehicleIntakeId, body, siteAccess(req))),
        );
      },
    }),
    route({
      method: 'post',
      path: '/vehicle-intakes/:vehicleIntakeId/dismantling',
      operationId: 'recordDismantling',
      summary: '登记拆解记录 / Record how the vehicle was dismantled',
      roles: [...OPERATORS],
      schemas: { params: IntakeParams, body: RecordDismantlingBody },
      produces: 'application/json',
      successStatus: 200,
      handler: async ({ params, body }, req, res) => {
        res.json(intakeView(await recordDismantling(ctx, params.vehicleIntakeId, body, siteAccess(req))));
      },
    }),
  ];
}
