import {
  DomainError,
  emissionStandards,
  isAtOrOlderThan,
  isNewEnergy,
  vehicleTypes,
  type CarRule,
  type DomainFieldError,
  type EmissionStandard,
  type FuelType,
  type VehicleType,
} from '@recycling/contracts';

// Whether an old car and a new car qualify under the rule in force (pure; every cut-off is data).
// All failures are collected, so the applicant sees every field at fault at once (400 naming them).

export interface OldCarFacts {
  vehicleType: VehicleType;
  fuelType: FuelType;
  emissionStandard: EmissionStandard;
  /** First registration (初次登记), YYYY-MM-DD. */
  registrationDate: string;
  /** In the applicant's name since, YYYY-MM-DD. */
  ownedSince: string;
}

export interface NewCarFacts {
  vehicleType: VehicleType;
  fuelType: FuelType;
  displacementMl?: number;
  priceFen: number;
  purchaseDate: string;
  registrationDate: string;
}

export type FuelGroup = 'gasoline' | 'diesel' | 'newEnergy';

/** Registration cut-offs are stated for petrol, diesel and new-energy cars; other fuels count as petrol. */
export const fuelGroupOf = (fuel: FuelType): FuelGroup =>
  isNewEnergy(fuel) ? 'newEnergy' : fuel === 'diesel' ? 'diesel' : 'gasoline';

const FUEL_GROUP_NAMES: Record<FuelGroup, string> = {
  gasoline: '汽油车 / petrol car',
  diesel: '柴油车 / diesel car',
  newEnergy: '新能源汽车 / new-energy car',
};

export function oldCarFailures(rule: CarRule, car: OldCarFacts, prefix = 'oldCar'): DomainFieldError[] {
  const failures: DomainFieldError[] = [];
  const old = rule.oldCar;
  if (!old.vehicleTypes.includes(car.vehicleType)) {
    failures.push({
      field: `${prefix}.vehicleType`,
      code: 'old-car-type-not-eligible',
      message: `旧车须为${old.vehicleTypes.map((t) => vehicleTypes[t].name.zh).join('、')} / The old car must be a ${old.vehicleTypes.map((t) => vehicleTypes[t].name.en).join(' or ')}.`,
    });
  }
  if (old.registeredOnOrBefore) {
    const group = fuelGroupOf(car.fuelType);
    const cutOff = old.registeredOnOrBefore[group];
    const byStandard =
      group !== 'newEnergy' &&
      old.fuelCarQualifiesAtOrOlderThan !== undefined &&
      isAtOrOlderThan(car.emissionStandard, old.fuelCarQualifiesAtOrOlderThan);
    if (car.registrationDate > cutOff && !byStandard) {
      const standard = old.fuelCarQualifiesAtOrOlderThan
        ? `，或排放标准为${emissionStandards[old.fuelCarQualifiesAtOrOlderThan].name.zh}及以下`
        : '';
      failures.push({
        field: `${prefix}.registrationDate`,
        code: 'old-car-registered-too-late',
        message: `${FUEL_GROUP_NAMES[group].split(' / ')[0]}须在 ${cutOff} 及以前注册登记${standard} / A ${FUEL_GROUP_NAMES[group].split(' / ')[1]} must have been registered on or before ${cutOff}${old.fuelCarQualifiesAtOrOlderThan ? `, or be of ${emissionStandards[old.fuelCarQualifiesAtOrOlderThan].name.en} or older` : ''}.`,
      });
    }
  }
  if (old.ownedSinceBefore && car.ownedSince >= old.ownedSinceBefore) {
    failures.push({
      field: `${prefix}.ownedSince`,
      code: 'old-car-owned-too-recently',
      message: `旧车须在 ${old.ownedSinceBefore} 之前登记在申请人名下 / The old car must have been in the applicant's name since before ${old.ownedSinceBefore}.`,
    });
  }
  if (car.ownedSince < car.registrationDate) {
    failures.push({
      field: `${prefix}.ownedSince`,
      code: 'owned-before-registration',
      message: '名下日期不能早于初次登记日期 / Owned since cannot be before the first registration.',
    });
  }
  return failures;
}

export function newCarFailures(rule: CarRule, car: NewCarFacts, prefix = 'newCar'): DomainFieldError[] {
  const failures: DomainFieldError[] = [];
  const rules = rule.newCar;
  if (!rules.vehicleTypes.includes(car.vehicleType)) {
    failures.push({
      field: `${prefix}.vehicleType`,
      code: 'new-car-type-not-eligible',
      message: `新车须为${rules.vehicleTypes.map((t) => vehicleTypes[t].name.zh).join('、')} / The new car must be a ${rules.vehicleTypes.map((t) => vehicleTypes[t].name.en).join(' or ')}.`,
    });
  }
  if (!isNewEnergy(car.fuelType) && rules.fuelMaxDisplacementMl !== undefined) {
    if (car.displacementMl === undefined) {
      failures.push({
        field: `${prefix}.displacementMl`,
        code: 'displacement-required',
        message: '燃油车须登记排量 / A fuel car needs its displacement.',
      });
    } else if (car.displacementMl > rules.fuelMaxDisplacementMl) {
      failures.push({
        field: `${prefix}.displacementMl`,
        code: 'new-car-displacement-too-large',
        message: `燃油新车排量须不超过 ${rules.fuelMaxDisplacementMl / 1000} 升 / A new fuel car may have at most ${rules.fuelMaxDisplacementMl / 1000} L.`,
      });
    }
  }
  if (car.registrationDate < car.purchaseDate) {
    failures.push({
      field: `${prefix}.registrationDate`,
      code: 'new-car-registered-before-purchase',
      message:
        '新车注册登记日期早于购车发票日期 / The new car was registered before the date of its sales invoice.',
    });
  }
  return failures;
}

/** Refuses (400 naming every field) a claim whose cars do not qualify under the rule. */
export function assertCarsEligible(rule: CarRule, oldCar: OldCarFacts, newCar: NewCarFacts): void {
  const failures = [...oldCarFailures(rule, oldCar), ...newCarFailures(rule, newCar)];
  if (failures.length === 0) return;
  const [first, ...rest] = failures;
  throw DomainError.invalid(first!.code, first!.field, first!.message, { fields: rest });
}
