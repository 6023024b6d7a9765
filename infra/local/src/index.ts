// @recycling/infra-local: a real Apache Kafka broker (KRaft, jars from Maven Central) and FerretDB
// (built from the Go module proxy) on loopback ports, for machines without Docker.
export { ensureLocalInfra, stopLocalInfra, localInfraStatus } from './local-infra';
export type { EnsureOptions, LocalInfra, LocalInfraStatus } from './local-infra';
export { loadConfig, kafkaBrokers, mongoUrl, DEFAULT_PORTS } from './config';
export type { LocalInfraConfig } from './config';
export { InfraError } from './errors';
export { startPrivateInfra, removeAbandonedPrivateInfra } from './private-infra';
export type { PrivateInfra, PrivateInfraOptions, StopOptions } from './private-infra';
export { kafkaAnswers, kafkaWorks, mongoAnswers } from './readiness';
export { buildWorkspace, COMPILED_NODE_FLAGS, BUILD_DIR } from './build';
export type { BuildResult } from './build';
export { runProducerPerf, parseProducerPerfSummary, provisionKafkaTools } from './producer-perf';
export type { ProducerPerfOptions, ProducerPerfResult, ProducerPerfRun } from './producer-perf';
