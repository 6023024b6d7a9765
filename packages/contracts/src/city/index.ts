export * from './alar-profile';
export * from './city-profile';
export * from './load-city-profile';
export * from './public-institutions';
export * from './remanufacturing-lines';
export * from './trade-in-programmes';
export * from './vehicle-flags';
