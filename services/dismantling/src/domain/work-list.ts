// The dismantler's day as the desk works through it, composed from what the site's small lists name
// (all read by `_id`): vehicle pickups due (and overdue), those the crew has towed in and that wait
// to be taken in, the coming days, the vehicles taken in on the day, and, whatever day they came,
// the vehicles still to certify, to dismantle, to deregister, and those whose deregistration the
// traffic police have not answered yet.

/** How many days back a pickup not taken in is still shown as overdue. */
export const OVERDUE_DAYS = 7;
/** How many days ahead the desk sees what is coming. */
export const UPCOMING_DAYS = 7;

export type PickupStatus = 'requested' | 'scheduled' | 'collected' | 'cancelled' | 'failed';

export interface WorkPickup {
  _id: string;
  dismantlerId: string;
  status: PickupStatus;
  districtCode: string;
  slot: { date: string; window: string };
  vehicle: Record<string, unknown>;
}

export interface WorkIntake {
  _id: string;
  dismantlerId: string;
  vin: string;
  plateMasked: string;
  vehicleType: string;
  fuelType: string;
  pickupId?: string;
  status: 'received' | 'voided';
  receivedAt: Date;
  priceFen: number;
  certificate?: { certificateNo: string; issuedAt: Date } | null;
  deregistration?: {
    state: 'requested' | 'completed' | 'rejected';
    requestedAt: Date;
    reason?: string;
  } | null;
  dismantling?: { dismantledAt: Date } | null;
}

/** Nothing is left to do for an intake: voided, or dismantled and deregistered. */
export const intakeDone = (i: Pick<WorkIntake, 'status' | 'dismantling' | 'deregistration'>): boolean =>
  i.status === 'voided' || (Boolean(i.dismantling) && i.deregistration?.state === 'completed');

/** A vehicle as the pickup booked it: only what identifies it at the gate (no owner, masked plate). */
const VEHICLE_FIELDS = [
  'vin',
  'plateMasked',
  'vehicleType',
  'fuelType',
  'emissionStandard',
  'registrationDate',
] as const;

const bookedVehicle = (vehicle: Record<string, unknown>) =>
  Object.fromEntries(
    VEHICLE_FIELDS.flatMap((k) => (typeof vehicle[k] === 'string' ? [[k, vehicle[k] as string]] : [])),
  ) as Partial<Record<(typeof VEHICLE_FIELDS)[number], string>>;

const pickupItem = (p: WorkPickup, date: string) => ({
  pickupId: p._id,
  status: p.status as 'requested' | 'scheduled' | 'collected',
  districtCode: p.districtCode,
  slot: p.slot,
  vehicle: bookedVehicle(p.vehicle),
  overdue: p.status !== 'collected' && p.slot.date < date,
});

const intakeItem = (i: WorkIntake, dayOf: (at: Date) => string) => ({
  vehicleIntakeId: i._id,
  vin: i.vin,
  plateMasked: i.plateMasked,
  vehicleType: i.vehicleType,
  fuelType: i.fuelType,
  ...(i.pickupId ? { pickupId: i.pickupId } : {}),
  status: i.status,
  receivedAt: i.receivedAt.toISOString(),
  receivedOn: dayOf(i.receivedAt),
  priceFen: i.priceFen,
  ...(i.certificate
    ? { certificateNo: i.certificate.certificateNo, certifiedAt: i.certificate.issuedAt.toISOString() }
    : {}),
  ...(i.deregistration
    ? {
        deregistration: {
          state: i.deregistration.state,
          requestedAt: i.deregistration.requestedAt.toISOString(),
          ...(i.deregistration.reason ? { reason: i.deregistration.reason } : {}),
        },
      }
    : {}),
  ...(i.dismantling ? { dismantledAt: i.dismantling.dismantledAt.toISOString() } : {}),
});
export type WorkIntakeItem = ReturnType<typeof intakeItem>;

export interface WorkListInput {
  dismantlerId: string;
  /** The local day (YYYY-MM-DD). */
  date: string;
  /** The pickups named by the days' lists around the date (overdue and upcoming). */
  pickups: readonly WorkPickup[];
  /** Intakes naming those pickups (any status): a live one means the vehicle was taken in. */
  intakesOfPickups: readonly WorkIntake[];
  /** Intakes taken in on the day. */
  takenInOnDay: readonly WorkIntake[];
  /** Intakes with work left, whatever day they came in. */
  open: readonly WorkIntake[];
  /** Local date (YYYY-MM-DD) of an instant. */
  dayOf: (at: Date) => string;
}

const byTime = (a: WorkIntake, b: WorkIntake) =>
  a.receivedAt.getTime() - b.receivedAt.getTime() || a._id.localeCompare(b._id);

export function composeWorkList(input: WorkListInput) {
  const ours = <T extends { dismantlerId: string }>(xs: readonly T[]) =>
    xs.filter((x) => x.dismantlerId === input.dismantlerId);
  const takenIn = new Set(
    ours([...input.intakesOfPickups, ...input.takenInOnDay, ...input.open])
      .filter((i) => i.status === 'received' && i.pickupId !== undefined)
      .map((i) => i.pickupId!),
  );
  const open = [...new Map(ours(input.pickups).map((p) => [p._id, p])).values()]
    .filter((p) => p.status === 'requested' || p.status === 'scheduled' || p.status === 'collected')
    .filter((p) => !takenIn.has(p._id))
    .sort(
      (a, b) =>
        `${a.slot.date} ${a.slot.window}`.localeCompare(`${b.slot.date} ${b.slot.window}`) ||
        a._id.localeCompare(b._id),
    );
  const pickup = (p: WorkPickup) => pickupItem(p, input.date);
  const due = open.filter((p) => p.status !== 'collected' && p.slot.date <= input.date).map(pickup);
  // Towed in by the crew: waiting at the gate whatever day the visit was planned for.
  const toTakeIn = open.filter((p) => p.status === 'collected').map(pickup);
  const upcoming = open.filter((p) => p.status !== 'collected' && p.slot.date > input.date).map(pickup);

  const item = (i: WorkIntake) => intakeItem(i, input.dayOf);
  const takenInToday = [...new Map(ours(input.takenInOnDay).map((i) => [i._id, i])).values()]
    .sort((a, b) => byTime(b, a))
    .map(item);
  const live = [...new Map(ours(input.open).map((i) => [i._id, i])).values()]
    .filter((i) => !intakeDone(i))
    .sort(byTime);
  const toCertify = live.filter((i) => !i.certificate).map(item);
  const certified = live.filter((i) => i.certificate);
  const toDismantle = certified.filter((i) => !i.dismantling).map(item);
  const toDeregister = certified
    .filter((i) => !i.deregistration || i.deregistration.state === 'rejected')
    .map(item);
  const deregistrationAwaited = certified.filter((i) => i.deregistration?.state === 'requested').map(item);

  return {
    dismantlerId: input.dismantlerId,
    date: input.date,
    due,
    toTakeIn,
    upcoming,
    takenIn: takenInToday,
    toCertify,
    toDismantle,
    toDeregister,
    deregistrationAwaited,
    totals: {
      due: due.length,
      overdue: due.filter((d) => d.overdue).length,
      toTakeIn: toTakeIn.length,
      upcoming: upcoming.length,
      takenIn: takenInToday.filter((i) => i.status === 'received').length,
      paidFen: takenInToday.filter((i) => i.status === 'received').reduce((s, i) => s + i.priceFen, 0),
      toCertify: toCertify.length,
      toDismantle: toDismantle.length,
      toDeregister: toDeregister.length,
      deregistrationAwaited: deregistrationAwaited.length,
    },
  };
}
export type DismantlerWorkList = ReturnType<typeof composeWorkList>;
