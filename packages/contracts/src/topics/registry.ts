import type { z } from 'zod';
import type { DomainEvent } from '../envelope/domain-event';
import { declarationEventSchemas } from '../events/declarations';
import { disposalEventSchemas } from '../events/disposals';
import { IntakeEventTypes, intakeEventSchemas } from '../events/intakes';
import { InvoiceEventTypes, invoiceEventSchemas } from '../events/invoices';
import { pickupEventSchemas } from '../events/pickups';
import { purchaseEventSchemas } from '../events/purchases';
import { RemanufacturingEventTypes, remanufacturingEventSchemas } from '../events/remanufacturing';
import { SubsidyEventTypes, subsidyEventSchemas } from '../events/subsidies';
import { usedCarEventSchemas } from '../events/used-cars';
import { vehicleDeregistrationEventSchemas } from '../events/vehicle-deregistration';
import { vehicleEventSchemas } from '../events/vehicles';
import type { TopicDefinition } from './define-topic';
import { defineTopic } from './define-topic';

// Every topic, its key, its events and who writes it. Purchases are the one topic with two writers:
// a sale is recorded where it happens, at a station or at a dismantler.

export const pickupsTopic = defineTopic({
  name: 'recycling.pickups.v1',
  producers: ['pickup'],
  keyDescription: 'pickupId',
  events: pickupEventSchemas,
  keyOf: (e) => e.data.pickupId,
});

export const intakesTopic = defineTopic({
  name: 'recycling.intakes.v1',
  producers: ['sorting'],
  keyDescription: 'intakeId; batchId for intake.batch-dispatched (a batch spans many intakes)',
  events: intakeEventSchemas,
  keyOf: (e) => (e.type === IntakeEventTypes.batchDispatched ? e.data.batchId : e.data.intakeId),
});

export const vehiclesTopic = defineTopic({
  name: 'recycling.vehicles.v1',
  producers: ['dismantling'],
  keyDescription: 'VIN',
  events: { ...vehicleEventSchemas, ...vehicleDeregistrationEventSchemas },
  keyOf: (e) => e.data.vin,
});

export const purchasesTopic = defineTopic({
  name: 'recycling.purchases.v1',
  producers: ['sorting', 'dismantling'],
  keyDescription: 'seller key (HMAC of the seller id document), so one person’s sales are decided in order',
  events: purchaseEventSchemas,
  keyOf: (e) => e.data.seller.sellerKey,
});

export const invoicesTopic = defineTopic({
  name: 'recycling.invoices.v1',
  producers: ['invoicing'],
  keyDescription: 'seller key, like purchases',
  events: invoiceEventSchemas,
  keyOf: (e) => (e.type === InvoiceEventTypes.refused ? e.data.sellerKey : e.data.seller.sellerKey),
});

export const declarationsTopic = defineTopic({
  name: 'recycling.declarations.v1',
  producers: ['invoicing'],
  keyDescription: 'enterpriseId',
  events: declarationEventSchemas,
  keyOf: (e) => e.data.enterpriseId,
});

export const usedCarsTopic = defineTopic({
  name: 'recycling.used-cars.v1',
  producers: ['statistics'],
  keyDescription: 'VIN',
  events: usedCarEventSchemas,
  keyOf: (e) => e.data.vin,
});

export const subsidiesTopic = defineTopic({
  name: 'recycling.subsidies.v1',
  producers: ['subsidies'],
  keyDescription: 'claimId (a counter sale is a claim); reimbursementId for subsidy.reimbursement-claimed',
  events: subsidyEventSchemas,
  keyOf: (e) => (e.type === SubsidyEventTypes.reimbursementClaimed ? e.data.reimbursementId : e.data.claimId),
});

export const disposalsTopic = defineTopic({
  name: 'recycling.disposals.v1',
  producers: ['disposals'],
  keyDescription: 'batchId (a public institution’s disposal batch)',
  events: disposalEventSchemas,
  keyOf: (e) => e.data.batchId,
});

export const remanufacturingTopic = defineTopic({
  name: 'recycling.remanufacturing.v1',
  producers: ['remanufacturing'],
  keyDescription: 'coreId for remanufacturing.core-received; productId for the product events',
  events: remanufacturingEventSchemas,
  keyOf: (e) => (e.type === RemanufacturingEventTypes.coreReceived ? e.data.coreId : e.data.productId),
});

export const topics = {
  pickups: pickupsTopic,
  intakes: intakesTopic,
  vehicles: vehiclesTopic,
  purchases: purchasesTopic,
  invoices: invoicesTopic,
  declarations: declarationsTopic,
  usedCars: usedCarsTopic,
  subsidies: subsidiesTopic,
  disposals: disposalsTopic,
  remanufacturing: remanufacturingTopic,
} as const;

export type TopicName = (typeof topics)[keyof typeof topics]['name'];

export const TOPICS: readonly TopicDefinition[] = Object.values(topics) as readonly TopicDefinition[];

/** Every event type and its data schema. */
export const eventSchemas = {
  ...pickupEventSchemas,
  ...intakeEventSchemas,
  ...vehicleEventSchemas,
  ...vehicleDeregistrationEventSchemas,
  ...purchaseEventSchemas,
  ...invoiceEventSchemas,
  ...declarationEventSchemas,
  ...usedCarEventSchemas,
  ...subsidyEventSchemas,
  ...disposalEventSchemas,
  ...remanufacturingEventSchemas,
} as const;

export type EventType = keyof typeof eventSchemas;
export type EventDataOf<T extends EventType> = z.output<(typeof eventSchemas)[T]>;
/** A typed event of any registered type; switch on `type` to narrow `data`. */
export type AnyDomainEvent = { [T in EventType]: DomainEvent<EventDataOf<T>, T> }[EventType];

export const EVENT_TYPES = Object.keys(eventSchemas) as readonly EventType[];

const typeToTopic = new Map<string, TopicDefinition>(
  TOPICS.flatMap((topic) => Object.keys(topic.events).map((type) => [type, topic] as const)),
);

export const isEventType = (type: string): type is EventType => Object.hasOwn(eventSchemas, type);

export function schemaForType<T extends EventType>(type: T): (typeof eventSchemas)[T];
export function schemaForType(type: string): z.ZodType | undefined;
export function schemaForType(type: string): z.ZodType | undefined {
  return isEventType(type) ? eventSchemas[type] : undefined;
}

export function topicForType(type: EventType): TopicDefinition;
export function topicForType(type: string): TopicDefinition | undefined;
export function topicForType(type: string): TopicDefinition | undefined {
  return typeToTopic.get(type);
}

/** The record key of an event (already validated data), from its topic's key function. */
export const keyForEvent = <T extends EventType>(type: T, data: EventDataOf<T>): string => {
  const topic = topicForType(type);
  return (topic.keyOf as (e: { type: string; data: unknown }) => string)({ type, data });
};
