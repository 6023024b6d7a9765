export * from './logger';
export * from './redaction';
export * from './telemetry';
export * from './trace-context';
