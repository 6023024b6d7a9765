import { alarProfile, residentKeyOf } from '@recycling/contracts';
import { fixtures } from '@recycling/contracts/fixtures';
import { domainProblem, toHttpProblem } from '@recycling/service-kit';
import { mayReadCertificate } from '../src/domain/access';
import { refusal } from '../src/domain/errors';
import { renderCertificateHtml } from '../src/http/certificate-html';
import { RecordIntakeBody } from '../src/http/schemas';
import type { IntakeRecord } from '../src/store/models';

const vin = fixtures['recycling.vehicle.received.v1'].vin;

const SECRET = 'a-secret-of-at-least-16-bytes';

const intake: IntakeRecord = {
  _id: 'vi-20260301-abc',
  vin,
  dismantlerId: 'dm-alar-01',
  enterpriseId: 'ent-alar-dismantling',
  districtCode: 't10',
  residentKey: residentKeyOf('r-1', SECRET),
  status: 'received',
  owner: {
    kind: 'person',
    name: '<script>王建新</script>',
    idType: 'resident-id-card',
    idNumber: '659002197803124511',
    sellerKey: 'k',
  },
  plate: '新N12323',
  plateMasked: '新N·***23',
  vehicleType: 'passenger-car',
  fuelType: 'gasoline',
  emissionStandard: 'china-3',
  registrationDate: '2009-06-18',
  documentsReceived: { registrationCertificate: true, drivingLicence: false, plates: 1 },
  photoIds: [],
  priceFen: 150_000,
  flags: { earlyRetiredDieselTruck: false, tradeInSubsidyEligible: true },
  receivedAt: new Date('2026-02-28T17:00:00Z'),
  certificate: { certificateNo: 'dm-alar-01-2026-000001', issuedAt: new Date('2026-02-28T16:30:00Z') },
};

describe('the printable certificate', () => {
  const html = renderCertificateHtml(intake, null, alarProfile);
  it('is Chinese first, English second', () => {
    expect(html.indexOf('报废机动车回收证明')).toBeLessThan(
      html.indexOf('Scrapped Motor Vehicle Recycling Certificate'),
    );
    expect(html).toContain('乘用车 / Passenger car');
    expect(html).toContain('国三 / China 3');
  });
  it('escapes what people typed and masks the id number', () => {
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;王建新');
    expect(html).toContain('659002********4511');
    expect(html).not.toContain('659002197803124511');
  });
  it('dates in the city’s time zone', () => {
    expect(html).toContain('2026-03-01'); // 00:30 and 01:00 on 1 March in Alar
    expect(html).not.toContain('2026-02-28');
  });
});

describe('who reads a certificate', () => {
  it('is the owner, the issuing site or an administrator', () => {
    // A resident's token carries the account id; the intake keeps the pickup's resident key.
    expect(mayReadCertificate({ role: 'resident', scope: 'r-1' }, intake, SECRET)).toBe(true);
    expect(mayReadCertificate({ role: 'resident', scope: 'r-2' }, intake, SECRET)).toBe(false);
    expect(mayReadCertificate({ role: 'resident', scope: intake.residentKey }, intake, SECRET)).toBe(false);
    expect(mayReadCertificate({ role: 'resident', scope: 'r-1' }, intake, `${SECRET}-other`)).toBe(false);
    expect(mayReadCertificate({ role: 'dismantler-operator', scope: 'dm-alar-01' }, intake, SECRET)).toBe(
      true,
    );
    expect(mayReadCertificate({ role: 'dismantler-operator', scope: 'dm-other' }, intake, SECRET)).toBe(
      false,
    );
    expect(mayReadCertificate({ role: 'administrator' }, intake, SECRET)).toBe(true);
    expect(mayReadCertificate({ role: 'tax-officer' }, intake, SECRET)).toBe(false);
    // A gate intake has no resident account: no resident can read it.
    expect(
      mayReadCertificate({ role: 'resident', scope: 'r-1' }, { ...intake, residentKey: undefined }, SECRET),
    ).toBe(false);
  });
});

describe('problems', () => {
  it('answers broken rules with their status, both titles, the code and the field', () => {
    const answer = domainProblem(refusal('conflict', 'vin-already-taken', '车架号已接收 / taken', 'vin'));
    expect(answer.problem).toMatchObject({
      status: 409,
      title_zh: '与当前状态冲突',
      code: 'vin-already-taken',
      errors: [{ field: 'vin', code: 'vin-already-taken' }],
    });
    expect(toHttpProblem(refusal('forbidden', 'dismantler-suspended', '已暂停 / suspended'))?.status).toBe(
      403,
    );
    expect(toHttpProblem(new Error('boom'))).toBeUndefined();
  });
});

describe('intake input', () => {
  const body = {
    dismantlerId: 'dm-alar-01',
    vin: ` ${vin.toLowerCase()} `,
    plate: '新N12323',
    vehicleType: 'passenger-car',
    fuelType: 'gasoline',
    emissionStandard: 'china-3',
    registrationDate: '2009-06-18',
    documentsReceived: { registrationCertificate: true, drivingLicence: true, plates: 2 },
    priceFen: 0,
    owner: { kind: 'person', name: '王建新', idType: 'resident-id-card', idNumber: '659002197803124511' },
  };
  it('normalises the VIN and explains a bad one', () => {
    expect(RecordIntakeBody.parse(body).vin).toBe(vin);
    const bad = RecordIntakeBody.safeParse({
      ...body,
      vin: vin.slice(0, 8) + (vin[8] === '1' ? '2' : '1') + vin.slice(9),
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({
      path: ['vin'],
      message: expect.stringContaining('check digit'),
    });
  });
  it('checks the resident id number and refuses unknown keys', () => {
    const badId = RecordIntakeBody.safeParse({
      ...body,
      owner: { ...body.owner, idNumber: '659002197803124512' },
    });
    expect(badId.error?.issues[0]?.path).toEqual(['owner', 'idNumber']);
    const extra = RecordIntakeBody.safeParse({ ...body, status: 'voided' });
    expect(extra.error?.issues[0]?.code).toBe('unrecognized_keys');
  });
});
