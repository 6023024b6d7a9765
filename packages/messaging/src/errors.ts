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

// The one list of what says "the store or the broker cannot be reached right now": the consumer
// runner retries these without limit, and the services' error handler answers them 503 with
// Retry-After (service-kit's isUnavailableError starts from this). A store killed mid-command shows
// as the driver's network errors, but also as a bare socket error (EPIPE: "This socket has been
// ended by the other party", written to a connection the store had closed), which the driver does
// not wrap; that one was answered 500 until both places read this list.
const INFRASTRUCTURE_ERROR_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClosedError',
  'MongoPoolClearedError',
  'MongoWaitQueueTimeoutError',
  'PoolClearedError',
  'PoolClearedOnNetworkError',
  'MongooseServerSelectionError',
  'KafkaJSConnectionError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
]);

/** Socket errors of a connection the other side closed or refused. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/** True when `error` or one of its causes (five deep at most) passes `test`. */
export function someCause(error: unknown, test: (e: Error) => boolean): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    if (test(e)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

const UNREACHABLE_MESSAGE =
  /buffering timed out|Client must be connected|connection .* closed|socket has been ended/i;

export function isInfrastructureError(error: unknown): boolean {
  return someCause(error, (e) => {
    const code = (e as { code?: unknown }).code;
    return (
      INFRASTRUCTURE_ERROR_NAMES.has(e.name) ||
      (typeof code === 'string' && UNREACHABLE_CODES.has(code)) ||
      UNREACHABLE_MESSAGE.test(e.message)
    );
  });
}
