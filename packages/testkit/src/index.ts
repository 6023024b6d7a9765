export * from './broker';
export * from './infra';
export * from './store';
export * from './network';
export * from './private-infra';
