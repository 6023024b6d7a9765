import { composeWorkList, intakeDone, type WorkIntake, type WorkPickup } from '../src/domain/work-list';

const site = 'dm-1';
const pickup = (id: string, date: string, status: WorkPickup['status'] = 'requested'): WorkPickup => ({
  _id: id,
  dismantlerId: site,
  status,
  districtCode: 't03',
  slot: { date, window: '10:00-13:00' },
  vehicle: { vin: 'LSVAG2180A1234567', plateMasked: '新N·***23', ownerName: 'never shown' },
});
const intake = (id: string, patch: Partial<WorkIntake> = {}): WorkIntake => ({
  _id: id,
  dismantlerId: site,
  vin: 'LSVAG2180A1234567',
  plateMasked: '新N·***23',
  vehicleType: 'passenger-car',
  fuelType: 'gasoline',
  status: 'received',
  receivedAt: new Date('2026-12-03T02:00:00Z'),
  priceFen: 150_000,
  ...patch,
});
const compose = (patch: Partial<Parameters<typeof composeWorkList>[0]>) =>
  composeWorkList({
    dismantlerId: site,
    date: '2026-12-03',
    pickups: [],
    intakesOfPickups: [],
    takenInOnDay: [],
    open: [],
    dayOf: (at) => at.toISOString().slice(0, 10),
    ...patch,
  });

describe("the dismantler's day", () => {
  it('expects a pickup again when its intake was voided, and never another site’s', () => {
    const list = compose({
      pickups: [pickup('pk-1', '2026-12-03'), { ...pickup('pk-2', '2026-12-03'), dismantlerId: 'dm-2' }],
      intakesOfPickups: [intake('vi-1', { pickupId: 'pk-1', status: 'voided' })],
    });
    expect(list.due.map((p) => p.pickupId)).toEqual(['pk-1']);
    // The booked vehicle only: no other field of the pickup's vehicle.
    expect(Object.keys(list.due[0]!.vehicle).sort()).toEqual(['plateMasked', 'vin']);
    const taken = compose({
      pickups: [pickup('pk-1', '2026-12-03')],
      intakesOfPickups: [intake('vi-2', { pickupId: 'pk-1' })],
    });
    expect(taken.due).toEqual([]);
  });

  it('puts a certified vehicle both to dismantle and to deregister, and drops what is done', () => {
    const certificate = { certificateNo: 'dm-1-2026-000001', issuedAt: new Date('2026-12-03T03:00:00Z') };
    const list = compose({
      open: [
        intake('vi-a'),
        intake('vi-b', { certificate }),
        intake('vi-c', {
          certificate,
          dismantling: { dismantledAt: new Date() },
          deregistration: { state: 'requested', requestedAt: new Date() },
        }),
        intake('vi-d', {
          certificate,
          dismantling: { dismantledAt: new Date() },
          deregistration: { state: 'completed', requestedAt: new Date() },
        }),
        intake('vi-e', { status: 'voided' }),
      ],
    });
    expect(list.toCertify.map((i) => i.vehicleIntakeId)).toEqual(['vi-a']);
    expect(list.toDismantle.map((i) => i.vehicleIntakeId)).toEqual(['vi-b']);
    expect(list.toDeregister.map((i) => i.vehicleIntakeId)).toEqual(['vi-b']);
    expect(list.deregistrationAwaited.map((i) => i.vehicleIntakeId)).toEqual(['vi-c']);
    expect(intakeDone(intake('vi-d', { dismantling: { dismantledAt: new Date() } }))).toBe(false);
  });
});
