// @recycling/contracts: the language every service speaks. Fixtures live at
// @recycling/contracts/fixtures so that production code never loads them.
export * from './city';
export * from './domain-error';
export * from './payment-time';
export * from './city-time';
export * from './envelope';
export * from './events';
export * from './identity';
export * from './labels';
export * from './reference';
export * from './scalars';
export * from './topics';
export * from './validation';
export * from './vin';
