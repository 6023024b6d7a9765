import { z } from 'zod';
import { ApplianceCategory } from '../reference/appliance-catalogue';
import { DistrictCode, Id, Note, ResidentKey, Units } from '../scalars';
import { OccurredAt, Slot, VehicleDescription } from './common';

// Topic recycling.pickups.v1, written by the pickup service. No address, name or phone travels here:
// the crew reads them through the pickup service's API, scoped to their site, so the topic can be
// read by statistics without carrying personal data.

export const PickupEventTypes = {
  requested: 'recycling.pickup.requested.v1',
  scheduled: 'recycling.pickup.scheduled.v1',
  collected: 'recycling.pickup.collected.v1',
  cancelled: 'recycling.pickup.cancelled.v1',
  failed: 'recycling.pickup.failed.v1',
} as const;

export const PickupKind = z.enum(['appliances', 'vehicle']);
export type PickupKind = z.infer<typeof PickupKind>;

export const ApplianceCondition = z
  .enum(['working', 'faulty', 'unknown'])
  .describe("The resident's or crew's impression, before the station's inspection");

export const PickupAppliance = z.object({
  category: ApplianceCategory,
  count: Units,
  brand: z.string().min(1).max(50).optional(),
  ageYears: z.int().min(0).max(80).optional(),
  condition: ApplianceCondition.optional(),
});
export type PickupAppliance = z.infer<typeof PickupAppliance>;

export const AssignedSite = z.object({
  kind: z.enum(['station', 'dismantler']),
  siteId: Id,
});

const RequestedCommon = {
  pickupId: Id,
  residentKey: ResidentKey,
  districtCode: DistrictCode.describe('District of the pickup address'),
  slot: Slot,
  assignedSite: AssignedSite.describe(
    'Sorting station (appliances) or dismantler (vehicle) that will collect',
  ),
  occurredAt: OccurredAt.describe('When the resident made the request'),
};

export const PickupRequestedData = z
  .discriminatedUnion('kind', [
    z.object({
      ...RequestedCommon,
      kind: z.literal('appliances'),
      appliances: z.array(PickupAppliance).min(1),
    }),
    z.object({
      ...RequestedCommon,
      kind: z.literal('vehicle'),
      vehicle: VehicleDescription.describe('As the resident declared it; the dismantler checks the papers'),
    }),
  ])
  .superRefine((d, ctx) => {
    const expectedSite = d.kind === 'appliances' ? 'station' : 'dismantler';
    if (d.assignedSite.kind !== expectedSite) {
      ctx.addIssue({
        code: 'custom',
        path: ['assignedSite', 'kind'],
        message: `a ${d.kind} pickup goes to a ${expectedSite}`,
      });
    }
  })
  .describe('A resident booked a door-to-door pickup of old appliances or a scrapped vehicle');
export type PickupRequestedData = z.infer<typeof PickupRequestedData>;

export const PickupScheduledData = z
  .object({
    pickupId: Id,
    siteId: Id,
    slot: Slot.describe('The visit as agreed; may differ from the requested slot'),
    crewId: Id.optional(),
    occurredAt: OccurredAt,
  })
  .describe('A visit was planned; a later pickup.scheduled for the same pickup replaces it (rescheduling)');
export type PickupScheduledData = z.infer<typeof PickupScheduledData>;

export const PickupCollectedData = z
  .discriminatedUnion('kind', [
    z.object({
      pickupId: Id,
      siteId: Id,
      kind: z.literal('appliances'),
      appliances: z.array(PickupAppliance).min(1).describe('What the crew actually took'),
      occurredAt: OccurredAt,
    }),
    z.object({
      pickupId: Id,
      siteId: Id,
      kind: z.literal('vehicle'),
      vehicle: VehicleDescription.describe('As found on the papers at the door'),
      occurredAt: OccurredAt,
    }),
  ])
  .describe('The crew took the items; weighing and payment happen at intake');
export type PickupCollectedData = z.infer<typeof PickupCollectedData>;

export const PickupCancelledData = z
  .object({
    pickupId: Id,
    by: z.enum(['resident', 'operator', 'system']),
    reason: Note.optional().describe('Short reason; no personal data'),
    occurredAt: OccurredAt,
  })
  .describe('The pickup was called off before collection');
export type PickupCancelledData = z.infer<typeof PickupCancelledData>;

export const PICKUP_FAILURE_CODES = [
  'resident-absent',
  'address-not-found',
  'items-not-as-described',
  'not-eligible',
  'papers-missing',
  'other',
] as const;

export const PickupFailedData = z
  .object({
    pickupId: Id,
    siteId: Id,
    reasonCode: z.enum(PICKUP_FAILURE_CODES),
    note: Note.optional().describe('No personal data'),
    occurredAt: OccurredAt,
  })
  .describe('The pickup is closed without collecting anything; a retry is a new pickup');
export type PickupFailedData = z.infer<typeof PickupFailedData>;

export const pickupEventSchemas = {
  [PickupEventTypes.requested]: PickupRequestedData,
  [PickupEventTypes.scheduled]: PickupScheduledData,
  [PickupEventTypes.collected]: PickupCollectedData,
  [PickupEventTypes.cancelled]: PickupCancelledData,
  [PickupEventTypes.failed]: PickupFailedData,
} as const;
