export * from './define-topic';
export * from './parse-event';
export * from './registry';
