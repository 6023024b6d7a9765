// What an administrator, a dismantler and the traffic police do before the trade-in and channel pages
// are tried in the browser: a dismantler, a car taken in, certified, deregistered and dismantled with
// its engine coded for remanufacturing (the evidence of a scrap-and-buy claim and the source of a
// core); a retailer, a public institution and a remanufacturer registered. Done through the services'
// own APIs, as those people's own desks would.
import { randomBytes } from 'node:crypto';
import { validateResidentIdNumber, vinCheckDigit } from '@recycling/contracts';
import { waitFor } from '@recycling/testkit';
import type { Network } from './network';

export const short = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

const digits = (n: number) =>
  Array.from(randomBytes(n), (b) => String(b % 10))
    .join('')
    .replace(/^0/, '1');

/** A VIN with a correct check digit that no other run uses. */
export function freshVin(): string {
  const draft = `LSVAG2180A${digits(7)}`;
  return `${draft.slice(0, 8)}${vinCheckDigit(draft)}${draft.slice(9)}`;
}

/** A resident id number of Alar with its check character. */
export function freshIdNumber(birth = '19800101'): string {
  const body = `659002${birth}${digits(3)}`;
  for (const check of '0123456789X')
    if (validateResidentIdNumber(`${body}${check}`).valid) return `${body}${check}`;
  throw new Error(`no check character fits ${body}`);
}

/** A debit card number with its Luhn digit; `wrong` gives one with a bad check digit. */
export function freshCard({ wrong = false } = {}): string {
  const body = `622848${digits(12)}`;
  for (let d = 0; d <= 9; d++) {
    const card = `${body}${d}`;
    let sum = 0;
    for (let i = 0; i < card.length; i++) {
      let x = Number(card[card.length - 1 - i]);
      if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
      sum += x;
    }
    if (sum % 10 === 0) return wrong ? `${body}${(d + 1) % 10}` : card;
  }
  throw new Error('no Luhn digit');
}

async function ok(what: string, reply: Promise<Response>): Promise<Record<string, unknown>> {
  const r = await reply;
  const text = await r.text();
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${text.slice(0, 400)}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export interface ScrappedCar {
  vin: string;
  certificateNo: string;
  engineCode: string;
}

/**
 * A car scrapped at `dismantlerId`: taken in at the gate, its certificate issued, deregistered by the
 * traffic police, dismantled with its engine marked for remanufacturing under a fresh code.
 */
export async function scrapCar(network: Network, dismantlerId: string): Promise<ScrappedCar> {
  const op = (method: string, path: string, body?: unknown) =>
    network.call('dismantling', method, path, 'dismantler-operator', body, dismantlerId);
  const vin = freshVin();
  const intake = await ok(
    'vehicle intake',
    op('POST', '/vehicle-intakes', {
      dismantlerId,
      vin,
      plate: '新N12323',
      vehicleType: 'passenger-car',
      fuelType: 'gasoline',
      emissionStandard: 'china-3',
      registrationDate: '2009-06-18',
      documentsReceived: { registrationCertificate: true, drivingLicence: true, plates: 2 },
      priceFen: 0,
      owner: {
        kind: 'person',
        name: '赵建国',
        idType: 'resident-id-card',
        idNumber: freshIdNumber('19650302'),
      },
    }),
  );
  const intakeId = intake.vehicleIntakeId as string;
  const certified = await ok('certificate', op('POST', `/vehicle-intakes/${intakeId}/certificate`, {}));
  const certificateNo = (certified.certificate as { certificateNo: string }).certificateNo;
  await ok('deregistration', op('POST', `/vehicle-intakes/${intakeId}/deregistration`, {}));
  await ok(
    'deregistration outcome',
    op('PUT', `/vehicle-intakes/${intakeId}/deregistration/outcome`, {
      state: 'completed',
      deregistrationCertificateNo: `ZX-${digits(6)}`,
    }),
  );
  const engineCode = `ZZ-${digits(4)}-${digits(4)}`;
  await ok(
    'dismantling',
    op('POST', `/vehicle-intakes/${intakeId}/dismantling`, {
      assemblies: [
        { assembly: 'engine', disposition: 'remanufacturing', remanufacturingCode: engineCode },
        { assembly: 'steering-gear', disposition: 'scrap-steel' },
        { assembly: 'transmission', disposition: 'scrap-steel' },
        { assembly: 'axles', disposition: 'scrap-steel' },
        { assembly: 'frame', disposition: 'scrap-steel' },
      ],
      reusedParts: [],
      materials: [{ material: 'ferrous', weightGrams: 712_000 }],
      photoIds: ['ph-after-1'],
    }),
  );
  return { vin, certificateNo, engineCode };
}

export async function registerDismantler(network: Network, dismantlerId: string): Promise<void> {
  await ok(
    'dismantler',
    network.call('dismantling', 'PUT', `/dismantlers/${dismantlerId}`, 'administrator', {
      name: '阿拉尔市报废机动车回收拆解有限公司',
      enterpriseId: 'ent-portal-dismantling',
      qualificationCertificateNo: '新BF-659002-001',
      districtCode: 't10',
      status: 'active',
    }),
  );
}

export async function registerRetailer(network: Network, retailerId: string): Promise<void> {
  await ok(
    'retailer',
    network.call('subsidies', 'PUT', `/retailers/${retailerId}`, 'administrator', {
      name: '阿拉尔苏宁易购塔里木大道店',
      districtCode: 's-xingfulu',
      programmeCodes: ['appliance-trade-in'],
      active: true,
    }),
  );
}

export async function registerInstitution(network: Network, creditCode: string): Promise<void> {
  await ok(
    'institution',
    network.call('disposals', 'PUT', `/institutions/${creditCode}`, 'administrator', {
      name: '第一师阿拉尔市教育局',
      districtCode: 's-jinyinchuanlu',
      supervisor: '第一师阿拉尔市财政局',
      active: true,
    }),
  );
}

export async function registerRemanufacturer(network: Network, remanufacturerId: string): Promise<void> {
  await ok(
    'remanufacturer',
    network.call('remanufacturing', 'PUT', `/remanufacturers/${remanufacturerId}`, 'administrator', {
      name: '阿拉尔动力再制造有限公司',
      creditCode: '91659002MA7D1E2F3G',
      districtCode: 't10',
      qualification: {
        kind: 'miit-remanufacturing-pilot',
        number: 'ZZSD-659002-01',
        validUntil: '2099-12-31',
      },
      productLines: ['engine', 'pv-inverter'],
      active: true,
    }),
  );
}

/** Waits until the remanufacturing service has heard of the coded assembly (from the vehicles topic). */
export async function assemblyKnown(network: Network, code: string): Promise<void> {
  await waitFor(
    async () =>
      (await network.call('remanufacturing', 'GET', `/traces/assemblies/${code}`, 'administrator')).status ===
      200,
    { what: `the remanufacturing service knowing ${code}`, timeoutMs: 90_000, intervalMs: 500 },
  );
}
