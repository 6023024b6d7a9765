// The seed's steps. Each one looks at what exists first and only creates what is missing, so a second
// run changes nothing: slots and sites are PUTs of the same content, bookings carry an
// Idempotency-Key and are looked up by resident, intakes and transactions answer "already there".
import {
  DISMANTLER,
  DISMANTLING,
  ENTERPRISES,
  SLOT_DAYS,
  SLOT_DISTRICTS,
  STATIONS,
  USED_CAR_MARKET,
  VEHICLE,
  VEHICLE_OWNER,
  VEHICLE_PRICE_FEN,
  VEHICLE_RESIDENT,
  WINDOWS,
  applianceBooking,
  applianceIntake,
  cityDate,
  collectedAppliances,
  usedCarTransactions,
  vehicleBooking,
  vehicleIntake,
  type DemoAppliancePickup,
  type DemoState,
} from './content';
import { expectStatus, waitFor, type Caller, type DemoClient, type Loose } from './client';

export const ADMIN: Caller = { role: 'administrator', sub: 'admin-demo' };
export const TAX_OFFICER: Caller = { role: 'tax-officer', sub: 'tax-demo' };
export const stationOperator = (siteId: string): Caller => ({
  role: 'station-operator',
  sub: `op-${siteId}`,
  scope: siteId,
});
export const DISMANTLER_OPERATOR: Caller = {
  role: 'dismantler-operator',
  sub: `op-${DISMANTLER.siteId}`,
  scope: DISMANTLER.siteId,
};
export const MARKET: Caller = {
  role: 'used-car-market',
  sub: 'mkt-demo-clerk',
  scope: USED_CAR_MARKET.marketId,
};
const resident = (sub: string): Caller => ({ role: 'resident', sub, scope: sub });

/** What each step reports for the summary; `created` counts only what this run added. */
export interface StepResult {
  line: string;
  created: number;
}

export async function putSlots(api: DemoClient): Promise<StepResult> {
  // Every district-day is its own schedule document, so they are set side by side.
  const puts = SLOT_DISTRICTS.flatMap((district) =>
    SLOT_DAYS.map(async (d) =>
      expectStatus(
        `slots ${district} ${cityDate(d)}`,
        await api.call('pickup', 'PUT', `/districts/${district}/slots/${cityDate(d)}`, ADMIN, {
          windows: WINDOWS.map((window) => ({ window, capacity: 20 })),
        }),
      ),
    ),
  );
  await Promise.all(puts);
  const last = SLOT_DAYS[SLOT_DAYS.length - 1]!;
  return {
    line: `${puts.length} district-days of slots (${SLOT_DISTRICTS.join(', ')}; ${cityDate(SLOT_DAYS[0])}…${cityDate(last)})`,
    created: 0,
  };
}

export async function putSites(api: DemoClient): Promise<StepResult> {
  for (const st of STATIONS) {
    expectStatus(
      `pickup site ${st.siteId}`,
      await api.call('pickup', 'PUT', `/sites/${st.siteId}`, ADMIN, {
        kind: 'station',
        name: st.name,
        enterpriseId: st.enterpriseId,
        districts: st.districts,
        active: true,
      }),
    );
    expectStatus(
      `sorting station ${st.siteId}`,
      await api.call('sorting', 'PUT', `/stations/${st.siteId}`, ADMIN, {
        name: st.name.zh,
        districtCode: st.districtCode,
        enterpriseId: st.enterpriseId,
        active: true,
      }),
    );
  }
  expectStatus(
    `pickup site ${DISMANTLER.siteId}`,
    await api.call('pickup', 'PUT', `/sites/${DISMANTLER.siteId}`, ADMIN, {
      kind: 'dismantler',
      name: DISMANTLER.name,
      enterpriseId: DISMANTLER.enterpriseId,
      districts: DISMANTLER.districts,
      active: true,
    }),
  );
  expectStatus(
    `dismantler ${DISMANTLER.siteId}`,
    await api.call('dismantling', 'PUT', `/dismantlers/${DISMANTLER.siteId}`, ADMIN, {
      name: DISMANTLER.name.zh,
      enterpriseId: DISMANTLER.enterpriseId,
      qualificationCertificateNo: '新BF-659002-001',
      districtCode: DISMANTLER.districtCode,
      status: 'active',
    }),
  );
  return {
    line: `stations ${STATIONS.map((s) => s.siteId).join(', ')} (pickup, sorting), dismantler ${DISMANTLER.siteId} (pickup, dismantling)`,
    created: 0,
  };
}

export async function putEnterprises(api: DemoClient): Promise<StepResult> {
  for (const { enterpriseId, ...rest } of ENTERPRISES) {
    expectStatus(
      `enterprise ${enterpriseId}`,
      await api.call('invoicing', 'PUT', `/enterprises/${enterpriseId}`, ADMIN, {
        ...rest,
        status: 'active',
      }),
    );
  }
  return {
    line: `${ENTERPRISES.map((e) => `${e.enterpriseId} (${e.vatMethod})`).join(', ')}`,
    created: 0,
  };
}

/** The resident's one demo pickup, booked now if the resident has none. */
async function bookedPickup(
  api: DemoClient,
  who: Caller,
  body: unknown,
  key: string,
): Promise<{ pickup: Loose; created: boolean }> {
  const mine = expectStatus('list pickups', await api.call('pickup', 'GET', '/pickups', who));
  const existing = (mine.body.items as Loose[])[0];
  if (existing) return { pickup: existing, created: false };
  const booked = expectStatus(
    `book (${key})`,
    await api.call('pickup', 'POST', '/pickups', who, body, { 'idempotency-key': key }),
  );
  return { pickup: booked.body, created: true };
}

const ORDER: readonly string[] = ['requested', 'scheduled', 'collected', 'delivered'];
const reached = (status: string, wanted: DemoState) => ORDER.indexOf(status) >= ORDER.indexOf(wanted);

export async function appliancePickup(api: DemoClient, p: DemoAppliancePickup): Promise<StepResult> {
  const who = resident(p.resident);
  const { pickup, created } = await bookedPickup(
    api,
    who,
    applianceBooking(p, cityDate(p.day)),
    `demo-${p.resident}`,
  );
  const pickupId = pickup.pickupId as string;
  const siteId = pickup.assignedSite?.siteId as string;
  const operator = stationOperator(siteId);
  let status = pickup.status as string;
  if (!reached(status, 'scheduled') && reached(p.state, 'scheduled')) {
    const r = await api.call('pickup', 'POST', `/pickups/${pickupId}/schedule`, operator, {
      crewId: 'crew-1',
    });
    status = expectStatus(`schedule ${pickupId}`, r).body.status;
  }
  if (!reached(status, 'collected') && reached(p.state, 'collected')) {
    const r = await api.call('pickup', 'POST', `/pickups/${pickupId}/collect`, operator, collectedAppliances);
    status = expectStatus(`collect ${pickupId}`, r).body.status;
  }
  let intake = '';
  if (p.state === 'delivered' && p.priceFen) {
    const r = await api.call(
      'sorting',
      'POST',
      `/stations/${siteId}/intakes`,
      operator,
      applianceIntake(pickupId, p.person, p.priceFen),
    );
    // 409: the station already received this pickup on an earlier run.
    expectStatus(`intake of ${pickupId}`, r, (s) => s < 300 || s === 409);
    intake = r.status === 409 ? ', intake was recorded' : `, intake ${r.body.intakeId ?? ''} recorded`;
    status = await waitFor(`pickup ${pickupId} delivered`, async () => {
      const got = await api.call('pickup', 'GET', `/pickups/${pickupId}`, who);
      return got.body.status === 'delivered' && (got.body.status as string);
    });
  }
  return {
    line: `${created ? 'booked' : 'found'} ${pickupId} for ${p.resident} in ${p.districtCode} at ${siteId}: ${status}${intake}`,
    created: created ? 1 : 0,
  };
}

export async function vehicleToDismantling(api: DemoClient): Promise<StepResult> {
  const who = resident(VEHICLE_RESIDENT);
  const op = DISMANTLER_OPERATOR;
  const { pickup, created } = await bookedPickup(
    api,
    who,
    vehicleBooking(cityDate(1)),
    `demo-${VEHICLE_RESIDENT}`,
  );
  const pickupId = pickup.pickupId as string;
  let status = pickup.status as string;
  if (status === 'requested') {
    status = expectStatus(
      'schedule vehicle',
      await api.call('pickup', 'POST', `/pickups/${pickupId}/schedule`, op, {}),
    ).body.status;
  }
  if (status === 'scheduled') {
    const r = await api.call('pickup', 'POST', `/pickups/${pickupId}/collect`, op, { vehicle: VEHICLE });
    expectStatus('collect vehicle', r);
  }
  const list = expectStatus(
    'vehicle intakes',
    await api.call('dismantling', 'GET', `/vehicle-intakes?dismantlerId=${DISMANTLER.siteId}&limit=200`, op),
  );
  let intake = (list.body.items as Loose[]).find((i) => i.vin === VEHICLE.vin && i.status === 'received');
  if (!intake) {
    // The dismantler learns of the pickup from its events before the vehicle arrives.
    await waitFor('the vehicle among the expected ones', async () => {
      const r = await api.call(
        'dismantling',
        'GET',
        `/expected-vehicles?dismantlerId=${DISMANTLER.siteId}`,
        op,
      );
      return r.status === 200 && r.text.includes(pickupId);
    });
    intake = expectStatus(
      'vehicle intake',
      await api.call('dismantling', 'POST', '/vehicle-intakes', op, vehicleIntake(pickupId, new Date())),
    ).body;
  }
  const intakeId = intake.vehicleIntakeId as string;
  const cert = expectStatus(
    'certificate',
    await api.call('dismantling', 'POST', `/vehicle-intakes/${intakeId}/certificate`, op, {}),
  );
  const certificateNo = (cert.body.certificate?.certificateNo ?? cert.body.certificateNo) as string;
  if (!intake.deregistration) {
    expectStatus(
      'deregistration',
      await api.call('dismantling', 'POST', `/vehicle-intakes/${intakeId}/deregistration`, op, {
        trafficPoliceOffice: '阿拉尔市公安局交通警察支队车辆管理所',
      }),
    );
  }
  if (intake.deregistration?.state !== 'completed') {
    expectStatus(
      'deregistration outcome',
      await api.call('dismantling', 'PUT', `/vehicle-intakes/${intakeId}/deregistration/outcome`, op, {
        state: 'completed',
        deregistrationCertificateNo: 'ZX-2026-0042',
      }),
    );
  }
  if (!intake.dismantling) {
    expectStatus(
      'dismantling',
      await api.call('dismantling', 'POST', `/vehicle-intakes/${intakeId}/dismantling`, op, DISMANTLING),
    );
  }
  return {
    line: `vehicle ${VEHICLE.vin} (${created ? 'booked' : 'found'} ${pickupId}): intake ${intakeId}, certificate ${certificateNo}, deregistered, dismantled; paid ${VEHICLE_PRICE_FEN / 100} yuan to ${VEHICLE_OWNER.name.slice(0, 1)}**`,
    created: created ? 1 : 0,
  };
}

export async function usedCars(api: DemoClient): Promise<StepResult> {
  let created = 0;
  const txs = usedCarTransactions(cityDate(0));
  for (const tx of txs) {
    const r = expectStatus(
      `used-car transaction ${tx.transactionId}`,
      await api.call('statistics', 'POST', '/used-car-transactions', MARKET, tx),
    );
    if (r.status === 201) created++;
  }
  return {
    line: `${txs.length} used-car transactions at market ${USED_CAR_MARKET.marketId} (${created} new)`,
    created,
  };
}

/** The demo enterprises' reverse invoices in the tax office feed, read page after page. */
async function demoInvoices(api: DemoClient): Promise<Loose[]> {
  const ours = new Set<string>(ENTERPRISES.map((e) => e.enterpriseId));
  const items: Loose[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const query: string = cursor ? `?limit=500&cursor=${encodeURIComponent(cursor)}` : '?limit=500';
    const r = expectStatus('feed', await api.call('invoicing', 'GET', `/feed/invoices${query}`, TAX_OFFICER));
    items.push(...(r.body.items as Loose[]));
    cursor = r.body.nextCursor as string | null;
    if (!cursor || r.body.items.length === 0) break;
  }
  return items.filter((i) => i.kind === 'issued' && ours.has(i.data?.issuer?.enterpriseId));
}

/** The reverse invoices of the intakes reach the tax office feed through the events. */
export async function reverseInvoices(api: DemoClient, expected: number): Promise<StepResult> {
  const items = await waitFor(
    `${expected} reverse invoices in the tax office feed`,
    async () => {
      const issued = await demoInvoices(api);
      return issued.length >= expected && issued;
    },
    90_000,
  );
  const fen = items.reduce((s: number, i: Loose) => s + Number(i.data?.totals?.amountFen ?? 0), 0);
  return {
    line: `${items.length} reverse invoices issued, ${(fen / 100).toFixed(2)} yuan in total`,
    created: 0,
  };
}

/** Statistics seeds its targets from the city profile at start; the seed only shows they are there. */
export async function targets(api: DemoClient): Promise<StepResult> {
  const r = expectStatus('targets', await api.call('statistics', 'GET', '/targets', ADMIN));
  const list = r.body.targets as Loose[];
  const years = list[0] ? ` (${list[0].baselineYear} → ${list[0].targetYear})` : '';
  return { line: `${list.length} statistics targets from the city profile${years}`, created: 0 };
}
