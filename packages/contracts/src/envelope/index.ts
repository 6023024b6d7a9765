export * from './cloud-event-headers';
export * from './dlq';
export * from './domain-event';
export * from './naming';
