// Pieces the intake use cases share: access to a site, the lifecycle view the rules read, errors.
import { randomBytes } from 'node:crypto';
import type { HydratedDocument } from 'mongoose';
import { localDate } from '../domain/calendar';
import { RuleViolation } from '../domain/errors';
import type { IntakeLifecycle } from '../domain/vehicle-intake';
import type { IntakeRecord, VehicleIntakeDoc } from '../store/models';

/** Throws (403) unless the caller may act for this site. */
export type SiteAccess = (dismantlerId: string) => void;

export type IntakeDocument = HydratedDocument<VehicleIntakeDoc>;

export const newIntakeId = (now: Date, timeZone: string) =>
  `vi-${localDate(now, timeZone).replace(/-/g, '')}-${randomBytes(5).toString('hex')}`;

export const lifecycle = (doc: VehicleIntakeDoc): IntakeLifecycle => ({
  vehicleIntakeId: doc._id,
  status: doc.status,
  fuelType: doc.fuelType as IntakeLifecycle['fuelType'],
  certificate: doc.certificate,
  deregistration: doc.deregistration,
  dismantling: doc.dismantling,
});

export const withoutOutbox = ({
  outbox: _outbox,
  outboxUpdatedAt: _at,
  ...rest
}: VehicleIntakeDoc): IntakeRecord => rest;

export const notFound = (vehicleIntakeId: string) =>
  new RuleViolation(
    'not-found',
    'intake-not-found',
    `未找到接收记录 ${vehicleIntakeId} / Vehicle intake ${vehicleIntakeId} not found.`,
  );
