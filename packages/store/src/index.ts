// @recycling/store: the store's rules, so that services declare what they keep and use cases never
// handle locks, `_id` tricks or duplicate keys themselves. See README.md and docs/conventions.md.
export * from './aggregate-repository';
export * from './claims';
export * from './document-locks';
export * from './duplicate-key';
export * from './find-by-ids';
export * from './grouped-edits';
export * from './grouped-writes';
export * from './number-sequences';
export * from './metrics';
