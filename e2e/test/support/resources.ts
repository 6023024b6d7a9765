// Callers and real resources for tests that go through every endpoint of the network (the
// authorization matrix, the API fuzz test): a token per role with the scope of the e2e sites, and a
// flow that handles personal data and leaves real ids behind, so that a permitted call reaches the
// handler instead of stopping at a scope check or a 404.
import type { Role } from '@recycling/service-kit';
import {
  DISMANTLER,
  INSTITUTION,
  PEOPLE,
  REMANUFACTURER,
  STATION,
  applianceBooking,
  cityDate,
  freshVin,
  readFeed,
  recordIntake,
  vehicleBooking,
  vehicleIntakeBody,
  waitFor,
  type E2e,
} from './network';

/** The resident whose token the tests use. */
export const RESIDENT = 'r-e2e-sec';
/** The retailer the personal-data flow registers. */
export const RETAILER = 'rt-e2e-01';
/** A debit card number with a correct check digit (Luhn), for the subsidy claim. */
export const BANK_CARD = '6228480402564890018';

const SO: Role = 'station-operator';
const DO: Role = 'dismantler-operator';
const ADMIN: Role = 'administrator';
const RO: Role = 'retailer-operator';

/** The scope a role's token carries: the e2e site, retailer, institution… of that role; none when city-wide. */
export const scopeOf = (role: Role): string | undefined =>
  ({
    resident: RESIDENT,
    'station-operator': STATION.siteId,
    'dismantler-operator': DISMANTLER.siteId,
    'retailer-operator': RETAILER,
    'public-institution': INSTITUTION.creditCode,
    'remanufacturer-operator': REMANUFACTURER.remanufacturerId,
  })[role as string] ?? (role === 'used-car-market' ? 'ucm-e2e-01' : undefined);

/** A token of the role with its scope (the resident's is RESIDENT's). */
export const tokenOf = (e: E2e, role: Role) =>
  e.token(role, scopeOf(role), role === 'resident' ? RESIDENT : undefined);

/**
 * Real ids by path parameter name: `station` for every caller (the e2e station's side of the
 * network), `dismantler` what differs for the dismantler's operator (its pickup, enterprise, invoice).
 */
export interface RealIds {
  station: Record<string, string>;
  dismantler: Record<string, string>;
}

/** The ids a role sees on its side of the network. */
export const idsFor = (ids: RealIds, role: Role | undefined): Record<string, string> =>
  role === DO ? { ...ids.station, ...ids.dismantler } : ids.station;

/** An OpenAPI path (`/pickups/{pickupId}`) with its parameters filled from `values` (`x-<name>` if unknown). */
export const fillPath = (path: string, values: Record<string, string>): string =>
  path.replace(/\{([A-Za-z0-9_]+)\}/g, (_m, name: string) => encodeURIComponent(values[name] ?? `x-${name}`));

/** A flow that handles a phone, names, id numbers and an address, and leaves real ids behind. */
export async function handlePersonalData(e: E2e): Promise<RealIds> {
  const resident = await tokenOf(e, 'resident');
  const so = await tokenOf(e, SO);
  const dop = await tokenOf(e, DO);
  const person = PEOPLE.wang;
  const booked = await e.call(
    'pickup',
    'POST',
    '/pickups',
    resident,
    applianceBooking(person.phone, person.name),
  );
  expect(booked.status).toBe(201);
  const pickupId = booked.body.pickupId as string;
  expect((await e.call('pickup', 'POST', `/pickups/${pickupId}/schedule`, so, {})).status).toBe(200);
  const intake = await recordIntake(e, pickupId, person);
  expect(intake.status).toBe(201);

  const owner = PEOPLE.ayigul;
  const vin = freshVin();
  const vehicle = vehicleBooking(vin, owner.phone);
  const vbooked = await e.call('pickup', 'POST', '/pickups', resident, vehicle);
  expect(vbooked.status).toBe(201);
  const vehiclePickupId = vbooked.body.pickupId as string;
  // As on a real day, the dismantler knows of the pickup (and so of its resident) before the car comes.
  await waitFor(
    async () =>
      JSON.stringify(
        (await e.call('dismantling', 'GET', `/expected-vehicles?dismantlerId=${DISMANTLER.siteId}`, dop))
          .body,
      ).includes(vehiclePickupId),
    { what: 'the expected vehicle', timeoutMs: 60_000 },
  );
  const taken = await e.call(
    'dismantling',
    'POST',
    '/vehicle-intakes',
    dop,
    vehicleIntakeBody(vin, owner, 120_000, vehiclePickupId),
  );
  expect(taken.status).toBe(201);
  const vehicleIntakeId = taken.body.vehicleIntakeId as string;
  const certified = await e.call(
    'dismantling',
    'POST',
    `/vehicle-intakes/${vehicleIntakeId}/certificate`,
    dop,
    {},
  );
  expect(certified.status).toBeLessThan(300);
  const certificateNo = (certified.body.certificate?.certificateNo ?? certified.body.certificateNo) as string;

  // Trade-in subsidies: a counter sale to Li Xiulan and Ayigul's claim for the car just scrapped.
  const admin = await tokenOf(e, ADMIN);
  const retailer = await e.call('subsidies', 'PUT', `/retailers/${RETAILER}`, admin, {
    name: '阿拉尔苏宁易购塔里木大道店',
    districtCode: 's-xingfulu',
    programmeCodes: ['appliance-trade-in'],
    active: true,
  });
  expect(retailer.status).toBe(201);
  const buyer = PEOPLE.li;
  const sold = await e.call('subsidies', 'POST', `/retailers/${RETAILER}/sales`, await tokenOf(e, RO), {
    programmeCode: 'appliance-trade-in',
    category: 'air-conditioner',
    gtin: '6901234567892',
    model: 'KFR-35GW/BP3DN8Y',
    energyGrade: 1,
    serialNo: `SN${vin.slice(-8)}`,
    priceFen: 459_900,
    invoiceNo: `2565200000${vin.slice(-10).replace(/\D/g, '0')}`,
    soldOn: '2026-06-01',
    buyer: {
      name: buyer.name,
      idType: 'resident-id-card',
      idNumber: buyer.idNumber,
      phone: buyer.phone,
      address: { districtCode: 's-xingfulu', detail: '塔里木大道 88 号 2 栋 301' },
    },
  });
  expect(sold.status).toBe(201);
  const claim = await e.call('subsidies', 'POST', '/claims', resident, {
    programmeCode: 'car-scrap',
    applicant: {
      name: owner.name,
      idType: 'resident-id-card',
      idNumber: owner.idNumber,
      phone: owner.phone,
      districtCode: 't10',
    },
    bankCard: { cardNo: BANK_CARD, bankName: '中国农业银行阿拉尔分行', holderName: owner.name },
    oldCar: {
      vin,
      vehicleType: 'passenger-car',
      fuelType: 'gasoline',
      emissionStandard: 'china-3',
      registrationDate: '2009-06-18',
      ownedSince: '2012-03-01',
      certificateNo,
    },
    newCar: {
      vin: freshVin(),
      vehicleType: 'passenger-car',
      fuelType: 'bev',
      priceFen: 15_980_000,
      invoiceNo: `2565200000${vin.slice(-10).replace(/\D/g, '1')}`,
      purchaseDate: '2025-03-01',
      registrationDate: '2025-03-04',
      registration: { certificateNo: 'DJ6590020042', ownerIdNumber: owner.idNumber },
      dealer: { name: '阿拉尔市比亚迪汽车销售服务有限公司', districtCode: 's-jinyinchuanlu' },
    },
  });
  expect(claim.status).toBe(201);

  const feed = await waitFor(
    async () => {
      const f = await readFeed(e);
      return f.filter((i) => i.kind === 'issued').length >= 2 && f;
    },
    { what: 'both invoices', timeoutMs: 90_000 },
  );
  const invoiceOf = (enterpriseId: string) =>
    feed.find((i) => i.data.issuer.enterpriseId === enterpriseId)!.id;

  const common = {
    districtCode: 's-xingfulu',
    date: cityDate(5),
    siteId: STATION.siteId,
    stationId: STATION.siteId,
    dismantlerId: DISMANTLER.siteId,
    vehicleIntakeId,
    certificateNo,
    intakeId: intake.body.intakeId as string,
    lineId: intake.body.contents.lines[0].lineId as string,
    metric: 'appliances',
    generation: '99',
    retailerId: RETAILER,
    claimId: claim.body.claimId as string,
    creditCode: INSTITUTION.creditCode,
    remanufacturerId: REMANUFACTURER.remanufacturerId,
    vin,
  };
  const station = {
    ...common,
    pickupId,
    enterpriseId: STATION.enterpriseId,
    invoiceId: invoiceOf(STATION.enterpriseId),
  };
  const dismantler = {
    pickupId: vehiclePickupId,
    enterpriseId: DISMANTLER.enterpriseId,
    invoiceId: invoiceOf(DISMANTLER.enterpriseId),
  };
  return { station, dismantler };
}
