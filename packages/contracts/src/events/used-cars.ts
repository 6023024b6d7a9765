import { z } from 'zod';
import { EmissionStandard } from '../reference/emission-standards';
import { FuelType } from '../reference/fuel-types';
import { VehicleType } from '../reference/vehicle-types';
import { DistrictCode, Fen, Id, LocalDate, PlateMasked, Vin } from '../scalars';
import { OccurredAt } from './common';
import { InvoiceNo } from './invoices';

// Topic recycling.used-cars.v1, written by statistics from what used-car markets record, keyed by VIN.
// Buyer and seller stay with the market: the targets count vehicles and value, not people.

export const UsedCarEventTypes = {
  transactionRecorded: 'recycling.used-car.transaction-recorded.v1',
} as const;

export const UsedCarTransactionRecordedData = z
  .object({
    transactionId: Id,
    vin: Vin,
    plateMasked: PlateMasked,
    marketId: Id,
    districtCode: DistrictCode.describe('District of the market'),
    vehicleType: VehicleType,
    fuelType: FuelType,
    emissionStandard: EmissionStandard.optional(),
    priceFen: Fen.describe('Price on the unified used-car sales invoice'),
    invoiceNo: InvoiceNo.describe('Number of the unified used-car sales invoice (二手车销售统一发票)'),
    transactedOn: LocalDate,
    occurredAt: OccurredAt.describe('When the transaction was recorded'),
  })
  .describe('A used-car sale was documented by a market');
export type UsedCarTransactionRecordedData = z.infer<typeof UsedCarTransactionRecordedData>;

export const usedCarEventSchemas = {
  [UsedCarEventTypes.transactionRecorded]: UsedCarTransactionRecordedData,
} as const;
