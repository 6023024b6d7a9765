export * from './alar-profile';
export * from './city-profile';
export * from './load-city-profile';
export * from './vehicle-flags';
