import { ProblemSchema } from '@recycling/service-kit';
import {
  ApplianceCategory,
  ApplianceCondition,
  EmissionStandard,
  freeText,
  FuelType,
  Id,
  Label,
  LocalDate,
  Note,
  PICKUP_FAILURE_CODES,
  PickupStatus,
  Slot,
  type CityProfile,
  VehicleType,
  Vin,
} from '@recycling/contracts';
import { z } from 'zod';

// Request and response bodies. The routes validate with these schemas and the OpenAPI document is
// generated from the same objects, so the two cannot drift.

const TIME_WINDOW = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;

/** Mainland mobile (11 digits from 1), or a landline with area code; optional +86. */
export const Phone = z
  .string()
  .trim()
  .regex(/^(\+86[ -]?)?(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, 'a mainland mobile or landline number')
  .describe('Contact phone, e.g. 13912345678 or 0997-4612345');

export const Plate = freeText({ min: 4, max: 12 })
  .regex(/^\p{Script=Han}[A-Z][·•]?[A-Z0-9]{4,6}$/u, 'a licence plate like 新N12345')
  .describe('Licence plate as on the registration certificate, e.g. 新N12345');

/** The collector a site sends: a name the resident can greet and a work phone to call. */
export const Collector = z.object({ name: freeText({ max: 50 }), phone: Phone }).meta({ id: 'Collector' });

export const ApplianceItem = z.object({
  category: ApplianceCategory,
  count: z.int().min(1).max(50),
  brand: freeText({ max: 50 }).optional(),
  ageYears: z.int().min(0).max(80).optional(),
  condition: ApplianceCondition.optional(),
});

export const VehicleInput = z.object({
  plate: Plate,
  vin: Vin,
  vehicleType: VehicleType,
  fuelType: FuelType,
  emissionStandard: EmissionStandard,
  registrationDate: LocalDate.describe('First registration date (初次登记日期)'),
});

export const PickupIdParams = z.object({
  pickupId: Id.meta({ description: 'Pickup id, e.g. pk-20250228-1a2b3c4d' }),
});

export function httpSchemas(profile: CityProfile) {
  const codes = profile.districts.map((d) => d.code) as [string, ...string[]];
  const DistrictCode = z.enum(codes).describe(`District code of ${profile.name.en} (city profile)`);

  const Address = z.object({
    districtCode: DistrictCode,
    detail: freeText({ min: 2, max: 200 }).describe(
      'Street, building, unit and room, e.g. 幸福路 12 号 3 栋 2 单元 401',
    ),
  });
  const Contact = z.object({
    name: freeText({ max: 50 }).optional().describe('How the crew should address the resident'),
    phone: Phone,
  });
  const common = { address: Address, contact: Contact, slot: Slot, note: Note.optional() };

  const CreatePickup = z
    .discriminatedUnion('kind', [
      z.object({
        kind: z.literal('appliances'),
        appliances: z.array(ApplianceItem).min(1).max(20),
        ...common,
      }),
      z.object({ kind: z.literal('vehicle'), vehicle: VehicleInput, ...common }),
    ])
    .meta({
      id: 'CreatePickup',
      description: 'A resident books a door-to-door pickup (上门回收 / 上门取车)',
    });

  const ListPickupsQuery = z.object({
    status: PickupStatus.optional(),
    districtCode: DistrictCode.optional(),
    date: LocalDate.optional().describe('Booked slot date'),
    siteId: Id.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
  });

  const ScheduleBody = z
    .object({
      slot: Slot.optional().describe('The visit as agreed; default the booked slot'),
      crewId: Id.optional(),
      collector: Collector.optional().describe(
        'Who comes: shown to the resident; never on the event, never logged. Kept when re-planning the same visit without it',
      ),
    })
    .meta({ id: 'SchedulePickup' });

  const CollectBody = z
    .object({
      appliances: z
        .array(ApplianceItem)
        .min(1)
        .max(20)
        .optional()
        .describe('Appliance pickups: what the crew took'),
      vehicle: VehicleInput.optional().describe('Vehicle pickups: as found on the papers'),
    })
    .meta({ id: 'CollectPickup' });

  const RescheduleBody = z
    .object({ slot: Slot.describe('A free slot of the district, from tomorrow on') })
    .meta({ id: 'ReschedulePickup', description: 'The resident moves the visit to another free slot' });

  const FailBody = z
    .object({ reasonCode: z.enum(PICKUP_FAILURE_CODES), note: Note.optional().describe('No personal data') })
    .meta({ id: 'FailPickup' });

  const CancelBody = z
    .object({ reason: Note.optional().describe('Short reason; no personal data') })
    .meta({ id: 'CancelPickup' });

  const SlotsQuery = z.object({
    districtCode: DistrictCode,
    from: LocalDate.optional(),
    to: LocalDate.optional(),
  });

  const DayScheduleParams = z.object({ districtCode: DistrictCode, date: LocalDate });
  const DayScheduleBody = z
    .object({
      windows: z
        .array(
          z.object({
            window: z
              .string()
              .regex(TIME_WINDOW, 'HH:MM-HH:MM')
              .refine((w) => w.slice(0, 5) < w.slice(6), 'must end after it starts'),
            capacity: z.int().min(0).max(1000),
          }),
        )
        .max(12)
        .refine((ws) => new Set(ws.map((w) => w.window)).size === ws.length, 'windows must be distinct'),
    })
    .meta({
      id: 'DaySchedule',
      description: 'Windows and capacities of one district and day; [] closes the day',
    });

  const SiteParams = z.object({ siteId: Id });
  const DropOffBody = z
    .object({
      districtCode: DistrictCode.describe('Where the station is'),
      address: Label.describe('Street address residents can find, e.g. 幸福路 88 号'),
      hours: Label.describe('Opening hours as people say them, e.g. 每天 9:00-18:00'),
    })
    .meta({ id: 'DropOff', description: 'Where residents may bring goods themselves' });
  const SiteBody = z
    .object({
      kind: z.enum(['station', 'dismantler']),
      name: Label,
      enterpriseId: Id,
      districts: z.array(DistrictCode).min(1).max(profile.districts.length),
      active: z.boolean(),
      dropOff: DropOffBody.optional().describe('A station that takes goods brought in'),
    })
    .meta({
      id: 'Site',
      description: 'A sorting station or qualified dismantler and the districts it serves',
    });
  const AreaParams = z.object({ districtCode: DistrictCode });

  const SitesQuery = z.object({
    kind: z.enum(['station', 'dismantler']).optional(),
    districtCode: DistrictCode.optional(),
  });

  return {
    DistrictCode,
    CreatePickup,
    ListPickupsQuery,
    ScheduleBody,
    CollectBody,
    FailBody,
    CancelBody,
    RescheduleBody,
    AreaParams,
    SlotsQuery,
    DayScheduleParams,
    DayScheduleBody,
    SiteParams,
    SiteBody,
    SitesQuery,
  };
}
export type HttpSchemas = ReturnType<typeof httpSchemas>;

// ---- responses (documented; the integration tests parse answers with them) ----------------------

const HistoryEntryView = z.object({
  status: PickupStatus,
  event: z.string(),
  at: z.iso.datetime(),
  by: z.object({ role: z.string(), id: z.string().optional() }),
  note: z.string().optional(),
  ref: z.record(z.string(), z.string()).optional(),
});

const Permission = z.object({
  allowed: z.boolean(),
  until: LocalDate.optional().describe('The last day it may be done'),
  code: z.string().optional(),
  reason: Label.optional(),
});

export const PickupView = z
  .object({
    pickupId: Id,
    kind: z.enum(['appliances', 'vehicle']),
    status: PickupStatus,
    statusName: Label,
    appliances: z.array(ApplianceItem).optional(),
    vehicle: VehicleInput.extend({ plate: z.string(), plateMasked: z.string() }).optional(),
    address: z.object({
      districtCode: z.string(),
      districtName: Label.optional(),
      detail: z.string().optional(),
    }),
    contact: z.object({ name: z.string().optional(), phone: z.string() }),
    note: z.string().optional(),
    slot: Slot,
    visit: Slot.extend({ crewId: z.string().optional(), collector: Collector.optional() }).optional(),
    assignedSite: z.object({ kind: z.enum(['station', 'dismantler']), siteId: Id }),
    collected: z.object({ at: z.iso.datetime() }).loose().optional(),
    failure: z.object({ reasonCode: z.enum(PICKUP_FAILURE_CODES), note: z.string().optional() }).optional(),
    cancellation: z.object({ by: z.string(), reason: z.string().optional() }).optional(),
    delivery: z.object({ ref: z.string(), at: z.iso.datetime() }).optional(),
    certificate: z.object({ certificateNo: z.string(), at: z.iso.datetime() }).optional(),
    history: z.array(HistoryEntryView),
    actions: z
      .object({ cancel: Permission, reschedule: Permission })
      .optional()
      .describe('For the resident: what they may do now; when not, the rule in words'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Pickup' });
export type PickupViewBody = z.infer<typeof PickupView>;

export const SlotAvailabilityView = z
  .object({ date: LocalDate, window: z.string(), capacity: z.int(), booked: z.int(), available: z.int() })
  .meta({ id: 'SlotAvailability' });

export const SiteView = z
  .object({
    siteId: Id,
    kind: z.enum(['station', 'dismantler']),
    name: Label,
    enterpriseId: Id,
    districts: z.array(z.string()),
    active: z.boolean(),
    dropOff: z.object({ districtCode: z.string(), address: Label, hours: Label }).optional(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'SiteView' });

const SiteRef = z.object({ siteId: Id, name: Label });

export const ServiceAreaSummary = z
  .object({
    districtCode: z.string(),
    name: Label,
    kind: z.string(),
    appliances: z.boolean().describe('A sorting station collects appliances here'),
    vehicles: z.boolean().describe('A dismantler collects vehicles here'),
  })
  .meta({ id: 'ServiceAreaSummary' });

export const ServiceAreaView = z
  .object({
    districtCode: z.string(),
    name: Label,
    appliances: z.object({
      served: z.boolean(),
      sites: z.array(SiteRef),
      categories: z.array(z.string()).describe('Appliance categories collected here'),
    }),
    vehicles: z.object({ served: z.boolean(), sites: z.array(SiteRef) }),
    windows: z.array(z.string()).describe('The usual visit windows of a day'),
    nextSlots: z.array(Slot).describe('The earliest slots with a free seat (at most 3)'),
    dropOffs: z
      .array(
        z.object({
          siteId: Id,
          name: Label,
          districtCode: z.string(),
          districtName: Label.optional(),
          address: Label,
          hours: Label,
        }),
      )
      .describe('Stations that take goods brought in, nearest first'),
  })
  .meta({ id: 'ServiceArea' });

export const DistrictView = z
  .object({ code: z.string(), kind: z.string(), name: Label, regiment: z.int().optional() })
  .meta({ id: 'District' });

/** The slot-full refusal names the nearest slots with room, so the resident picks one at once. */
export const SlotFullProblem = ProblemSchema.extend({
  alternatives: z.array(z.object({ date: LocalDate, window: z.string(), available: z.int() })),
}).meta({ id: 'SlotFullProblem' });
