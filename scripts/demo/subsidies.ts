// Demo data of the trade-in subsidies service: a participating retailer, an air conditioner sold with
// the appliance trade-in discount, and the demo vehicle's owner claiming the scrap-and-buy subsidy for
// a new electric car (the claim is matched with the certificate and deregistration of the vehicle
// step and waits in the commerce bureau's queue). Safe to run again: fixed Idempotency-Keys, and a
// refusal because the car or the unit is already claimed counts as "already there".
import { cityDate, DISMANTLER, PEOPLE, VEHICLE, VEHICLE_OWNER, VEHICLE_RESIDENT, demoVin } from './content';
import { expectStatus, waitFor, type Caller, type DemoClient } from './client';

export const RETAILER = {
  retailerId: 'rt-demo-01',
  name: '阿拉尔苏宁易购塔里木大道店',
  districtCode: 's-xingfulu',
};
export const RETAILER_OPERATOR: Caller = {
  role: 'retailer-operator',
  sub: 'op-rt-demo-01',
  scope: RETAILER.retailerId,
};
const ADMIN: Caller = { role: 'administrator', sub: 'admin-demo' };
const DISMANTLER_OPERATOR: Caller = {
  role: 'dismantler-operator',
  sub: `op-${DISMANTLER.siteId}`,
  scope: DISMANTLER.siteId,
};
const OWNER: Caller = { role: 'resident', sub: VEHICLE_RESIDENT, scope: VEHICLE_RESIDENT };

const ALREADY = new Set([
  'new-car-already-claimed',
  'old-car-already-claimed',
  'serial-already-sold',
  'invoice-already-claimed',
]);

export async function subsidies(api: DemoClient): Promise<{ line: string; created: number }> {
  const probe = await api.call('subsidies', 'GET', '/programmes', ADMIN).catch(() => null);
  if (!probe || probe.status !== 200)
    return { line: 'the subsidies service does not answer: skipped', created: 0 };
  let created = 0;

  const retailer = expectStatus(
    'retailer',
    await api.call('subsidies', 'PUT', `/retailers/${RETAILER.retailerId}`, ADMIN, {
      name: RETAILER.name,
      districtCode: RETAILER.districtCode,
      programmeCodes: ['appliance-trade-in', 'furniture-trade-in'],
      active: true,
    }),
  );
  if (retailer.status === 201) created++;

  const buyer = PEOPLE.li;
  const serialNo = 'SN2026DEMO000001';
  const month = cityDate(0).slice(0, 7);
  const sold = await api.call(
    'subsidies',
    'GET',
    `/retailers/${RETAILER.retailerId}/sales?month=${month}`,
    RETAILER_OPERATOR,
  );
  const earlier = (
    sold.body.items as Array<{ claimId: string; sale: { serialNo: string } }> | undefined
  )?.find((s) => s.sale.serialNo === serialNo);
  const sale = earlier
    ? { status: 200, text: '', body: { claimId: earlier.claimId, amountFen: NaN, code: 'already there' } }
    : await api.call(
        'subsidies',
        'POST',
        `/retailers/${RETAILER.retailerId}/sales`,
        RETAILER_OPERATOR,
        {
          programmeCode: 'appliance-trade-in',
          category: 'air-conditioner',
          gtin: '6901234567892',
          model: 'KFR-35GW/BP3DN8Y-PH400(B1)',
          energyGrade: 1,
          serialNo,
          priceFen: 459_900,
          invoiceNo: '26652000000000000001',
          buyer: {
            name: buyer.name,
            idType: 'resident-id-card',
            idNumber: buyer.idNumber,
            phone: buyer.phone,
            address: { districtCode: 's-xingfulu', detail: '塔里木大道 88 号 2 栋 301' },
          },
        },
        { 'Idempotency-Key': 'demo-sale-ac-0001' },
      );
  const saleLine =
    sale.status === 201
      ? `air conditioner sold, subsidy ${(sale.body.amountFen / 100).toFixed(2)} yuan (${sale.body.claimId})`
      : `air conditioner: ${earlier ? `already sold (${earlier.claimId})` : (sale.body.code ?? sale.status)}`;
  if (sale.status === 201) created++;
  if (sale.status >= 500) expectStatus('counter sale', sale);

  // The vehicle step's certificate, read from the dismantler's intakes.
  const intakes = expectStatus(
    'vehicle intakes',
    await api.call(
      'dismantling',
      'GET',
      `/vehicle-intakes?dismantlerId=${DISMANTLER.siteId}`,
      DISMANTLER_OPERATOR,
    ),
  );
  const intake = (intakes.body.items as Array<{ vin: string; certificate?: { certificateNo: string } }>).find(
    (i) => i.vin === VEHICLE.vin,
  );
  let claimLine = 'no certificate of the demo vehicle: no car claim';
  const newVin = demoVin('0260002');
  const mine = await api.call('subsidies', 'GET', '/claims/mine', OWNER);
  const existing = (
    mine.body.items as
      Array<{ claimId: string; status: string; car?: { newCar: { vin: string } } }> | undefined
  )?.find((c) => c.car?.newCar.vin === newVin);
  if (existing) {
    claimLine = `car claim ${existing.claimId} already there (${existing.status})`;
  } else if (intake?.certificate) {
    const claim = await api.call(
      'subsidies',
      'POST',
      '/claims',
      OWNER,
      {
        programmeCode: 'car-scrap',
        applicant: {
          name: VEHICLE_OWNER.name,
          idType: 'resident-id-card',
          idNumber: VEHICLE_OWNER.idNumber,
          phone: VEHICLE_OWNER.phone,
          districtCode: 't10',
        },
        bankCard: {
          cardNo: '6228480402564890018',
          bankName: '中国农业银行阿拉尔分行',
          holderName: VEHICLE_OWNER.name,
        },
        oldCar: {
          vin: VEHICLE.vin,
          vehicleType: VEHICLE.vehicleType,
          fuelType: VEHICLE.fuelType,
          emissionStandard: VEHICLE.emissionStandard,
          registrationDate: VEHICLE.registrationDate,
          ownedSince: '2012-03-01',
          certificateNo: intake.certificate.certificateNo,
        },
        newCar: {
          vin: newVin,
          vehicleType: 'passenger-car',
          fuelType: 'bev',
          priceFen: 15_980_000,
          invoiceNo: '26652000000000000002',
          purchaseDate: cityDate(0),
          registrationDate: cityDate(0),
          registration: { certificateNo: 'DJ6590020001', ownerIdNumber: VEHICLE_OWNER.idNumber },
          dealer: { name: '阿拉尔市比亚迪汽车销售服务有限公司', districtCode: 's-jinyinchuanlu' },
        },
      },
      { 'Idempotency-Key': 'demo-claim-car-0001' },
    );
    if (claim.status === 201) {
      created++;
      const claimId = claim.body.claimId as string;
      const status = await waitFor('the car claim matched with its evidence', async () => {
        const r = await api.call('subsidies', 'GET', `/claims/${claimId}`, OWNER);
        return r.status === 200 && r.body.status !== 'awaiting-evidence' && (r.body.status as string);
      });
      claimLine = `car claim ${claimId}: ${(claim.body.amountFen / 100).toFixed(2)} yuan, ${status}`;
    } else if (ALREADY.has(claim.body.code)) {
      claimLine = `car claim already there (${claim.body.earlierClaim})`;
    } else {
      claimLine = `car claim: ${claim.body.code ?? claim.status}`;
      if (claim.status >= 500) expectStatus('car claim', claim);
    }
  }
  return { line: `retailer ${RETAILER.retailerId}; ${saleLine}; ${claimLine}`, created };
}
