// Runs a consumer group over one or more topics: reads the CloudEvents envelope, validates the data
// against the catalog, dispatches to the handler of the event type, retries with backoff, and
// sends what cannot be processed to `<topic>.dlq` with the reason, so the partition keeps moving.
// Offsets are committed only after the handler returned (or the DLQ accepted the message), which
// gives at-least-once delivery; handlers make their effects idempotent.
//
// Messages come a fetched batch at a time (kafkajs `eachBatch`), one partition's batch in offset
// order, and offsets are committed once per batch. Event types with a batch handler are handed over
// as runs of consecutive events (up to `maxEvents`), so a consumer can apply many events with a few
// bulk writes; other types go one at a time. A batch that fails with anything but an outage of the
// store or the broker is applied again one event at a time, so that a poison event is dead-lettered
// alone and the others still take effect (batch handlers are idempotent, like every handler).
import {
  DLQ_HEADERS,
  domainEventFrom,
  formatIssues,
  parseEventSource,
  readCloudEventHeaders,
  type DlqErrorKind,
  type DomainEvent,
} from '@recycling/contracts';
import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { dlqTopicOf, logicalTopic, physicalTopic, type EventCatalog } from './catalog';
import { PermanentEventError, isInfrastructureError } from './errors';
import { countBrokerRequests, messagingMetrics } from './metrics';
import { SpanKind, extractTraceContext, inSpan, spanContextOf } from '@recycling/observability';

export interface MessagePosition {
  /** Logical topic name (without deployment prefix). */
  topic: string;
  partition: number;
  offset: string;
}

export interface HandlerContext {
  position: MessagePosition;
  key: string | undefined;
  heartbeat(): Promise<void>;
  logger: Logger;
}

// Handlers narrow `data` to their event's type: the runner validated it against that schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EventHandler<T = any> = (event: DomainEvent<T>, context: HandlerContext) => Promise<void>;

/** An event as a batch handler receives it: validated, with where it came from. */
// Batch handlers narrow `data` by the event's type, as handlers do.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface ConsumedEvent<T = any> {
  event: DomainEvent<T>;
  position: MessagePosition;
  key: string | undefined;
}

export interface BatchContext {
  heartbeat(): Promise<void>;
  logger: Logger;
}

/** Applies a run of consecutive events of one partition, in order; idempotent like every handler. */
export type BatchHandler = (events: ConsumedEvent[], context: BatchContext) => Promise<void>;

export interface BatchHandling {
  /** The event types this handler applies (others go to `handlers`, or are skipped). */
  types: readonly string[];
  handle: BatchHandler;
  /** Most events in one call; default 500. */
  maxEvents?: number;
}

export interface RetryPolicy {
  /** Attempts for an ordinary failure before the event goes to the DLQ. */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface ConsumerRunnerOptions {
  kafka: Kafka;
  groupId: string;
  /** Logical topic names; the runner adds the deployment prefix. */
  topics: string[];
  handlers: Record<string, EventHandler>;
  /**
   * The city this network serves: an event whose ce_source names another city is dead-lettered as
   * `foreign-city` before any handler sees it (decision 1: the city is in ce_source).
   */
  cityCode?: string;
  /** Event types applied a run at a time (bulk writes), instead of one by one. */
  batch?: BatchHandling;
  catalog: EventCatalog;
  /** Producer for dead letters (the service's idempotent producer). */
  dlqProducer: Producer;
  logger: Logger;
  topicPrefix?: string;
  retry?: Partial<RetryPolicy>;
  fromBeginning?: boolean;
  partitionsConsumedConcurrently?: number;
  /**
   * While a handler runs, the group is told the member is alive this often (default 3 s). One store
   * call can block for the driver's whole server selection timeout (30 s) when the store is down,
   * as long as the group's session: without these heartbeats the member would be dropped and its
   * partition handed to another replica while this one is still applying the event.
   */
  heartbeatWhileHandlingMs?: number;
  /**
   * How long the broker may hold a fetch to gather `minBytes` (kafkajs defaults: 1 byte, 5 s, i.e.
   * answer as soon as anything arrives). A read model that applies runs in bulk trades a little
   * latency for runs of many events at low rates, where every event would otherwise be a run of
   * its own with the same store round trips as a run of hundreds.
   */
  fetch?: { minBytes: number; maxWaitTimeInMs: number };
}

interface DeadLetter {
  kind: DlqErrorKind;
  reason: string;
  attempts: number;
}

/** What a fetched message turned out to be before any handler ran. */
type Decoded =
  | { kind: 'event'; consumed: ConsumedEvent; batched: boolean }
  | { kind: 'skip' }
  | { kind: 'dead'; letter: DeadLetter };

interface PartitionContext {
  topic: string;
  physicalTopic: string;
  partition: number;
  heartbeat: () => Promise<void>;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 5, initialDelayMs: 200, maxDelayMs: 5_000 };
const INITIAL_RESTART_DELAY_MS = 1_000;
const MAX_RESTART_DELAY_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const describeError = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

export class ConsumerRunner {
  private readonly consumer: Consumer;
  private readonly retry: RetryPolicy;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private restartDelayMs = INITIAL_RESTART_DELAY_MS;
  /** The message each consumed event was read from, for the DLQ (which keeps the original bytes). */
  private readonly raw = new WeakMap<ConsumedEvent, KafkaMessage>();

  constructor(private readonly options: ConsumerRunnerOptions) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      ...(options.fetch ?? {}),
    });
    countBrokerRequests(this.consumer, 'consumer');
  }

  /**
   * Says in the log which partitions this member holds after every (re)join, and when the consumer
   * crashed and whether kafkajs restarts it: what an operator reads after a rebalance or an outage.
   */
  private logGroupEvents(): void {
    const { events } = this.consumer;
    this.consumer.on(events.GROUP_JOIN, ({ payload }) => {
      const assignment = Object.fromEntries(
        Object.entries(payload.memberAssignment).map(([topic, partitions]) => [
          logicalTopic(this.options.topicPrefix, topic),
          [...partitions].sort((a, b) => a - b),
        ]),
      );
      this.options.logger.info(
        { groupId: payload.groupId, memberId: payload.memberId, assignment, durationMs: payload.duration },
        'consumer joined its group',
      );
    });
    this.consumer.on(events.CRASH, ({ payload }) => {
      if (this.stopping) return;
      if (payload.restart) {
        this.options.logger.warn(
          { groupId: payload.groupId, err: payload.error },
          'consumer crashed; kafkajs restarts it',
        );
        return;
      }
      // kafkajs restarts only after errors it deems retriable; after any other crash the consumer
      // would stay stopped while the service looks healthy. It is started again here instead.
      this.options.logger.error(
        { groupId: payload.groupId, err: payload.error, restartInMs: this.restartDelayMs },
        'consumer crashed and kafkajs gave up; starting it again',
      );
      this.scheduleRestart();
    });
  }

  /** Starts the consumer again after a crash kafkajs does not recover from, backing off while it fails. */
  private scheduleRestart(): void {
    clearTimeout(this.restartTimer);
    const delay = this.restartDelayMs;
    this.restartDelayMs = Math.min(delay * 2, MAX_RESTART_DELAY_MS);
    this.restartTimer = setTimeout(() => {
      void (async () => {
        if (this.stopping) return;
        try {
          await this.consumer.disconnect().catch(() => undefined);
          await this.connectAndRun();
        } catch (error) {
          this.options.logger.error({ err: error }, 'restarting the consumer failed; trying again');
          this.scheduleRestart();
        }
      })();
    }, delay);
    this.restartTimer.unref();
  }

  private async connectAndRun(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: this.options.topics.map((t) => physicalTopic(this.options.topicPrefix, t)),
      fromBeginning: this.options.fromBeginning ?? true,
    });
    await this.consumer.run({
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  /** Resolves once the consumer has joined its group and is fetching. */
  async start(): Promise<void> {
    this.logGroupEvents();
    const joined = new Promise<void>((resolve) => {
      const off = this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
        off();
        resolve();
      });
    });
    await this.connectAndRun();
    await joined;
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      this.restartDelayMs = INITIAL_RESTART_DELAY_MS; // back in the group: the next crash starts over
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    await this.consumer.disconnect();
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    const at: PartitionContext = {
      topic: logicalTopic(this.options.topicPrefix, batch.topic),
      physicalTopic: batch.topic,
      partition: batch.partition,
      heartbeat,
    };
    const maxEvents = this.options.batch?.maxEvents ?? 500;
    let run: ConsumedEvent[] = [];
    let handledUpTo: string | undefined;
    const done = (offset: string) => {
      handledUpTo = offset;
      resolveOffset(offset);
    };
    const flushRun = async () => {
      if (run.length === 0) return;
      const events = run;
      run = [];
      await this.applyRun(events, at);
      messagingMetrics.consumed.inc({ topic: at.topic, mode: 'batch' }, events.length);
      done(events.at(-1)!.position.offset);
    };

    for (const message of batch.messages) {
      // A rebalance took the partition, or the service stops: what is resolved gets committed.
      if (!isRunning() || isStale()) break;
      const decoded = this.decode(message, at);
      if (decoded.kind === 'event' && decoded.batched) {
        run.push(decoded.consumed);
        if (run.length >= maxEvents) await flushRun();
        continue;
      }
      await flushRun();
      if (decoded.kind === 'dead') await this.deadLetter(message, at, decoded.letter);
      else if (decoded.kind === 'event') {
        await this.applyOne(decoded.consumed, at);
        messagingMetrics.consumed.inc({ topic: at.topic, mode: 'one' });
      }
      done(message.offset);
    }
    if (isRunning() && !isStale()) await flushRun();
    if (handledUpTo !== undefined) await commitOffsetsIfNecessary();
  }

  /** The trace the event's producer sent it in (its message headers). */
  private traceOf(consumed: ConsumedEvent) {
    const headers = this.raw.get(consumed)?.headers ?? {};
    const carrier: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) if (v !== undefined) carrier[k] = String(v);
    return extractTraceContext(carrier);
  }

  /** Reads and validates a message's envelope and body; what cannot be read is a dead letter. */
  private decode(message: KafkaMessage, at: PartitionContext): Decoded {
    const headers = readCloudEventHeaders(message.headers ?? {});
    if (!headers.ok) {
      return {
        kind: 'dead',
        letter: { kind: 'invalid-envelope', reason: `headers: ${formatIssues(headers.issues)}`, attempts: 0 },
      };
    }
    const type = headers.headers.ce_type;
    if (this.options.catalog.topicOf(type) !== at.topic) {
      return {
        kind: 'dead',
        letter: {
          kind: 'unknown-type',
          reason: `event type ${type} does not belong to ${at.topic}`,
          attempts: 0,
        },
      };
    }
    const city = parseEventSource(headers.headers.ce_source)?.cityCode;
    if (this.options.cityCode && city !== this.options.cityCode) {
      return {
        kind: 'dead',
        letter: {
          kind: 'foreign-city',
          reason: `event from another city (${city ?? 'unreadable source'}) on city ${this.options.cityCode}'s topic: forward it to that city's network or drop it; never replay it here`,
          attempts: 0,
        },
      };
    }
    const batched = this.options.batch?.types.includes(type) ?? false;
    // A type this service does not care about is skipped before its body is even parsed.
    if (!batched && !this.options.handlers[type]) return { kind: 'skip' };
    let body: unknown;
    try {
      body = JSON.parse(message.value?.toString('utf8') ?? '');
    } catch {
      return {
        kind: 'dead',
        letter: { kind: 'invalid-data', reason: 'body is not valid JSON', attempts: 0 },
      };
    }
    const decoded = this.options.catalog.decode(type, body);
    if (!decoded.ok) {
      return {
        kind: 'dead',
        letter: { kind: decoded.kind, reason: `schema: ${decoded.reason}`, attempts: 0 },
      };
    }
    const consumed: ConsumedEvent = {
      event: domainEventFrom(headers.headers, decoded.data),
      position: { topic: at.topic, partition: at.partition, offset: message.offset },
      key: message.key?.toString('utf8'),
    };
    this.raw.set(consumed, message);
    return { kind: 'event', batched, consumed };
  }

  /** A run for the batch handler; on a failure other than an outage, the events one at a time. */
  private async applyRun(events: ConsumedEvent[], at: PartitionContext): Promise<void> {
    const logger = this.options.logger.child({ topic: at.topic, partition: at.partition });
    const links = events.flatMap((e) => {
      const context = spanContextOf(this.traceOf(e));
      return context ? [{ context }] : [];
    });
    const handle = () =>
      inSpan(
        `process ${at.topic}`,
        { links, kind: SpanKind.CONSUMER, attributes: { 'messaging.batch.message_count': events.length } },
        () => this.options.batch!.handle(events, { heartbeat: at.heartbeat, logger }),
      );
    if (events.length === 1) {
      await this.withRetries(events[0]!, at, handle);
      return;
    }
    let delay = this.retry.initialDelayMs;
    for (;;) {
      try {
        await this.withHeartbeats(at.heartbeat, handle);
        return;
      } catch (error) {
        if (!isInfrastructureError(error)) {
          logger.warn(
            { err: error, events: events.length, from: events[0]!.position.offset },
            'batch failed; applying its events one at a time',
          );
          for (const consumed of events) await this.applyRun([consumed], at);
          return;
        }
        if (this.stopping) throw error; // leave the offsets uncommitted; another member takes over
        logger.warn({ err: error, events: events.length }, 'store or broker unavailable; retrying the batch');
        await sleep(delay);
        delay = Math.min(delay * 2, this.retry.maxDelayMs);
        await at.heartbeat();
      }
    }
  }

  private applyOne(consumed: ConsumedEvent, at: PartitionContext): Promise<void> {
    const handler = this.options.handlers[consumed.event.type]!;
    const logger = this.options.logger.child({
      topic: at.topic,
      partition: at.partition,
      offset: consumed.position.offset,
    });
    return this.withRetries(consumed, at, () =>
      inSpan(`process ${at.topic}`, { parent: this.traceOf(consumed), kind: SpanKind.CONSUMER }, () =>
        handler(consumed.event, {
          position: consumed.position,
          key: consumed.key,
          heartbeat: at.heartbeat,
          logger,
        }),
      ),
    );
  }

  /**
   * Runs `fn` for one event until it succeeds: an outage of the store or the broker is retried
   * without limit, another failure a bounded number of times, then the event is dead-lettered.
   */
  private async withRetries(
    consumed: ConsumedEvent,
    at: PartitionContext,
    fn: () => Promise<void>,
  ): Promise<void> {
    const { event, position } = consumed;
    const logger = this.options.logger.child({
      topic: at.topic,
      partition: at.partition,
      offset: position.offset,
    });
    const dead = (letter: DeadLetter) => this.deadLetter(consumed, at, letter);
    let delay = this.retry.initialDelayMs;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.withHeartbeats(at.heartbeat, fn);
        return;
      } catch (error) {
        if (error instanceof PermanentEventError) {
          return dead({ kind: 'processing-failed', reason: describeError(error), attempts: attempt });
        }
        const infrastructure = isInfrastructureError(error);
        if (!infrastructure && attempt >= this.retry.attempts) {
          return dead({ kind: 'processing-failed', reason: describeError(error), attempts: attempt });
        }
        if (this.stopping) throw error; // leave the offset uncommitted; another member takes over
        logger.warn(
          { err: error, attempt, infrastructure, eventId: event.id, type: event.type },
          'event handler failed, retrying',
        );
        await sleep(delay);
        delay = Math.min(delay * 2, this.retry.maxDelayMs);
        await at.heartbeat();
      }
    }
  }

  private async withHeartbeats(heartbeat: () => Promise<void>, fn: () => Promise<void>): Promise<void> {
    const timer = setInterval(() => {
      // A failed heartbeat (a rebalance under way) is seen again by kafkajs after this message.
      heartbeat().catch(() => undefined);
    }, this.options.heartbeatWhileHandlingMs ?? 3_000);
    try {
      await fn();
    } finally {
      clearInterval(timer);
    }
  }

  /** Sends the original message (a KafkaMessage, or the one a consumed event came from) to the DLQ. */
  private async deadLetter(
    source: KafkaMessage | ConsumedEvent,
    at: PartitionContext,
    letter: DeadLetter,
  ): Promise<void> {
    const message = 'event' in source ? this.raw.get(source)! : source;
    this.options.logger.error(
      {
        topic: at.topic,
        partition: at.partition,
        offset: message.offset,
        reason: letter.reason,
        kind: letter.kind,
        attempts: letter.attempts,
      },
      'event sent to the DLQ',
    );
    const headers: IHeaders = {
      ...message.headers,
      [DLQ_HEADERS.reason]: letter.reason.slice(0, 2_000),
      [DLQ_HEADERS.errorKind]: letter.kind,
      [DLQ_HEADERS.originalTopic]: at.topic,
      [DLQ_HEADERS.originalPartition]: String(at.partition),
      [DLQ_HEADERS.originalOffset]: message.offset,
      [DLQ_HEADERS.consumerGroup]: this.options.groupId,
      [DLQ_HEADERS.attempts]: String(letter.attempts),
      [DLQ_HEADERS.failedAt]: new Date().toISOString(),
    };
    messagingMetrics.deadLettered.inc({ topic: at.topic, kind: letter.kind });
    await this.options.dlqProducer.send({
      topic: physicalTopic(this.options.topicPrefix, dlqTopicOf(at.topic)),
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers }],
    });
  }
}
