export * from './common';
export * from './declarations';
export * from './intakes';
export * from './invoices';
export * from './pickups';
export * from './purchases';
export * from './used-cars';
export * from './vehicles';
