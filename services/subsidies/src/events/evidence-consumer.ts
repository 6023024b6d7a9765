import {
  IntakeEventTypes,
  parseEventSource,
  topics,
  UsedCarEventTypes,
  VehicleDeregistrationEventTypes,
  VehicleEventTypes,
  type DomainEvent,
} from '@recycling/contracts';
import type { ConsumerSpec, HandlerContext } from '@recycling/messaging';
import type { SubsidyContext } from '../app/context';
import {
  recordCertificate,
  recordDeregistration,
  recordOldItemIntake,
  recordUsedCarSale,
  recordVehicleReceived,
  recordVehicleVoided,
} from '../app/record-evidence';

// The evidence of claims, from the network's own topics: recycling certificates, deregistration
// outcomes and vehicle intakes (vehicles), used-car sales (used-cars), and the intakes of old items
// handed over at a retailer's counter (intakes). The runner validates each event against contracts
// and dead-letters what fails; events of another city (ce_source) are skipped.

type Handler = (ctx: SubsidyContext, event: { id: string; data: never }) => Promise<unknown>;

const ofThisCity =
  (ctx: SubsidyContext, handle: Handler) => async (event: DomainEvent<unknown>, context: HandlerContext) => {
    if (parseEventSource(event.source)?.cityCode !== ctx.profile.code) {
      context.logger.warn({ eventId: event.id, source: event.source }, 'event of another city skipped');
      return;
    }
    await handle(ctx, { id: event.id, data: event.data as never });
  };

export function evidenceConsumer(ctx: SubsidyContext): ConsumerSpec {
  return {
    name: 'evidence',
    topics: [topics.vehicles.name, topics.usedCars.name, topics.intakes.name],
    handlers: {
      [VehicleEventTypes.received]: ofThisCity(ctx, recordVehicleReceived),
      [VehicleEventTypes.intakeVoided]: ofThisCity(ctx, recordVehicleVoided),
      [VehicleEventTypes.certificateIssued]: ofThisCity(ctx, recordCertificate),
      [VehicleDeregistrationEventTypes.deregistered]: ofThisCity(ctx, (c, e) =>
        recordDeregistration(c, e, 'completed'),
      ),
      [VehicleDeregistrationEventTypes.deregistrationRefused]: ofThisCity(ctx, (c, e) =>
        recordDeregistration(c, e, 'refused'),
      ),
      [UsedCarEventTypes.transactionRecorded]: ofThisCity(ctx, recordUsedCarSale),
      [IntakeEventTypes.recorded]: ofThisCity(ctx, recordOldItemIntake),
    },
  };
}
