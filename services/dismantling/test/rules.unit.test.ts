import { fixtures } from '@recycling/contracts/fixtures';
import { localDate, localYear } from '../src/domain/calendar';
import { formatCertificateNo, MAX_DISMANTLER_ID_LENGTH } from '../src/domain/certificate-number';
import { assertMayTakeIn, type Dismantler } from '../src/domain/dismantler';
import { DomainError } from '@recycling/contracts';
import {
  isInvoiceablePurchase,
  vehiclePurchaseRecorded,
  vehiclePurchaseWithdrawn,
} from '../src/domain/purchase';
import {
  assertMayRecordDeregistrationOutcome,
  assertMayRecordDismantling,
  assertMayRequestDeregistration,
  assertMayVoid,
  missingAssemblies,
  needsCertificate,
  type IntakeLifecycle,
} from '../src/domain/vehicle-intake';
import {
  PurchaseCorrectedData,
  PurchaseRecordedData,
  VehicleCertificateIssuedData,
} from '@recycling/contracts';
import { people } from '@recycling/contracts/fixtures';

const violation = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a rule violation');
};

const site: Dismantler = {
  dismantlerId: 'dm-alar-01',
  name: '阿拉尔市报废机动车回收拆解有限公司',
  enterpriseId: 'ent-alar-dismantling',
  qualificationCertificateNo: '新BF-659002-001',
  districtCode: 't10',
  status: 'active',
};

describe('who may take vehicles in', () => {
  it('lets an active, qualified site take vehicles in', () => {
    expect(assertMayTakeIn(site, site.dismantlerId, '2026-03-01')).toBe(site);
  });
  it('refuses an unknown, a suspended and an expired site, each with its own code', () => {
    expect(violation(() => assertMayTakeIn(null, 'dm-x', '2026-03-01'))).toMatchObject({
      kind: 'forbidden',
      code: 'dismantler-not-qualified',
      fields: [{ field: 'dismantlerId', code: 'dismantler-not-qualified' }],
    });
    expect(
      violation(() => assertMayTakeIn({ ...site, status: 'suspended' }, site.dismantlerId, '2026-03-01'))
        .code,
    ).toBe('dismantler-suspended');
    const until = { ...site, qualificationValidUntil: '2026-02-28' };
    expect(violation(() => assertMayTakeIn(until, site.dismantlerId, '2026-03-01')).code).toBe(
      'dismantler-qualification-expired',
    );
    expect(assertMayTakeIn(until, site.dismantlerId, '2026-02-28')).toBe(until);
  });
});

const received: IntakeLifecycle = { vehicleIntakeId: 'vi-1', status: 'received', fuelType: 'gasoline' };
const certified: IntakeLifecycle = {
  ...received,
  certificate: { certificateNo: 'dm-alar-01-2026-000001', issuedAt: new Date('2026-03-01T00:00:00Z') },
};
const record = {
  assemblies: fixtures['recycling.vehicle.dismantled.v1'].assemblies,
  reusedParts: [],
  materials: [],
};

describe('the order of a vehicle’s life', () => {
  it('voids only before the certificate', () => {
    expect(() => assertMayVoid(received)).not.toThrow();
    expect(violation(() => assertMayVoid(certified)).code).toBe('certificate-already-issued');
    expect(violation(() => assertMayVoid({ ...received, status: 'voided' })).code).toBe('intake-voided');
  });
  it('issues one certificate per vehicle and none for a voided intake', () => {
    expect(needsCertificate(received)).toBe(true);
    expect(needsCertificate(certified)).toBe(false);
    expect(violation(() => needsCertificate({ ...received, status: 'voided' })).code).toBe('intake-voided');
  });
  it('asks for deregistration only after the certificate, once unless rejected', () => {
    expect(violation(() => assertMayRequestDeregistration(received)).code).toBe('certificate-required');
    expect(() => assertMayRequestDeregistration(certified)).not.toThrow();
    expect(
      violation(() =>
        assertMayRequestDeregistration({ ...certified, deregistration: { state: 'requested' } }),
      ).code,
    ).toBe('deregistration-already-requested');
    expect(() =>
      assertMayRequestDeregistration({ ...certified, deregistration: { state: 'rejected' } }),
    ).not.toThrow();
    expect(violation(() => assertMayRecordDeregistrationOutcome(certified)).code).toBe(
      'deregistration-not-pending',
    );
    expect(() =>
      assertMayRecordDeregistrationOutcome({ ...certified, deregistration: { state: 'requested' } }),
    ).not.toThrow();
  });
});

describe('dismantling', () => {
  it('needs the certificate and the disposition of all five major assemblies', () => {
    expect(violation(() => assertMayRecordDismantling(received, record)).code).toBe('certificate-required');
    expect(() => assertMayRecordDismantling(certified, record)).not.toThrow();
    const noFrame = { ...record, assemblies: record.assemblies.filter((a) => a.assembly !== 'frame') };
    const error = violation(() => assertMayRecordDismantling(certified, noFrame));
    expect(error).toMatchObject({ code: 'assemblies-missing', fields: [{ field: 'assemblies' }] });
    expect(error.detail).toMatch(/^缺少五大总成的去向：车架 \/ Missing the disposition of: Frame\.$/);
  });
  it('counts several axles entries as the one axles assembly', () => {
    const twoAxles = [
      ...record.assemblies,
      { assembly: 'axles' as const, disposition: 'scrap-steel' as const },
    ];
    expect(missingAssemblies(twoAxles)).toEqual([]);
    expect(missingAssemblies([])).toEqual(['engine', 'steering-gear', 'transmission', 'axles', 'frame']);
  });
  it('requires the traction battery of a new-energy vehicle and refuses one elsewhere', () => {
    const bev = { ...certified, fuelType: 'bev' as const };
    expect(violation(() => assertMayRecordDismantling(bev, record)).code).toBe('traction-battery-required');
    const battery = { code: 'BAT-1', destination: 'recycling' as const };
    expect(() => assertMayRecordDismantling(bev, { ...record, tractionBattery: battery })).not.toThrow();
    expect(() => assertMayRecordDismantling({ ...certified, fuelType: 'phev' }, record)).toThrow(DomainError);
    // A conventional hybrid is not a new-energy vehicle.
    expect(() => assertMayRecordDismantling({ ...certified, fuelType: 'hybrid' }, record)).not.toThrow();
    expect(
      violation(() => assertMayRecordDismantling(certified, { ...record, tractionBattery: battery })).code,
    ).toBe('traction-battery-not-applicable');
  });
  it('records a vehicle once', () => {
    const done = { ...certified, dismantling: { dismantledAt: new Date() } };
    expect(violation(() => assertMayRecordDismantling(done, record)).code).toBe('already-dismantled');
  });
});

describe('certificate numbers', () => {
  it('name the site, the year and a six-digit sequence, within the 40 characters events allow', () => {
    expect(formatCertificateNo('dm-alar-01', 2026, 37)).toBe('dm-alar-01-2026-000037');
    const longest = formatCertificateNo('d'.repeat(MAX_DISMANTLER_ID_LENGTH), 2026, 999_999);
    expect(VehicleCertificateIssuedData.shape.certificateNo.safeParse(longest).success).toBe(true);
  });
  it('take the year in the city’s time zone', () => {
    const newYearInAlar = new Date('2026-12-31T17:30:00Z'); // 01:30 on 1 January in Asia/Shanghai
    expect(localYear(newYearInAlar, 'Asia/Shanghai')).toBe(2027);
    expect(localYear(newYearInAlar, 'UTC')).toBe(2026);
    expect(localDate(newYearInAlar, 'Asia/Shanghai')).toBe('2027-01-01');
  });
});

describe('the scrap purchase of a vehicle', () => {
  const facts = {
    vehicleIntakeId: 'vi-20260301-abc',
    enterpriseId: 'ent-alar-dismantling',
    dismantlerId: 'dm-alar-01',
    seller: people.ayigul,
    priceFen: 150_000,
    paidAt: '2026-03-01T04:12:00Z',
    paymentRecordId: 'pay-1',
    consentRecordedAt: '2026-03-01T04:11:30Z',
    occurredAt: '2026-03-01T04:12:00Z',
  };
  const terms = { taxCategoryCode: '1090501010000000000' };

  it('is one line of one vehicle at the price paid, valid under the contract', () => {
    const purchase = vehiclePurchaseRecorded(facts, terms);
    expect(PurchaseRecordedData.parse(purchase)).toEqual(purchase);
    expect(purchase).toMatchObject({
      purchaseId: 'vehicle:vi-20260301-abc',
      totalFen: 150_000,
      lines: [{ unit: '辆', quantity: '1', amountFen: 150_000 }],
    });
  });
  it('names the pickup the vehicle came through, also when withdrawn; none at the gate', () => {
    expect(vehiclePurchaseRecorded(facts, terms)).not.toHaveProperty('pickupId');
    const fromPickup = vehiclePurchaseRecorded({ ...facts, pickupId: 'pk-20260226-0007' }, terms);
    expect(PurchaseRecordedData.parse(fromPickup).pickupId).toBe('pk-20260226-0007');
    const withdrawn = vehiclePurchaseWithdrawn(fromPickup, '录入错误', facts.occurredAt);
    expect(PurchaseCorrectedData.parse(withdrawn).pickupId).toBe('pk-20260226-0007');
  });
  it('is withdrawn by a correction with no lines', () => {
    const withdrawn = vehiclePurchaseWithdrawn(
      vehiclePurchaseRecorded(facts, terms),
      '录入错误',
      facts.occurredAt,
    );
    expect(PurchaseCorrectedData.parse(withdrawn)).toMatchObject({ revision: 2, totalFen: 0, lines: [] });
  });
  it('exists only for a natural person paid something', () => {
    expect(isInvoiceablePurchase({ kind: 'person' }, 1)).toBe(true);
    expect(isInvoiceablePurchase({ kind: 'person' }, 0)).toBe(false);
    expect(isInvoiceablePurchase({ kind: 'organisation' }, 150_000)).toBe(false);
  });
});
