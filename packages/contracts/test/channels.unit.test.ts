// The two channels of plan section 5 as contracts: public institutions' disposals and
// remanufacturing (profile data, reference data, events and keys).
import {
  CATALOGUE_CATEGORY_CODES,
  DisposalBatchRegisteredData,
  DisposalProceedsPaidData,
  PublicInstitutionDisposals,
  RemanufacturingProductReleasedData,
  RemanufacturingRules,
  alarProfile,
  applianceCategories,
  disposalModes,
  isEquipmentCategory,
  keyForEvent,
} from '../src';
import { fixtures } from '../src/fixtures';

const clone = <T>(v: T): T => structuredClone(v);

describe('the equipment categories of intakes', () => {
  it('carry textile machinery and PV inverters as equipment, outside the 14-category catalogue', () => {
    for (const code of ['textile-machinery', 'pv-inverter'] as const) {
      expect(isEquipmentCategory(code)).toBe(true);
      expect(applianceCategories[code].householdAppliance).toBe(false);
      expect(applianceCategories[code].catalogueCategory).toBeUndefined();
      expect(CATALOGUE_CATEGORY_CODES).not.toContain(code);
      expect(alarProfile.appliances.defaultWeightGrams[code]).toBeGreaterThan(0);
    }
    expect(CATALOGUE_CATEGORY_CODES).toHaveLength(14);
    expect(applianceCategories.laptop.catalogueCategory).toBe('microcomputer');
  });
});

describe('the Alar public-institution data', () => {
  const data = alarProfile.publicInstitutions!;

  it('has the reported minimum service lives, marked assumed', () => {
    const life = (code: string) => data.assetCategories.find((c) => c.code === code)?.minimumServiceLife;
    expect(life('desktop-computer')).toEqual({ years: 6 });
    expect(life('copier')).toEqual({ years: 6, orPages: 300_000 });
    expect(life('office-furniture')).toEqual({ years: 15 });
    expect(data.assumed).toBe(true);
  });

  it('has a licensed receiver for classified assets, and one for every mode with a handover', () => {
    expect(
      data.receivers.some((r) => r.classified && r.licence.kind === 'classified-carrier-destruction'),
    ).toBe(true);
    for (const mode of Object.values(disposalModes).filter((m) => m.physicalHandover)) {
      expect({ mode: mode.code, served: data.receivers.some((r) => r.modes.includes(mode.code)) }).toEqual({
        mode: mode.code,
        served: true,
      });
    }
  });

  it('refuses a receiver naming an unknown asset category', () => {
    const bad = clone(data);
    bad.receivers[0]!.assetCategories.push('spaceship');
    const result = PublicInstitutionDisposals.safeParse(bad);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('spaceship');
  });
});

describe('the Alar remanufacturing data', () => {
  const data = alarProfile.remanufacturing!;

  it('has engine, transmission, steering gear, loom and inverter lines with the GB/T 27611 mark', () => {
    expect(data.productLines.map((l) => l.code)).toEqual([
      'engine',
      'transmission',
      'steering-gear',
      'rapier-loom',
      'pv-inverter',
    ]);
    expect(data.mark).toEqual({ text: '再制造', standard: 'GB/T 27611-2011' });
  });

  it('refuses a line of vehicle assemblies that does not forbid building new vehicles', () => {
    const bad = clone(data);
    bad.productLines[0]!.forbiddenUses = [];
    const result = RemanufacturingRules.safeParse(bad);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['productLines', 0, 'forbiddenUses']);
  });

  it('refuses a household appliance as a core category', () => {
    const bad = clone(data);
    bad.productLines[3]!.cores.intakeCategories = ['refrigerator'];
    expect(RemanufacturingRules.safeParse(bad).success).toBe(false);
  });
});

describe('the events of the two channels', () => {
  it('refuse a batch whose total is not the sum of its assets', () => {
    const data = { ...fixtures['recycling.disposal.batch-registered.v1'], totalOriginalValueFen: 1 };
    const result = DisposalBatchRegisteredData.safeParse(data);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['totalOriginalValueFen']);
  });

  it('can name no payee of proceeds but the treasury', () => {
    const paid = { ...fixtures['recycling.disposal.proceeds-paid.v1'], payee: 'person' };
    expect(DisposalProceedsPaidData.safeParse(paid).success).toBe(false);
  });

  it('refuse a release whose warranty is shorter than the original’s', () => {
    const released = { ...fixtures['recycling.remanufacturing.product-released.v1'], warrantyMonths: 12 };
    const result = RemanufacturingProductReleasedData.safeParse(released);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['warrantyMonths']);
  });

  it('key batches by batch id, cores by core id and products by product id', () => {
    expect(
      keyForEvent('recycling.disposal.batch-closed.v1', fixtures['recycling.disposal.batch-closed.v1']),
    ).toBe('dp-20250402-a1b2c3d4');
    expect(
      keyForEvent(
        'recycling.remanufacturing.core-received.v1',
        fixtures['recycling.remanufacturing.core-received.v1'],
      ),
    ).toBe('core-20250320-5e6f7a8b');
    expect(
      keyForEvent(
        'recycling.remanufacturing.product-released.v1',
        fixtures['recycling.remanufacturing.product-released.v1'],
      ),
    ).toBe('rp-20250325-9c0d1e2f');
  });
});
