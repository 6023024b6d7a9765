// One place that knows how to build a kafkajs client, so every service logs through pino and
// uses the same retry policy towards the broker.
import { Kafka, logLevel as KafkaLogLevel, type KafkaConfig, type logCreator } from 'kafkajs';
import type { Logger } from 'pino';

const toPino =
  (logger: Logger): logCreator =>
  () =>
  (entry) => {
    const { message, ...extra } = entry.log;
    const fields = { ...extra, kafkaNamespace: entry.namespace };
    switch (entry.level) {
      case KafkaLogLevel.ERROR:
        logger.error(fields, message);
        break;
      case KafkaLogLevel.WARN:
        logger.warn(fields, message);
        break;
      case KafkaLogLevel.INFO:
        logger.info(fields, message);
        break;
      default:
        logger.debug(fields, message);
    }
  };

export interface KafkaClientOptions {
  brokers: string | string[];
  clientId: string;
  logger?: Logger;
  /** kafkajs is chatty at INFO (every rebalance); WARN keeps service logs readable. */
  logLevel?: KafkaLogLevel;
  config?: Partial<KafkaConfig>;
}

export function parseBrokers(brokers: string | string[]): string[] {
  const list = Array.isArray(brokers) ? brokers : brokers.split(',');
  return list.map((b) => b.trim()).filter(Boolean);
}

export function createKafka(options: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: parseBrokers(options.brokers),
    logLevel: options.logLevel ?? KafkaLogLevel.WARN,
    ...(options.logger ? { logCreator: toPino(options.logger) } : {}),
    retry: { initialRetryTime: 200, retries: 10, maxRetryTime: 10_000 },
    ...options.config,
  });
}

export { KafkaLogLevel };
