import { isAtOrOlderThan } from '../reference/emission-standards';
import type { EmissionStandard } from '../reference/emission-standards';
import { isNewEnergy } from '../reference/fuel-types';
import type { FuelType } from '../reference/fuel-types';
import type { VehicleType } from '../reference/vehicle-types';
import type { CityProfile } from './city-profile';

// The flags on vehicle.received are decided once, by the dismantler at intake, from the rules in the
// city profile; statistics and the subsidy office read the flags rather than re-deciding with rules
// that may have changed since.

export interface VehicleFacts {
  readonly vehicleType: VehicleType;
  readonly fuelType: FuelType;
  readonly emissionStandard: EmissionStandard;
  /** YYYY-MM-DD */
  readonly registrationDate: string;
}

export interface VehicleFlags {
  /** A vehicle of the kind the plan wants retired early (China III or older diesel trucks). */
  readonly earlyRetiredDieselTruck: boolean;
  /** The scrapped vehicle can back a trade-in subsidy claim for a new car. */
  readonly tradeInSubsidyEligible: boolean;
}

export const vehicleFlags = (vehicle: VehicleFacts, subsidies: CityProfile['subsidies']): VehicleFlags => {
  const tradeIn = subsidies.vehicleTradeIn;
  const diesel = subsidies.dieselTruckEarlyRetirement;
  const nev = isNewEnergy(vehicle.fuelType);
  const tradeInSubsidyEligible =
    tradeIn.vehicleTypes.includes(vehicle.vehicleType) &&
    (nev
      ? vehicle.registrationDate <= tradeIn.newEnergyRegisteredOnOrBefore
      : isAtOrOlderThan(vehicle.emissionStandard, tradeIn.fuelCarMaxEmissionStandard));
  const earlyRetiredDieselTruck =
    diesel.vehicleTypes.includes(vehicle.vehicleType) &&
    diesel.fuelTypes.includes(vehicle.fuelType) &&
    isAtOrOlderThan(vehicle.emissionStandard, diesel.maxEmissionStandard);
  return { earlyRetiredDieselTruck, tradeInSubsidyEligible };
};
