// The whole network for end-to-end tests: the five services as separate processes (testkit's
// startNetwork), tokens for every role, a small HTTP client, and the city's set-up an administrator
// does once (slots, sites, station, dismantler, enterprises).
import { alarProfile, validateVin } from '@recycling/contracts';
import { LOCAL_DEV_JWT_SECRET, mintToken, type Role } from '@recycling/service-kit';
import {
  startNetwork,
  waitFor,
  type Network,
  type ServiceName,
  type StartNetworkOptions,
} from '@recycling/testkit';
import { randomBytes } from 'node:crypto';

export { waitFor };
export type { Network, ServiceName };

export const DISTRICT = 's-xingfulu';
export const VEHICLE_DISTRICT = 't10';
export const STATION = { siteId: 'st-e2e-01', enterpriseId: 'ent-e2e-lvyuan' };
export const DISMANTLER = { siteId: 'dm-e2e-01', enterpriseId: 'ent-e2e-dismantling' };
export const WINDOW = '10:00-13:00';
/** A public institution (its unified social credit code) and a remanufacturer of the plan's section 5 channels. */
export const INSTITUTION = { creditCode: '11659002MB1357924K', name: '第一师阿拉尔市教育局' };
export const REMANUFACTURER = { remanufacturerId: 'rm-e2e-power', name: '阿拉尔市动力再制造有限公司' };

/** Fictitious people with well-formed id numbers (region 659002, correct check characters). */
export const PEOPLE = {
  wang: { name: '王建新', idNumber: '659002197803124511', phone: '13912345678' },
  ayigul: { name: '阿依古丽·买买提', idNumber: '65900219900517234X', phone: '13899001122' },
  li: { name: '李秀兰', idNumber: '659002198509230326', phone: '13700998877' },
} as const;

/** A local date in the city, n days from today. */
export function cityDate(daysFromToday: number): string {
  const at = new Date(Date.now() + daysFromToday * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: alarProfile.timezone }).format(at);
}

/** The city month (YYYY-MM) of now. */
export const cityMonth = (): string => cityDate(0).slice(0, 7);

/** A VIN with a correct check digit and a random serial. */
export function freshVin(): string {
  const serial = String(randomBytes(4).readUInt32BE(0)).padStart(10, '0').slice(-7);
  const draft = `LSVAG2180A${serial}`;
  for (const digit of '0123456789X') {
    const vin = `${draft.slice(0, 8)}${digit}${draft.slice(9)}`;
    if (validateVin(vin).valid) return vin;
  }
  throw new Error(`no check digit fits ${draft}`);
}

// Answers are read loosely: each test asserts the fields it relies on, and a wrong guess fails there.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

export interface Reply<T = Loose> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

export interface E2e {
  net: Network;
  token(role: Role, scope?: string, sub?: string): Promise<string>;
  call<T = Loose>(
    service: ServiceName,
    method: string,
    path: string,
    auth?: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply<T>>;
  /** Sends a raw body (for invalid JSON and oversized payloads). */
  raw(
    service: ServiceName,
    method: string,
    path: string,
    auth: string | undefined,
    body: string,
  ): Promise<Reply>;
  /** Everything the processes wrote, joined. */
  output(): string;
  stop(): Promise<void>;
}

/** `infra` points the network at another broker and store than the test run's (a private one). */
export async function startE2e(
  services?: readonly ServiceName[],
  infra: Pick<StartNetworkOptions, 'kafkaBrokers' | 'mongoUrl'> = {},
): Promise<E2e> {
  // Info level, as production runs: the log checks must see what operators would see.
  process.env.E2E_LOG_LEVEL ??= 'info';
  const net = await startNetwork({
    ...infra,
    services,
    env: {
      // The tax office feed normally waits 5 s for late writers; tests read it right away.
      FEED_SETTLE_MS: '200',
      DECLARATION_SCHEDULE_MS: '0',
    },
  });
  // Every line each process writes, from its start (testkit keeps only the last few hundred).
  const logs: string[] = [];
  const follow = (name: ServiceName) => {
    const svc = net.services[name];
    logs.push(...svc.output);
    const keep = (chunk: Buffer) => logs.push(chunk.toString());
    svc.process.stdout?.on('data', keep);
    svc.process.stderr?.on('data', keep);
  };
  for (const name of Object.keys(net.services) as ServiceName[]) follow(name);
  const restart = net.restart;
  net.restart = async (name, options) => {
    const svc = await restart(name, options);
    follow(name);
    return svc;
  };
  const tokens = new Map<string, Promise<string>>();
  const token = (role: Role, scope?: string, sub = `${role}-e2e`) => {
    const key = `${role}|${scope}|${sub}`;
    if (!tokens.has(key)) {
      tokens.set(
        key,
        mintToken({
          role,
          scope: scope ?? (role === 'resident' ? sub : undefined),
          sub,
          secret: LOCAL_DEV_JWT_SECRET,
        }),
      );
    }
    return tokens.get(key)!;
  };
  const send = async (
    service: ServiceName,
    method: string,
    path: string,
    auth: string | undefined,
    body: string | undefined,
    headers: Record<string, string> = {},
  ): Promise<Reply> => {
    const res = await fetch(`${net.services[service].url}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(auth ? { authorization: `Bearer ${auth}` } : {}),
        ...headers,
      },
      body,
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // CSV, HTML or empty
    }
    return { status: res.status, headers: res.headers, text, body: parsed };
  };
  return {
    net,
    token,
    call: (service, method, path, auth, body, headers) =>
      send(service, method, path, auth, body === undefined ? undefined : JSON.stringify(body), headers),
    raw: (service, method, path, auth, body) => send(service, method, path, auth, body),
    output: () => logs.join(''),
    stop: () => net.stopAll(),
  };
}

function expectOk(what: string, reply: Reply): void {
  if (reply.status >= 300) throw new Error(`${what}: ${reply.status} ${reply.text.slice(0, 800)}`);
}

/** What an administrator sets up once for the flows: every service knows the station and dismantler. */
export async function setUpCity(e: E2e, days: readonly number[] = [2, 3]): Promise<void> {
  const admin = await e.token('administrator');
  for (const district of [DISTRICT, VEHICLE_DISTRICT]) {
    for (const d of days) {
      expectOk(
        'slots',
        await e.call('pickup', 'PUT', `/districts/${district}/slots/${cityDate(d)}`, admin, {
          windows: [
            { window: WINDOW, capacity: 20 },
            { window: '16:00-19:00', capacity: 20 },
          ],
        }),
      );
    }
  }
  expectOk(
    'pickup station site',
    await e.call('pickup', 'PUT', `/sites/${STATION.siteId}`, admin, {
      kind: 'station',
      name: { zh: '幸福路回收站', en: 'Xingfulu station' },
      enterpriseId: STATION.enterpriseId,
      districts: [DISTRICT],
      active: true,
    }),
  );
  expectOk(
    'pickup dismantler site',
    await e.call('pickup', 'PUT', `/sites/${DISMANTLER.siteId}`, admin, {
      kind: 'dismantler',
      name: { zh: '阿拉尔报废车拆解', en: 'Alar dismantling' },
      enterpriseId: DISMANTLER.enterpriseId,
      districts: [VEHICLE_DISTRICT],
      active: true,
    }),
  );
  expectOk(
    'sorting station',
    await e.call('sorting', 'PUT', `/stations/${STATION.siteId}`, admin, {
      name: '幸福路回收站',
      districtCode: DISTRICT,
      enterpriseId: STATION.enterpriseId,
      active: true,
    }),
  );
  expectOk(
    'dismantler',
    await e.call('dismantling', 'PUT', `/dismantlers/${DISMANTLER.siteId}`, admin, {
      name: '阿拉尔市报废机动车回收拆解有限公司',
      enterpriseId: DISMANTLER.enterpriseId,
      qualificationCertificateNo: '新BF-659002-001',
      districtCode: VEHICLE_DISTRICT,
      status: 'active',
    }),
  );
  const enterprises = [
    {
      ...STATION,
      name: '阿拉尔市绿源再生资源回收有限公司',
      taxpayerId: '91659002MA7A2B3C4D',
      vatMethod: 'general',
    },
    {
      ...DISMANTLER,
      name: '阿拉尔市报废机动车回收拆解有限公司',
      taxpayerId: '91659002MA79K8L6PX',
      vatMethod: 'simplified',
    },
  ];
  for (const { enterpriseId, siteId, ...rest } of enterprises) {
    expectOk(
      'enterprise',
      await e.call('invoicing', 'PUT', `/enterprises/${enterpriseId}`, admin, {
        ...rest,
        qualification: { type: 'recycler-filing', number: 'BA-659002-0042' },
        status: 'active',
        siteIds: [siteId],
      }),
    );
  }
}

export const applianceBooking = (phone: string, name: string, day = 2) => ({
  kind: 'appliances',
  appliances: [
    { category: 'refrigerator', count: 1, brand: '海尔', ageYears: 14, condition: 'faulty' },
    { category: 'washing-machine', count: 1 },
  ],
  address: { districtCode: DISTRICT, detail: '幸福路 12 号 3 栋 2 单元 401' },
  contact: { name, phone },
  slot: { date: cityDate(day), window: WINDOW },
});

export const personSeller = (p: { name: string; idNumber: string }) => ({
  kind: 'person',
  name: p.name,
  idType: 'resident-id-card',
  idNumber: p.idNumber,
  consentToReverseInvoicing: true,
});

/** Books, schedules and collects an appliance pickup; returns its id. */
export async function collectedAppliancePickup(
  e: E2e,
  resident: string,
  person: { name: string; phone: string },
): Promise<string> {
  const residentToken = await e.token('resident', undefined, resident);
  const operator = await e.token('station-operator', STATION.siteId, 'op-e2e-1');
  const booked = await e.call(
    'pickup',
    'POST',
    '/pickups',
    residentToken,
    applianceBooking(person.phone, person.name),
  );
  expectOk('book', booked);
  const pickupId = booked.body.pickupId as string;
  expectOk(
    'schedule',
    await e.call('pickup', 'POST', `/pickups/${pickupId}/schedule`, operator, { crewId: 'crew-1' }),
  );
  expectOk(
    'collect',
    await e.call('pickup', 'POST', `/pickups/${pickupId}/collect`, operator, {
      appliances: [
        { category: 'refrigerator', count: 1, condition: 'faulty' },
        { category: 'washing-machine', count: 1 },
      ],
    }),
  );
  return pickupId;
}

/** The station records the intake of a collected pickup: two lines, paid to a natural person. */
export async function recordIntake(
  e: E2e,
  pickupId: string | undefined,
  person: { name: string; idNumber: string },
  fen: { fridge: number; washer: number } = { fridge: 12_000, washer: 8_000 },
): Promise<Reply> {
  const operator = await e.token('station-operator', STATION.siteId, 'op-e2e-1');
  return e.call('sorting', 'POST', `/stations/${STATION.siteId}/intakes`, operator, {
    source: pickupId ? { kind: 'pickup', pickupId } : { kind: 'walk-in' },
    seller: personSeller(person),
    lines: applianceIntakeLines(fen),
  });
}

/** The two lines of every intake in these flows: a fridge to dismantle and a reusable washer. */
export const applianceIntakeLines = (
  fen: { fridge: number; washer: number } = { fridge: 12_000, washer: 8_000 },
) => [
  {
    category: 'refrigerator',
    units: 1,
    weightGrams: 62_500,
    condition: 'for-dismantling',
    priceFen: fen.fridge,
  },
  { category: 'washing-machine', units: 1, weightGrams: 36_000, condition: 'reusable', priceFen: fen.washer },
];

export interface FeedItem {
  id: string;
  kind: 'issued' | 'reversed' | 'refused';
  type: string;
  data: Record<string, Loose>;
}

/** Every entry of the tax office feed, read as a tax officer, page after page. */
export async function readFeed(e: E2e): Promise<FeedItem[]> {
  const tax = await e.token('tax-officer');
  const items: FeedItem[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const query: string = cursor ? `?limit=500&cursor=${encodeURIComponent(cursor)}` : '?limit=500';
    const reply: Reply = await e.call('invoicing', 'GET', `/feed/invoices${query}`, tax);
    expectOk('feed', reply);
    items.push(...(reply.body.items as FeedItem[]));
    if (!reply.body.nextCursor || reply.body.items.length === 0) break;
    cursor = reply.body.nextCursor;
  }
  return items;
}

/** One statistics cell (fields summed over the rows matching month and value). */
export async function statCell(
  e: E2e,
  metric: string,
  field: string,
  { dim = 'all', value = 'all', month = cityMonth() } = {},
): Promise<number> {
  const admin = await e.token('administrator');
  const reply = await e.call(
    'statistics',
    'GET',
    `/rollups?metric=${metric}&dim=${dim}&from=${month}&to=${month}`,
    admin,
  );
  expectOk('rollups', reply);
  const rows = reply.body.rows as { month: string; value: string; fields: Record<string, number> }[];
  return rows
    .filter((r) => r.month === month && r.value === value)
    .reduce((s, r) => s + (r.fields[field] ?? 0), 0);
}

export { expectOk };

export const vehicleBooking = (vin: string, phone: string, day = 3) => ({
  kind: 'vehicle',
  vehicle: {
    plate: '新N12323',
    vin,
    vehicleType: 'passenger-car',
    fuelType: 'gasoline',
    emissionStandard: 'china-3',
    registrationDate: '2009-06-18',
  },
  address: { districtCode: VEHICLE_DISTRICT, detail: '昌安镇 3 连 15 号' },
  contact: { phone },
  slot: { date: cityDate(day), window: WINDOW },
});

/** The dismantler takes a vehicle in, paying a natural person who consented to reverse invoicing. */
export const vehicleIntakeBody = (
  vin: string,
  owner: { name: string; idNumber: string },
  priceFen: number,
  pickupId?: string,
) => {
  const now = new Date().toISOString();
  return {
    dismantlerId: DISMANTLER.siteId,
    vin,
    ...(pickupId ? { pickupId } : {}),
    plate: '新N12323',
    engineNo: 'CEA218765',
    brandModel: '桑塔纳 SVW7182',
    vehicleType: 'passenger-car',
    fuelType: 'gasoline',
    emissionStandard: 'china-3',
    registrationDate: '2009-06-18',
    curbWeightGrams: 1_180_000,
    weighedGrams: 1_162_500,
    documentsReceived: { registrationCertificate: true, drivingLicence: true, plates: 2 },
    photoIds: ['ph-001'],
    priceFen,
    owner: { kind: 'person', name: owner.name, idType: 'resident-id-card', idNumber: owner.idNumber },
    payment: { paidAt: now, paymentRecordId: `pay-${vin.slice(-7)}`, consentRecordedAt: now },
  };
};

export const DISMANTLED = {
  assemblies: [
    { assembly: 'engine', disposition: 'remanufacturing', remanufacturingCode: 'ZZ-2025-0311-017' },
    { assembly: 'steering-gear', disposition: 'scrap-steel' },
    { assembly: 'transmission', disposition: 'remanufacturing', remanufacturingCode: 'ZZ-2025-0311-018' },
    { assembly: 'axles', disposition: 'scrap-steel' },
    { assembly: 'frame', disposition: 'scrap-steel' },
  ],
  reusedParts: [{ name: '轮毂', count: 4 }],
  materials: [
    { material: 'ferrous', weightGrams: 712_000 },
    { material: 'plastic', weightGrams: 118_000 },
  ],
};

/**
 * What an administrator sets up for the channels of plan section 5: a public institution that may
 * register disposal batches and a qualified remanufacturer of engines and PV inverters.
 */
export async function setUpChannels(e: E2e): Promise<void> {
  const admin = await e.token('administrator');
  expectOk(
    'institution',
    await e.call('disposals', 'PUT', `/institutions/${INSTITUTION.creditCode}`, admin, {
      name: INSTITUTION.name,
      districtCode: 's-jinyinchuanlu',
      supervisor: '第一师阿拉尔市财政局',
      active: true,
    }),
  );
  expectOk(
    'remanufacturer',
    await e.call('remanufacturing', 'PUT', `/remanufacturers/${REMANUFACTURER.remanufacturerId}`, admin, {
      name: REMANUFACTURER.name,
      creditCode: '91659002MA7D1E2F3G',
      districtCode: VEHICLE_DISTRICT,
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

/** The institution registers a batch of one old desktop computer, collected by the e2e station. */
export async function registerDisposalBatch(e: E2e, assetCardNo: string): Promise<Reply> {
  const institution = await e.token('public-institution', INSTITUTION.creditCode, 'pi-e2e-1');
  return e.call(
    'disposals',
    'POST',
    `/institutions/${INSTITUTION.creditCode}/disposal-batches`,
    institution,
    {
      approval: { documentNo: '阿财资〔2025〕12号', authority: '第一师阿拉尔市财政局' },
      handover: { method: 'collection', stationId: STATION.siteId, date: cityDate(0) },
      assets: [
        {
          assetCardNo,
          category: 'desktop-computer',
          acquisitionDate: '2015-09-01',
          originalValueFen: 498_000,
          mode: 'scrapping',
          classified: false,
        },
      ],
    },
  );
}
