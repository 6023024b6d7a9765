export * from './app';
export * from './auth';
export * from './config';
export * from './error-handler';
export * from './problem';
export * from './readiness';
export * from './shutdown';
export * from './validate';
