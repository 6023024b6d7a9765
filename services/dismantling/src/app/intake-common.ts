// Pieces the intake use cases share: the intake id, the lifecycle view the rules read, the record.
import { randomBytes } from 'node:crypto';
import { localDate } from '../domain/calendar';
import type { IntakeLifecycle } from '../domain/vehicle-intake';
import type { IntakeRecord, VehicleIntakeDoc } from '../store/models';

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
