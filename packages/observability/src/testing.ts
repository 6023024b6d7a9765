// For tests that assert on spans: an in-memory exporter to hand to startTelemetry. Kept out of the
// main entry so production code never loads it.
export { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
