import { z } from 'zod';
import type { Label } from '../labels';

// Scrapped vehicles are counted in vehicles, split by these types (domain.md section 4).

export const VEHICLE_TYPE_CODES = ['passenger-car', 'truck', 'bus', 'special', 'motorcycle'] as const;

export const VehicleType = z.enum(VEHICLE_TYPE_CODES).describe('Vehicle type code');
export type VehicleType = z.infer<typeof VehicleType>;

export interface VehicleTypeInfo {
  readonly code: VehicleType;
  readonly name: Label;
}

export const vehicleTypes: Readonly<Record<VehicleType, VehicleTypeInfo>> = {
  'passenger-car': { code: 'passenger-car', name: { zh: '乘用车', en: 'Passenger car' } },
  truck: { code: 'truck', name: { zh: '货车', en: 'Truck' } },
  bus: { code: 'bus', name: { zh: '客车', en: 'Bus' } },
  special: { code: 'special', name: { zh: '专项作业车', en: 'Special-purpose vehicle' } },
  motorcycle: { code: 'motorcycle', name: { zh: '摩托车', en: 'Motorcycle' } },
};
