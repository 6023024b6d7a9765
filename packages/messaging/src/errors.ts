// How the consumer runner tells a bad event from a bad moment.
//  - PermanentEventError: the event can never be applied (it breaks a rule); straight to the DLQ.
//  - infrastructure errors (store or broker unreachable): retried without limit, because sending
//    every event of an outage to the DLQ would turn a restart into a manual replay.
//  - anything else: retried a bounded number of times with backoff, then the DLQ.
export class PermanentEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentEventError';
  }
}

const INFRASTRUCTURE_ERROR_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClosedError',
  'PoolClearedError',
  'PoolClearedOnNetworkError',
  'MongooseServerSelectionError',
  'KafkaJSConnectionError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
]);

export function isInfrastructureError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    if (INFRASTRUCTURE_ERROR_NAMES.has(e.name)) return true;
    const code = (e as { code?: unknown }).code;
    if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE') return true;
    if (/buffering timed out|Client must be connected|connection .* closed/i.test(e.message)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
