// The demo seed's fixed content must be what the services accept, or `npm start` fails at seeding:
// well-formed id numbers and VINs, districts the city has, a site and slots for every booking,
// used-car sales that match the event schema.
import {
  UsedCarTransactionRecordedData,
  alarProfile,
  validateResidentIdNumber,
  validateVin,
} from '@recycling/contracts';
import {
  APPLIANCE_PICKUPS,
  DISMANTLER,
  ENTERPRISES,
  PEOPLE,
  SLOT_DAYS,
  SLOT_DISTRICTS,
  STATIONS,
  VEHICLE,
  cityDate,
  usedCarTransactions,
  vehicleBooking,
  withIdCheck,
} from '../../../scripts/demo/content';

const districts = new Set(alarProfile.districts.map((d) => d.code));

describe('the demo seed content', () => {
  it('computes the GB 11643 check character of a resident id number', () => {
    expect(withIdCheck('65900219900517234')).toBe('65900219900517234X');
    expect(withIdCheck('65900219780312451')).toBe('659002197803124511');
  });

  it('gives every person an id number the services accept', () => {
    for (const p of Object.values(PEOPLE)) {
      expect(validateResidentIdNumber(p.idNumber)).toMatchObject({ valid: true });
    }
  });

  it('uses VINs with correct check digits, for the scrapped vehicle and the used cars', () => {
    expect(validateVin(VEHICLE.vin).valid).toBe(true);
    for (const tx of usedCarTransactions('2026-11-29')) expect(validateVin(tx.vin).valid).toBe(true);
  });

  it('books only in districts of the city that a site serves and that have slots', () => {
    const served = (district: string) =>
      STATIONS.some((s) => s.districts.includes(district)) ||
      (DISMANTLER.districts as readonly string[]).includes(district);
    const bookings = [
      ...APPLIANCE_PICKUPS.map((p) => ({ district: p.districtCode, day: p.day })),
      { district: vehicleBooking(cityDate(1)).address.districtCode, day: 1 },
    ];
    for (const b of bookings) {
      expect(districts.has(b.district)).toBe(true);
      expect(served(b.district)).toBe(true);
      expect(SLOT_DISTRICTS).toContain(b.district);
      expect(SLOT_DAYS).toContain(b.day);
    }
    for (const s of [...STATIONS, DISMANTLER]) {
      for (const d of s.districts) expect(districts.has(d)).toBe(true);
    }
  });

  it('registers an enterprise for every site, the dismantler with its certificate', () => {
    for (const site of [...STATIONS, DISMANTLER]) {
      const enterprise = ENTERPRISES.find((e) => e.enterpriseId === site.enterpriseId);
      expect(enterprise?.siteIds).toContain(site.siteId);
    }
    expect(ENTERPRISES.find((e) => e.enterpriseId === DISMANTLER.enterpriseId)?.qualification.type).toBe(
      'dismantler-certificate',
    );
  });

  it('records used-car sales that the event schema accepts once the market adds its own fields', () => {
    for (const tx of usedCarTransactions('2026-11-29')) {
      const event = { ...tx, marketId: 'mkt-demo-01', occurredAt: '2026-11-29T04:00:00.000Z' };
      expect(UsedCarTransactionRecordedData.safeParse(event).error).toBeUndefined();
    }
  });

  it('counts days in the city time zone', () => {
    // 20:00 UTC is already the next day in Asia/Shanghai.
    expect(cityDate(0, Date.parse('2026-11-29T20:00:00Z'))).toBe('2026-11-30');
    expect(cityDate(2, Date.parse('2026-11-29T03:00:00Z'))).toBe('2026-12-01');
  });
});
