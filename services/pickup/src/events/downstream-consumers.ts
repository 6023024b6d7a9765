import {
  IntakeEventTypes,
  parseEventSource,
  topics,
  VehicleEventTypes,
  type DomainEvent,
  type IntakeRecordedData,
  type VehicleCertificateIssuedData,
  type VehicleReceivedData,
} from '@recycling/contracts';
import type { ConsumerSpec, HandlerContext } from '@recycling/messaging';
import type { PickupContext } from '../app/context';
import { recordDownstream, type DownstreamEvent } from '../app/record-downstream';

// The pickup follows its items downstream: the station's intake or the dismantler's reception makes
// it `delivered`, the recycling certificate `certified`. Events of another city (ce_source) or
// without a pickup id are not ours and are skipped.

async function apply(
  ctx: PickupContext,
  event: DomainEvent<unknown>,
  context: HandlerContext,
  pickupId: string | undefined,
  fact: Omit<DownstreamEvent, 'eventId'>,
): Promise<void> {
  if (!pickupId) return;
  if (parseEventSource(event.source)?.cityCode !== ctx.profile.code) {
    context.logger.warn({ eventId: event.id, source: event.source }, 'event of another city skipped');
    return;
  }
  const outcome = await recordDownstream(ctx, pickupId, { ...fact, eventId: event.id });
  if (outcome === 'unknown-pickup') {
    // Another system's pickup id, or a typo at the station: nothing here to update.
    context.logger.warn({ eventId: event.id, pickupId, type: event.type }, 'event names an unknown pickup');
  } else {
    context.logger.info(
      { eventId: event.id, pickupId, type: event.type, outcome },
      'downstream fact recorded',
    );
  }
}

export function downstreamConsumers(ctx: PickupContext): ConsumerSpec[] {
  return [
    {
      name: 'intakes',
      topics: [topics.intakes.name],
      handlers: {
        [IntakeEventTypes.recorded]: async (event: DomainEvent<IntakeRecordedData>, context) => {
          const d = event.data;
          await apply(ctx, event, context, d.source.kind === 'pickup' ? d.source.pickupId : undefined, {
            fact: 'delivered',
            label: 'intake-recorded',
            occurredAt: d.occurredAt,
            by: 'station',
            siteId: d.stationId,
            ref: { intakeId: d.intakeId },
            set: { delivery: { ref: d.intakeId, at: new Date(d.occurredAt) } },
          });
        },
      },
    },
    {
      name: 'vehicles',
      topics: [topics.vehicles.name],
      handlers: {
        [VehicleEventTypes.received]: async (event: DomainEvent<VehicleReceivedData>, context) => {
          const d = event.data;
          await apply(ctx, event, context, d.pickupId, {
            fact: 'delivered',
            label: 'vehicle-received',
            occurredAt: d.occurredAt,
            by: 'dismantler',
            siteId: d.dismantlerId,
            ref: { vehicleIntakeId: d.vehicleIntakeId },
            set: { delivery: { ref: d.vehicleIntakeId, at: new Date(d.occurredAt) } },
          });
        },
        [VehicleEventTypes.certificateIssued]: async (
          event: DomainEvent<VehicleCertificateIssuedData>,
          context,
        ) => {
          const d = event.data;
          await apply(ctx, event, context, d.pickupId, {
            fact: 'certified',
            label: 'certificate-issued',
            occurredAt: d.occurredAt,
            by: 'dismantler',
            siteId: d.dismantlerId,
            ref: { certificateNo: d.certificateNo },
            set: { certificate: { certificateNo: d.certificateNo, at: new Date(d.occurredAt) } },
          });
        },
      },
    },
  ];
}
