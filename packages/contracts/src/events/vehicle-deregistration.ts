import { z } from 'zod';
import { Id, LocalDate, Note, Vin } from '../scalars';
import { OccurredAt } from './common';

// The traffic police's answer to a deregistration request (注销登记), on recycling.vehicles.v1 beside
// the request itself: the dismantler records it, and a scrap-and-buy subsidy claim needs a completed
// deregistration (domain.md section 9). Kept in a file of its own; the vehicles topic carries these
// types with those of vehicles.ts.

export const VehicleDeregistrationEventTypes = {
  deregistered: 'recycling.vehicle.deregistered.v1',
  deregistrationRefused: 'recycling.vehicle.deregistration-refused.v1',
} as const;

export const VehicleDeregisteredData = z
  .object({
    vin: Vin,
    vehicleIntakeId: Id,
    dismantlerId: Id,
    certificateNo: z.string().min(1).max(40).describe('The recycling certificate the request named'),
    deregistrationCertificateNo: z
      .string()
      .min(1)
      .max(64)
      .describe('Number of the deregistration certificate (注销证明) the traffic police issued'),
    deregisteredOn: LocalDate.describe('Date of deregistration on that certificate'),
    occurredAt: OccurredAt.describe('When the dismantler recorded it'),
  })
  .describe('The traffic police deregistered the vehicle (注销登记办结)');
export type VehicleDeregisteredData = z.infer<typeof VehicleDeregisteredData>;

export const VehicleDeregistrationRefusedData = z
  .object({
    vin: Vin,
    vehicleIntakeId: Id,
    dismantlerId: Id,
    certificateNo: z.string().min(1).max(40),
    reason: Note.describe('Why the traffic police refused; no personal data'),
    occurredAt: OccurredAt,
  })
  .describe('The traffic police refused the deregistration; the dismantler may request it again');
export type VehicleDeregistrationRefusedData = z.infer<typeof VehicleDeregistrationRefusedData>;

export const vehicleDeregistrationEventSchemas = {
  [VehicleDeregistrationEventTypes.deregistered]: VehicleDeregisteredData,
  [VehicleDeregistrationEventTypes.deregistrationRefused]: VehicleDeregistrationRefusedData,
} as const;
