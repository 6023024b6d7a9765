// Security of the running network: every role (and no token, a bad signature, an expired token)
// against every endpoint every service documents; hostile input answered 4xx, never 5xx; and no
// personal data in any service's log after a flow that handles it.
import { LOCAL_DEV_JWT_SECRET, ROLES, mintToken, type Role } from '@recycling/service-kit';
import {
  INSTITUTION,
  PEOPLE,
  REMANUFACTURER,
  STATION,
  applianceBooking,
  registerDisposalBatch,
  setUpChannels,
  setUpCity,
  startE2e,
  type E2e,
  type ServiceName,
} from './support/network';
import {
  BANK_CARD,
  RETAILER,
  fillPath,
  handlePersonalData,
  idsFor,
  tokenOf as tokenFor,
  type RealIds,
} from './support/resources';

jest.setTimeout(600_000);

const ALL = [...ROLES];
/**
 * Open to anyone, token or not: the API documents (decision 13: the contract of a public service is
 * no secret; its data is).
 */
const PUBLIC_ENDPOINTS = new Set(['GET /openapi.json']);
const SO: Role = 'station-operator';
const DO: Role = 'dismantler-operator';
const ADMIN: Role = 'administrator';
const TAX: Role = 'tax-officer';
const CITY: Role = 'city-official';
const RO: Role = 'retailer-operator';
const CR: Role = 'commerce-reviewer';
const FO: Role = 'finance-officer';
const PI: Role = 'public-institution';
const RM: Role = 'remanufacturer-operator';

/**
 * Who may call what: the policy as the services' READMEs state it, written down independently of
 * the code. Every documented endpoint must appear here, so a new endpoint fails this test until its
 * policy is decided.
 */
const POLICY: Record<ServiceName, Record<string, readonly Role[]>> = {
  pickup: {
    'POST /pickups': ['resident'],
    'GET /pickups': ['resident', SO, DO, ADMIN],
    'GET /pickups/{pickupId}': ['resident', SO, DO, ADMIN],
    'POST /pickups/{pickupId}/schedule': [SO, DO],
    'POST /pickups/{pickupId}/collect': [SO, DO],
    'POST /pickups/{pickupId}/fail': [SO, DO],
    'POST /pickups/{pickupId}/cancel': ['resident', SO, DO, ADMIN],
    'POST /pickups/{pickupId}/reschedule': ['resident'],
    'GET /service-areas': ALL,
    'GET /service-areas/{districtCode}': ALL,
    'GET /slots': ALL,
    'PUT /districts/{districtCode}/slots/{date}': [ADMIN],
    'PUT /sites/{siteId}': [ADMIN],
    'GET /sites': ALL,
    'GET /districts': ALL,
    'GET /openapi.json': ALL,
  },
  sorting: {
    'GET /stations': [ADMIN],
    'PUT /stations/{stationId}': [ADMIN],
    'GET /stations/{stationId}': [SO, ADMIN],
    'GET /stations/{stationId}/expected-arrivals': [SO, ADMIN],
    'GET /stations/{stationId}/work-list': [SO, ADMIN],
    'POST /stations/{stationId}/intakes': [SO],
    'GET /stations/{stationId}/intakes': [SO, ADMIN],
    'GET /intakes/{intakeId}': [SO, ADMIN],
    'POST /intakes/{intakeId}/corrections': [SO],
    'POST /intakes/{intakeId}/sorting': [SO],
    'GET /intakes/{intakeId}/custody': [SO, ADMIN],
    'GET /intakes/{intakeId}/lines/{lineId}/custody': [SO, ADMIN],
    'POST /stations/{stationId}/batches': [SO],
    'GET /stations/{stationId}/batches': [SO, ADMIN],
    'GET /batches/{batchId}': [SO, ADMIN],
    'GET /openapi.json': ALL,
  },
  dismantling: {
    'PUT /dismantlers/{dismantlerId}': [ADMIN],
    'GET /dismantlers/{dismantlerId}': [DO, ADMIN],
    'GET /dismantlers/{dismantlerId}/work-list': [DO, ADMIN],
    'GET /expected-vehicles': [DO, ADMIN],
    'POST /vehicle-intakes': [DO, ADMIN],
    'GET /vehicle-intakes': [DO, ADMIN],
    'GET /vehicle-intakes/{vehicleIntakeId}': [DO, ADMIN],
    'POST /vehicle-intakes/{vehicleIntakeId}/void': [DO, ADMIN],
    'POST /vehicle-intakes/{vehicleIntakeId}/certificate': [DO, ADMIN],
    'GET /certificates/{certificateNo}': ['resident', DO, ADMIN],
    'POST /vehicle-intakes/{vehicleIntakeId}/deregistration': [DO, ADMIN],
    'PUT /vehicle-intakes/{vehicleIntakeId}/deregistration/outcome': [DO, ADMIN],
    'POST /vehicle-intakes/{vehicleIntakeId}/dismantling': [DO, ADMIN],
    'GET /openapi.json': ALL,
  },
  invoicing: {
    'PUT /enterprises/{enterpriseId}': [ADMIN],
    'GET /enterprises': [ADMIN, TAX],
    'GET /enterprises/{enterpriseId}': [TAX, ADMIN, SO, DO],
    'GET /enterprises/{enterpriseId}/invoices': [TAX, ADMIN, SO, DO],
    'GET /invoices/{invoiceId}': [TAX, ADMIN, SO, DO],
    'GET /invoices/{invoiceId}/pdf': ['resident', TAX, ADMIN, SO, DO],
    'GET /feed/invoices': [TAX, ADMIN],
    'GET /feed/invoices/totals': [TAX, ADMIN],
    'GET /feed/invoices/export': [TAX, ADMIN],
    'POST /declarations': [ADMIN],
    'GET /declarations': [TAX, ADMIN, SO, DO],
    'GET /declarations/{declarationId}': [TAX, ADMIN, SO, DO],
    'GET /declarations/{declarationId}/export': [TAX, ADMIN, SO, DO],
    'GET /residents/me/invoices': ['resident'],
    'GET /openapi.json': ALL,
  },
  statistics: {
    'POST /used-car-transactions': ['used-car-market'],
    'GET /used-car-transactions': ['used-car-market', ADMIN],
    'GET /targets': [ADMIN, CITY],
    'PUT /targets/{metric}': [ADMIN],
    'GET /progress': [ADMIN, CITY],
    'GET /progress/{metric}': [ADMIN, CITY],
    'GET /rollups': [ADMIN, CITY],
    'GET /subsidies': [ADMIN, CITY],
    'GET /channels': [ADMIN, CITY],
    'GET /exports/rollups.csv': [ADMIN, CITY],
    'GET /exports/progress.csv': [ADMIN, CITY],
    'POST /rebuilds': [ADMIN],
    'GET /rebuilds/{generation}': [ADMIN],
    'POST /rebuilds/{generation}/promote': [ADMIN],
    'POST /rebuilds/{generation}/discard': [ADMIN],
    'GET /reconciliation': [ADMIN],
    'POST /reconciliation/owner-counts': [ADMIN],
    'GET /openapi.json': ALL,
  },
  subsidies: {
    'GET /programmes': ALL,
    'POST /claims': ['resident'],
    'GET /claims/mine': ['resident'],
    'GET /claims/{claimId}': ['resident', RO, CR, FO, CITY, ADMIN],
    'POST /claims/{claimId}/resubmit': ['resident'],
    'GET /review-queue': [CR, FO, ADMIN],
    'POST /claims/{claimId}/approve': [CR],
    'POST /claims/{claimId}/reject': [CR],
    'PUT /retailers/{retailerId}': [ADMIN],
    'GET /retailers': [ADMIN, CR, FO, CITY],
    'GET /retailers/{retailerId}': [RO, ADMIN, CR, FO, CITY],
    'POST /retailers/{retailerId}/sales': [RO],
    'GET /retailers/{retailerId}/sales': [RO, ADMIN, CR, FO],
    'POST /retailers/{retailerId}/sales/{claimId}/return': [RO],
    'POST /retailers/{retailerId}/reimbursements': [RO],
    'GET /retailers/{retailerId}/reimbursements/{reimbursementId}': [RO, ADMIN, CR, FO],
    'POST /payment-batches': [FO],
    'GET /payment-batches': [FO, CITY, ADMIN],
    'GET /payment-batches/{batchId}': [FO, CITY, ADMIN],
    'GET /payment-batches/{batchId}/bank-file': [FO],
    'GET /funds': [FO, CITY, ADMIN, CR],
    'GET /funds/{programmeCode}/{year}/monthly': [FO, CITY, ADMIN],
    'GET /payments/{paymentId}/chain': [FO, CITY, ADMIN],
    'GET /exports/payments.csv': [FO, CITY, ADMIN],
    'GET /openapi.json': ALL,
  },
  disposals: {
    'GET /disposal-rules': ALL,
    'PUT /institutions/{creditCode}': [ADMIN],
    'GET /institutions': [FO, ADMIN],
    'GET /institutions/{creditCode}': [PI, FO, ADMIN],
    'POST /institutions/{creditCode}/disposal-batches': [PI],
    'GET /institutions/{creditCode}/disposal-batches': [PI, FO, ADMIN],
    'GET /institutions/{creditCode}/assets/{assetCardNo}': [PI, FO, ADMIN],
    'GET /stations/{stationId}/disposal-batches': [SO, ADMIN],
    'GET /disposal-batches/{batchId}': [PI, SO, FO, ADMIN],
    'POST /disposal-batches/{batchId}/collect': [SO],
    'POST /disposal-batches/{batchId}/receipt': [SO],
    'POST /disposal-batches/{batchId}/differences/acknowledge': [PI],
    'POST /disposal-batches/{batchId}/handovers': [SO],
    'POST /disposal-batches/{batchId}/certificates': [SO, PI],
    'POST /disposal-batches/{batchId}/proceeds': [PI],
    'POST /disposal-batches/{batchId}/close': [PI],
    'POST /disposal-batches/{batchId}/cancel': [PI],
    'GET /openapi.json': ALL,
  },
  remanufacturing: {
    'GET /remanufacturing-lines': ALL,
    'PUT /remanufacturers/{remanufacturerId}': [ADMIN],
    'GET /remanufacturers': [CITY, ADMIN],
    'GET /remanufacturers/{remanufacturerId}': [RM, CITY, ADMIN],
    'POST /remanufacturers/{remanufacturerId}/cores': [RM],
    'GET /remanufacturers/{remanufacturerId}/cores': [RM, CITY, ADMIN],
    'GET /cores/{coreId}': [RM, CITY, ADMIN],
    'GET /cores/{coreId}/trace': [RM, CITY, ADMIN],
    'POST /remanufacturers/{remanufacturerId}/products': [RM],
    'GET /remanufacturers/{remanufacturerId}/products': [RM, CITY, ADMIN],
    'GET /products/{productId}': [RM, CITY, ADMIN],
    'POST /products/{productId}/checks': [RM],
    'POST /products/{productId}/release': [RM],
    'POST /products/{productId}/shipments': [RM],
    'GET /products/{productId}/trace': [RM, CITY, ADMIN],
    'GET /traces/vehicles/{vin}': [CITY, ADMIN],
    'GET /traces/assemblies/{remanufacturingCode}': [CITY, ADMIN],
    'GET /openapi.json': ALL,
  },
};

const SERVICES = Object.keys(POLICY) as ServiceName[];

let e: E2e;
/** Documented endpoints per service, as `METHOD /path` from each GET /openapi.json. */
const documented = {} as Record<ServiceName, string[]>;
/** `service METHOD /path` of the endpoints whose document declares a request body. */
const takesBody = new Set<string>();
/** Real resources, so that a permitted call reaches the handler instead of stopping at a scope check. */
let ids: RealIds = { station: {}, dismantler: {} };
/** A public institution's disposal batch, handed to the e2e station. */
let disposalBatchId = '';

const tokenOf = (role: Role) => tokenFor(e, role);

/** The endpoint's path with its parameters filled for the caller's side of the network. */
const pathFor = (endpoint: string, role: Role | undefined): string =>
  fillPath(endpoint.split(' ')[1]!, idsFor(ids, role));

const methodOf = (endpoint: string) => endpoint.split(' ')[0]!;
const hasBody = (endpoint: string) => ['POST', 'PUT', 'PATCH'].includes(methodOf(endpoint));

beforeAll(async () => {
  e = await startE2e();
  await setUpCity(e);
  await setUpChannels(e);
  const disposal = await registerDisposalBatch(e, 'ZC-E2E-SEC-0001');
  expect(disposal.status).toBe(201);
  disposalBatchId = disposal.body.batchId as string;
  const admin = await e.token(ADMIN);
  for (const service of SERVICES) {
    const doc = await e.call(service, 'GET', '/openapi.json', admin);
    expect(doc.status).toBe(200);
    const paths = doc.body.paths as Record<string, Record<string, { requestBody?: unknown }>>;
    documented[service] = Object.entries(paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => {
          if (item[m]!.requestBody) takesBody.add(`${service} ${m.toUpperCase()} ${path}`);
          return `${m.toUpperCase()} ${path}`;
        }),
    );
  }
  ids = await handlePersonalData(e);
});

afterAll(async () => {
  await e?.stop();
});

describe('the authorization matrix', () => {
  it('documents exactly the endpoints whose policy is known, with their request bodies', () => {
    for (const withBody of [
      'pickup POST /pickups',
      'sorting POST /stations/{stationId}/intakes',
      'dismantling POST /vehicle-intakes',
      'invoicing PUT /enterprises/{enterpriseId}',
      'statistics POST /used-car-transactions',
      'disposals POST /institutions/{creditCode}/disposal-batches',
      'remanufacturing POST /remanufacturers/{remanufacturerId}/cores',
    ]) {
      expect(takesBody).toContain(withBody);
    }
    for (const service of SERVICES) {
      expect({ service, endpoints: [...documented[service]].sort() }).toEqual({
        service,
        endpoints: Object.keys(POLICY[service]).sort(),
      });
    }
  });

  it.each(SERVICES)(
    '%s refuses calls without a valid token (none, bad signature, expired) with 401',
    async (service) => {
      const forged = await mintToken({ sub: 'x', role: ADMIN, secret: 'not-the-secret-of-this-network' });
      const expired = await mintToken({ sub: 'x', role: ADMIN, ttl: -60, secret: LOCAL_DEV_JWT_SECRET });
      const answers: string[] = [];
      for (const endpoint of documented[service]) {
        if (PUBLIC_ENDPOINTS.has(endpoint)) {
          const open = await e.call(service, methodOf(endpoint), pathFor(endpoint, ADMIN), undefined);
          if (open.status !== 200) answers.push(`${endpoint} (public, no token): ${open.status}`);
          continue;
        }
        for (const [what, token] of [
          ['none', undefined],
          ['bad signature', forged],
          ['expired', expired],
          ['not a JWT', 'abc.def'],
        ] as const) {
          const r = await e.call(
            service,
            methodOf(endpoint),
            pathFor(endpoint, ADMIN),
            token,
            hasBody(endpoint) ? {} : undefined,
          );
          if (r.status !== 401) answers.push(`${endpoint} (${what}): ${r.status}`);
        }
      }
      expect(answers).toEqual([]);
    },
  );

  it.each(SERVICES)('%s lets each role through exactly where the policy allows it', async (service) => {
    const wrong: string[] = [];
    for (const endpoint of documented[service]) {
      const allowed = POLICY[service][endpoint] ?? [];
      for (const role of ROLES) {
        const r = await e.call(
          service,
          methodOf(endpoint),
          pathFor(endpoint, role),
          await tokenOf(role),
          hasBody(endpoint) ? {} : undefined,
        );
        const refused = r.status === 401 || r.status === 403;
        if (r.status >= 500) wrong.push(`${endpoint} as ${role}: ${r.status} ${r.text.slice(0, 200)}`);
        else if (allowed.includes(role) === refused) {
          wrong.push(
            `${endpoint} as ${role}: ${r.status} (${allowed.includes(role) ? 'must pass' : 'must be refused'})`,
          );
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses an operator of another site, and a resident reading another resident’s pickup', async () => {
    const otherStation = await e.token(SO, 'st-other-99', 'op-other');
    const otherDismantler = await e.token(DO, 'dm-other-99', 'op-other-2');
    const otherResident = await e.token('resident', undefined, 'r-e2e-other');
    const checks: [ServiceName, string, string][] = [
      ['sorting', `/stations/${STATION.siteId}/intakes`, otherStation],
      ['sorting', `/intakes/${ids.station.intakeId}`, otherStation],
      ['invoicing', `/enterprises/${STATION.enterpriseId}/invoices`, otherStation],
      ['invoicing', `/invoices/${ids.station.invoiceId}`, otherStation],
      ['dismantling', `/vehicle-intakes/${ids.station.vehicleIntakeId}`, otherDismantler],
      ['dismantling', `/certificates/${ids.station.certificateNo}`, otherResident],
      ['subsidies', `/retailers/${RETAILER}/sales`, await e.token(RO, 'rt-other-99', 'op-other-3')],
      ['subsidies', `/claims/${ids.station.claimId}`, otherResident],
      ['disposals', `/disposal-batches/${disposalBatchId}`, otherStation],
      [
        'disposals',
        `/disposal-batches/${disposalBatchId}`,
        await e.token(PI, '12659002MB2468013T', 'pi-other'),
      ],
      [
        'disposals',
        `/institutions/${INSTITUTION.creditCode}/disposal-batches`,
        await e.token(PI, '12659002MB2468013T', 'pi-other'),
      ],
      [
        'remanufacturing',
        `/remanufacturers/${REMANUFACTURER.remanufacturerId}/cores`,
        await e.token(RM, 'rm-other-99', 'op-other-4'),
      ],
    ];
    const answers = await Promise.all(
      checks.map(
        async ([service, path, token]) =>
          `${service} ${path}: ${(await e.call(service, 'GET', path, token)).status}`,
      ),
    );
    for (const answer of answers) expect(answer).toMatch(/: 40[34]$/);
    // A resident's pickup is invisible to another resident (not even its existence).
    const peek = await e.call('pickup', 'GET', `/pickups/${ids.station.pickupId}`, otherResident);
    expect([403, 404]).toContain(peek.status);
  });
});

// Every array field the services take, 5,000 long (each schema caps its arrays well below that).
const big = Array.from({ length: 5_000 }, () => 1);
const hugeArrays = JSON.stringify(
  Object.fromEntries(
    [
      'lines',
      'windows',
      'counts',
      'items',
      'appliances',
      'assemblies',
      'outcomes',
      'siteIds',
      'districts',
      'materials',
      'assets',
      'assetCardNos',
      'coreIds',
      'results',
      'productLines',
    ].map((field) => [field, big]),
  ),
);

describe('hostile input', () => {
  const permitted = (service: ServiceName, endpoint: string): Role => POLICY[service][endpoint]![0]!;

  it.each(SERVICES)(
    '%s answers query operators, wrong types, huge arrays, invalid JSON and oversized bodies with 4xx',
    async (service) => {
      const bad: string[] = [];
      const expect4xx = (what: string, status: number, text: string) => {
        if (status < 400 || status >= 500) bad.push(`${what}: ${status} ${text.slice(0, 160)}`);
      };
      for (const endpoint of documented[service]) {
        if (endpoint === 'GET /openapi.json') continue;
        const role = permitted(service, endpoint);
        const token = await tokenOf(role);
        const path = pathFor(endpoint, role);
        const method = methodOf(endpoint);
        const sep = path.includes('?') ? '&' : '?';
        // Operators smuggled through the query string, for every endpoint.
        const body = hasBody(endpoint) ? {} : undefined;
        for (const query of ['status[$ne]=x', 'limit[$gt]=0', 'a.b=1', '$where=1']) {
          const r = await e.call(service, method, `${path}${sep}${query}`, token, body);
          expect4xx(`${endpoint}?${query}`, r.status, r.text);
        }
        // Express's simple query parser keeps this as one literal, harmless key: ignored, never a 5xx.
        const proto = await e.call(service, method, `${path}${sep}__proto__[x]=1`, token, body);
        if (proto.status >= 500) bad.push(`${endpoint}?__proto__[x]=1: ${proto.status}`);
        if (!hasBody(endpoint)) continue;
        const bodies: [string, string][] = [
          ['operator at the top', '{"$gt": ""}'],
          ['operator in a field', '{"name": {"$gt": ""}, "kind": {"$ne": null}}'],
          [
            'operator deep down',
            '{"lines": [{"category": {"$in": ["tv"]}}], "seller": {"idNumber": {"$regex": ".*"}}}',
          ],
          ['dotted key', '{"seller.idNumber": "x"}'],
          ['prototype pollution', '{"__proto__": {"admin": true}}'],
          ['wrong types', '{"name": 42, "lines": "many", "priceFen": "1.5", "active": "yes", "windows": {}}'],
          ['an array body', '[1, 2, 3]'],
          ['a string body', '"hello"'],
          ['null body', 'null'],
          ['invalid JSON', '{"name": "x",'],
          ['huge arrays', hugeArrays],
          ['an oversized body', JSON.stringify({ name: 'x'.repeat(400_000) })],
          ['deep nesting', `${'{"a":'.repeat(200)}1${'}'.repeat(200)}`],
        ];
        for (const [what, body] of bodies) {
          const r = await e.raw(service, method, path, token, body);
          // An endpoint that takes no body ignores one; it must still never fail with a 5xx.
          if (takesBody.has(`${service} ${endpoint}`))
            expect4xx(`${endpoint} with ${what}`, r.status, r.text);
          else if (r.status >= 500) bad.push(`${endpoint} with ${what}: ${r.status}`);
        }
      }
      expect(bad).toEqual([]);
    },
  );

  it('names the bad fields in a problem+json 400', async () => {
    const resident = await tokenOf('resident');
    const r = await e.call('pickup', 'POST', '/pickups', resident, {
      ...applianceBooking('13912345678', '王建新'),
      contact: { phone: { $gt: '' } },
    });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(r.body.errors)).toContain('contact.phone');
    const q = await e.call('pickup', 'GET', '/pickups?status[$ne]=x', resident);
    expect(q.status).toBe(400);
    expect(JSON.stringify(q.body.errors)).toContain('query.status');
  });
});

describe('personal data in logs', () => {
  it('never writes a phone, a name, an id number or an address to any service’s output', async () => {
    const output = e.output();
    // The services did log (at info level), so the absence below means something.
    expect(output.length).toBeGreaterThan(1_000);
    const secrets = [
      PEOPLE.wang.phone,
      PEOPLE.wang.name,
      PEOPLE.wang.idNumber,
      PEOPLE.ayigul.phone,
      PEOPLE.ayigul.name,
      PEOPLE.ayigul.idNumber,
      '幸福路 12 号',
      '昌安镇 3 连',
      PEOPLE.li.phone,
      PEOPLE.li.name,
      PEOPLE.li.idNumber,
      '塔里木大道 88 号',
      BANK_CARD,
    ];
    const found = secrets.filter((s) => output.includes(s));
    expect(found).toEqual([]);
  });
});
