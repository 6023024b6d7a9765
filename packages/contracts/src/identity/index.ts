export * from './masks';
export * from './normalise-id-number';
export * from './resident-id-number';
export * from './seller-key';
export * from './resident-key';
export * from './principal';
