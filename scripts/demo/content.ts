// The demo city set-up for Alar: who runs which site, who books what, and which bodies the services
// accept (the same shapes the end-to-end tests send). Every id is fixed so a second run finds the
// first run's records instead of creating new ones.
import { alarProfile, validateVin } from '@recycling/contracts';

export const WINDOWS = ['10:00-13:00', '16:00-19:00'] as const;
export const SLOT_DAYS = [1, 2, 3, 4] as const;
export const SLOT_DISTRICTS = ['s-xingfulu', 's-jinyinchuanlu', 's-qingsonglu', 't10'] as const;

export interface DemoStation {
  siteId: string;
  enterpriseId: string;
  name: { zh: string; en: string };
  districtCode: string;
  districts: string[];
}

export const STATIONS: readonly DemoStation[] = [
  {
    siteId: 'st-demo-01',
    enterpriseId: 'ent-demo-lvyuan',
    name: { zh: '幸福路回收站', en: 'Xingfulu station' },
    districtCode: 's-xingfulu',
    districts: ['s-xingfulu', 's-qingsonglu'],
  },
  {
    siteId: 'st-demo-02',
    enterpriseId: 'ent-demo-jinyuan',
    name: { zh: '金银川路回收站', en: 'Jinyinchuanlu station' },
    districtCode: 's-jinyinchuanlu',
    districts: ['s-jinyinchuanlu', 's-nankou'],
  },
];

export const DISMANTLER = {
  siteId: 'dm-demo-01',
  enterpriseId: 'ent-demo-baofei',
  name: { zh: '阿拉尔市报废机动车回收拆解有限公司', en: 'Alar scrapped vehicle dismantling' },
  districtCode: 't10',
  districts: ['t10', 't01', 't13'],
} as const;

export const ENTERPRISES = [
  {
    enterpriseId: 'ent-demo-lvyuan',
    name: '阿拉尔市绿源再生资源回收有限公司',
    taxpayerId: '91659002MA7A2B3C4D',
    qualification: { type: 'recycler-filing', number: 'BA-659002-0042' },
    vatMethod: 'general',
    siteIds: ['st-demo-01'],
  },
  {
    enterpriseId: 'ent-demo-jinyuan',
    name: '阿拉尔市金源物资回收有限公司',
    taxpayerId: '91659002MA7B5D6E7F',
    qualification: { type: 'recycler-filing', number: 'BA-659002-0057' },
    vatMethod: 'simplified',
    siteIds: ['st-demo-02'],
  },
  {
    enterpriseId: DISMANTLER.enterpriseId,
    name: DISMANTLER.name.zh,
    taxpayerId: '91659002MA79K8L6PX',
    qualification: { type: 'dismantler-certificate', number: '新BF-659002-001' },
    vatMethod: 'simplified',
    siteIds: [DISMANTLER.siteId],
  },
] as const;

/** The check character of an 18-digit resident id number (GB 11643, ISO 7064 MOD 11-2). */
export function withIdCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return `${first17}${'10X98765432'[sum % 11]}`;
}

/** Fictitious people with well-formed id numbers of the city's region (659002). */
export const PEOPLE = {
  wang: { name: '王建新', idNumber: withIdCheck('65900219780312451'), phone: '13912345678' },
  li: { name: '李秀兰', idNumber: withIdCheck('65900219850923032'), phone: '13700998877' },
  ayigul: { name: '阿依古丽·买买提', idNumber: withIdCheck('65900219900517234'), phone: '13899001122' },
  zhang: { name: '张伟', idNumber: withIdCheck('65900219720204153'), phone: '13609961234' },
  maimaiti: { name: '买买提·吐尔逊', idNumber: withIdCheck('65900219660815271'), phone: '13579902468' },
  zhao: { name: '赵春梅', idNumber: withIdCheck('65900219811130062'), phone: '13369970011' },
} as const;
export type Person = (typeof PEOPLE)[keyof typeof PEOPLE];

export type DemoState = 'requested' | 'scheduled' | 'collected' | 'delivered';

export interface DemoAppliancePickup {
  resident: string;
  person: Person;
  districtCode: string;
  address: string;
  day: number;
  state: DemoState;
  /** What the station pays for the refrigerator and the washing machine, in fen. */
  priceFen?: { fridge: number; washer: number };
}

/** One resident account per pickup, so a resident's list holds exactly the demo's pickup. */
export const APPLIANCE_PICKUPS: readonly DemoAppliancePickup[] = [
  {
    resident: 'r-demo-1001',
    person: PEOPLE.wang,
    districtCode: 's-xingfulu',
    address: '幸福路 12 号 3 栋 2 单元 401',
    day: 2,
    state: 'requested',
  },
  {
    resident: 'r-demo-1002',
    person: PEOPLE.li,
    districtCode: 's-jinyinchuanlu',
    address: '金银川路 88 号 5 栋 1 单元 202',
    day: 2,
    state: 'scheduled',
  },
  {
    resident: 'r-demo-1003',
    person: PEOPLE.ayigul,
    districtCode: 's-qingsonglu',
    address: '青松路 6 号 2 栋 3 单元 601',
    day: 1,
    state: 'collected',
  },
  {
    resident: 'r-demo-1004',
    person: PEOPLE.zhang,
    districtCode: 's-xingfulu',
    address: '幸福路 30 号 1 栋 1 单元 101',
    day: 1,
    state: 'delivered',
    priceFen: { fridge: 12_000, washer: 8_000 },
  },
  {
    resident: 'r-demo-1005',
    person: PEOPLE.maimaiti,
    districtCode: 's-jinyinchuanlu',
    address: '金银川路 120 号 7 栋 2 单元 302',
    day: 1,
    state: 'delivered',
    priceFen: { fridge: 15_000, washer: 6_500 },
  },
];

export const VEHICLE_RESIDENT = 'r-demo-2001';
export const VEHICLE_OWNER = PEOPLE.zhao;
export const VEHICLE_PRICE_FEN = 150_000;

/** A VIN with a correct check digit, the same on every run. */
export function demoVin(serial: string): string {
  const draft = `LSVAG2180A${serial}`;
  for (const digit of '0123456789X') {
    const vin = `${draft.slice(0, 8)}${digit}${draft.slice(9)}`;
    if (validateVin(vin).valid) return vin;
  }
  throw new Error(`no check digit fits ${draft}`);
}

export const VEHICLE = {
  plate: '新N12323',
  vin: demoVin('0260001'),
  vehicleType: 'passenger-car',
  fuelType: 'gasoline',
  emissionStandard: 'china-3',
  registrationDate: '2009-06-18',
} as const;

/** A local date in the city, n days from today. */
export function cityDate(daysFromToday: number, now = Date.now()): string {
  const at = new Date(now + daysFromToday * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: alarProfile.timezone }).format(at);
}

export const applianceBooking = (p: DemoAppliancePickup, date: string) => ({
  kind: 'appliances',
  appliances: [
    { category: 'refrigerator', count: 1, brand: '海尔', ageYears: 14, condition: 'faulty' },
    { category: 'washing-machine', count: 1 },
  ],
  address: { districtCode: p.districtCode, detail: p.address },
  contact: { name: p.person.name, phone: p.person.phone },
  slot: { date, window: WINDOWS[0] },
});

export const collectedAppliances = {
  appliances: [
    { category: 'refrigerator', count: 1, condition: 'faulty' },
    { category: 'washing-machine', count: 1 },
  ],
};

export const applianceIntake = (
  pickupId: string,
  person: Person,
  fen: { fridge: number; washer: number },
) => ({
  source: { kind: 'pickup', pickupId },
  seller: {
    kind: 'person',
    name: person.name,
    idType: 'resident-id-card',
    idNumber: person.idNumber,
    consentToReverseInvoicing: true,
  },
  lines: [
    {
      category: 'refrigerator',
      units: 1,
      weightGrams: 62_500,
      condition: 'for-dismantling',
      priceFen: fen.fridge,
    },
    {
      category: 'washing-machine',
      units: 1,
      weightGrams: 36_000,
      condition: 'reusable',
      priceFen: fen.washer,
    },
  ],
});

export const vehicleBooking = (date: string) => ({
  kind: 'vehicle',
  vehicle: VEHICLE,
  address: { districtCode: 't10', detail: '昌安镇 3 连 15 号' },
  contact: { phone: VEHICLE_OWNER.phone },
  slot: { date, window: WINDOWS[0] },
});

export const vehicleIntake = (pickupId: string, now: Date) => ({
  dismantlerId: DISMANTLER.siteId,
  vin: VEHICLE.vin,
  pickupId,
  plate: VEHICLE.plate,
  engineNo: 'CEA218765',
  brandModel: '桑塔纳 SVW7182',
  vehicleType: VEHICLE.vehicleType,
  fuelType: VEHICLE.fuelType,
  emissionStandard: VEHICLE.emissionStandard,
  registrationDate: VEHICLE.registrationDate,
  curbWeightGrams: 1_180_000,
  weighedGrams: 1_162_500,
  documentsReceived: { registrationCertificate: true, drivingLicence: true, plates: 2 },
  photoIds: ['ph-demo-001'],
  priceFen: VEHICLE_PRICE_FEN,
  owner: {
    kind: 'person',
    name: VEHICLE_OWNER.name,
    idType: 'resident-id-card',
    idNumber: VEHICLE_OWNER.idNumber,
  },
  payment: {
    paidAt: now.toISOString(),
    paymentRecordId: 'pay-demo-0260001',
    consentRecordedAt: now.toISOString(),
  },
});

export const DISMANTLING = {
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
  photoIds: ['ph-demo-after-1'],
};

export const USED_CAR_MARKET = { marketId: 'mkt-demo-01', districtCode: 's-nankou' };

/** Used-car sales documented by the market; the transaction id makes a repeat a no-op. */
export const usedCarTransactions = (today: string) => [
  {
    transactionId: 'uc-demo-0001',
    vin: demoVin('0261001'),
    plateMasked: '新N1***8',
    districtCode: USED_CAR_MARKET.districtCode,
    vehicleType: 'passenger-car',
    fuelType: 'gasoline',
    emissionStandard: 'china-5',
    priceFen: 4_580_000,
    invoiceNo: '26659002000000000101',
    transactedOn: today,
  },
  {
    transactionId: 'uc-demo-0002',
    vin: demoVin('0261002'),
    plateMasked: '新N5***1',
    districtCode: USED_CAR_MARKET.districtCode,
    vehicleType: 'passenger-car',
    fuelType: 'bev',
    priceFen: 7_920_000,
    invoiceNo: '26659002000000000102',
    transactedOn: today,
  },
  {
    transactionId: 'uc-demo-0003',
    vin: demoVin('0261003'),
    plateMasked: '新N7***3',
    districtCode: USED_CAR_MARKET.districtCode,
    vehicleType: 'truck',
    fuelType: 'diesel',
    emissionStandard: 'china-6',
    priceFen: 6_300_000,
    invoiceNo: '26659002000000000103',
    transactedOn: today,
  },
];
