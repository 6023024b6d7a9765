import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  APPLIANCE_CATEGORY_CODES,
  CityProfileError,
  alarProfile,
  districtByCode,
  loadCityProfile,
  targetValue,
  vehicleFlags,
} from '../src';
import type { CityProfile, VehicleFacts } from '../src';

const ALAR_PATH = resolve(__dirname, '../../../config/cities/alar-659002.json');

const clone = (): Record<string, any> => structuredClone(alarProfile) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('the Alar profile', () => {
  it('loads from its file, from JSON text and as the exported default, all equal', () => {
    const fromFile = loadCityProfile(ALAR_PATH);
    expect(fromFile).toEqual(alarProfile);
    expect(loadCityProfile(JSON.stringify(alarProfile))).toEqual(alarProfile);
  });

  it('has the 15 regiment towns, 4 street offices and 1 township of the division', () => {
    const byKind = (kind: string) => alarProfile.districts.filter((d) => d.kind === kind).length;
    expect(alarProfile.code).toBe('659002');
    expect(alarProfile.timezone).toBe('Asia/Shanghai');
    expect([byKind('town'), byKind('street'), byKind('township')]).toEqual([15, 4, 1]);
    expect(districtByCode(alarProfile, 't01')?.name.zh).toBe('金银川镇');
    expect(districtByCode(alarProfile, 't16')?.regiment).toBe(16);
    expect(districtByCode(alarProfile, 't15')).toBeUndefined();
    expect(districtByCode(alarProfile, 'x-tuokayi')?.name.zh).toBe('托喀依乡');
  });

  it('has a default weight for every appliance category', () => {
    for (const code of APPLIANCE_CATEGORY_CODES) {
      expect(alarProfile.appliances.defaultWeightGrams[code]).toBeGreaterThan(0);
    }
    expect(alarProfile.appliances.defaultWeightGrams.laptop).toBe(2_500);
    expect(alarProfile.appliances.assumed).toBe(true);
  });

  it('carries the 2027 targets on assumed 2023 baselines', () => {
    const m = alarProfile.targets.metrics;
    expect(targetValue(m['scrapped-vehicles'])).toBe(1_120);
    expect(targetValue(m['used-car-transactions'])).toBe(5_200);
    expect(targetValue(m['appliances-recovered'])).toBe(13_000);
    expect(m['scrapped-vehicles'].baselineAssumed).toBe(true);
  });

  it('carries the reverse-invoicing parameters in fen and basis points', () => {
    expect(alarProfile.tax.reverseInvoicing).toMatchObject({
      rollingCapFen: 500_000_000,
      rollingCapMonths: 12,
      monthlyExemptionThresholdFen: 10_000_000,
      standardVatRateBp: 300,
      reducedVatRateBp: 100,
      reducedVatRateUntil: '2027-12-31',
      incomeTaxPrepaymentRateBp: 50,
    });
  });
});

describe('loadCityProfile rejects bad profiles', () => {
  const expectInvalid = (profile: object, path: string) => {
    let error: unknown;
    try {
      loadCityProfile(profile);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CityProfileError);
    expect((error as CityProfileError).message).toContain(path);
  };

  it('names a missing default weight', () => {
    const p = clone();
    delete p.appliances.defaultWeightGrams.laptop;
    expectInvalid(p, 'appliances.defaultWeightGrams.laptop');
  });

  it('names duplicate districts, an unknown time zone and an unknown key', () => {
    const p = clone();
    p.districts.push({ ...p.districts[0] });
    p.timezone = 'Asia/Alar';
    p.tax.reverseInvoicing.monthlyExemptionTresholdFen = 1;
    expectInvalid(p, 'districts.20.code');
    expectInvalid(p, 'timezone');
    expectInvalid(p, 'tax.reverseInvoicing');
  });

  it('rejects rates given as fractions and amounts given in yuan', () => {
    const p = clone();
    p.tax.reverseInvoicing.reducedVatRateBp = 0.01;
    expectInvalid(p, 'tax.reverseInvoicing.reducedVatRateBp');
    const q = clone();
    q.tax.reverseInvoicing.rollingCapFen = 5_000_000;
    q.tax.reverseInvoicing.monthlyExemptionThresholdFen = 10_000_000;
    expectInvalid(q, 'monthlyExemptionThresholdFen');
  });

  it('rejects a target year before the baseline', () => {
    const p = clone();
    p.targets.targetYear = 2022;
    expectInvalid(p, 'targets.targetYear');
  });

  it('reports unreadable files and bad JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'city-profile-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "code": ');
    expect(() => loadCityProfile(bad)).toThrow(/not valid JSON/);
    expect(() => loadCityProfile(join(dir, 'missing.json'))).toThrow(/cannot read/);
  });
});

describe('vehicleFlags (Alar rules)', () => {
  const subsidies: CityProfile['subsidies'] = alarProfile.subsidies;
  const car = (over: Partial<VehicleFacts>): VehicleFacts => ({
    vehicleType: 'passenger-car',
    fuelType: 'gasoline',
    emissionStandard: 'china-3',
    registrationDate: '2009-06-18',
    ...over,
  });

  it('makes China III and older fuel cars eligible, newer ones and unknown ones not', () => {
    expect(vehicleFlags(car({}), subsidies).tradeInSubsidyEligible).toBe(true);
    expect(vehicleFlags(car({ emissionStandard: 'pre-china-1' }), subsidies).tradeInSubsidyEligible).toBe(
      true,
    );
    expect(vehicleFlags(car({ emissionStandard: 'china-4' }), subsidies).tradeInSubsidyEligible).toBe(false);
    expect(vehicleFlags(car({ emissionStandard: 'unknown' }), subsidies).tradeInSubsidyEligible).toBe(false);
    // A conventional hybrid is a fuel car.
    expect(vehicleFlags(car({ fuelType: 'hybrid' }), subsidies).tradeInSubsidyEligible).toBe(true);
  });

  it('makes new-energy cars eligible when registered on or before 2018-04-30', () => {
    const nev = (date: string) =>
      car({ fuelType: 'bev', emissionStandard: 'unknown', registrationDate: date });
    expect(vehicleFlags(nev('2018-04-30'), subsidies).tradeInSubsidyEligible).toBe(true);
    expect(vehicleFlags(nev('2018-05-01'), subsidies).tradeInSubsidyEligible).toBe(false);
  });

  it('flags China III and older diesel trucks for early retirement', () => {
    const truck = car({ vehicleType: 'truck', fuelType: 'diesel' });
    expect(vehicleFlags(truck, subsidies)).toEqual({
      earlyRetiredDieselTruck: true,
      tradeInSubsidyEligible: false,
    });
    expect(vehicleFlags({ ...truck, emissionStandard: 'china-4' }, subsidies).earlyRetiredDieselTruck).toBe(
      false,
    );
    expect(vehicleFlags({ ...truck, fuelType: 'gasoline' }, subsidies).earlyRetiredDieselTruck).toBe(false);
  });
});
