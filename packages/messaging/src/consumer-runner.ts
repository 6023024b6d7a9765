// Runs a consumer group over one or more topics: reads the CloudEvents envelope, validates the data
// against the catalog, dispatches to the handler of the event type, retries with backoff, and
// sends what cannot be processed to `<topic>.dlq` with the reason, so the partition keeps moving.
// Offsets are committed only after the handler returned (or the DLQ accepted the message), which
// gives at-least-once delivery; handlers make their effects idempotent.
import {
  DLQ_HEADERS,
  domainEventFrom,
  formatIssues,
  readCloudEventHeaders,
  type DlqErrorKind,
  type DomainEvent,
} from '@recycling/contracts';
import type { Consumer, EachMessagePayload, IHeaders, Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { dlqTopicOf, logicalTopic, physicalTopic, type EventCatalog } from './catalog';
import { PermanentEventError, isInfrastructureError } from './errors';

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
}

interface DeadLetter {
  kind: DlqErrorKind;
  reason: string;
  attempts: number;
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

  constructor(private readonly options: ConsumerRunnerOptions) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
    });
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
      eachMessage: (payload) => this.handle(payload),
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

  private async handle(payload: EachMessagePayload): Promise<void> {
    const { message, partition, heartbeat } = payload;
    const topic = logicalTopic(this.options.topicPrefix, payload.topic);
    const position: MessagePosition = { topic, partition, offset: message.offset };
    const logger = this.options.logger.child({ topic, partition, offset: message.offset });
    const dead = (letter: DeadLetter) => this.deadLetter(payload, letter, logger);

    const headers = readCloudEventHeaders(message.headers ?? {});
    if (!headers.ok) {
      return dead({
        kind: 'invalid-envelope',
        reason: `headers: ${formatIssues(headers.issues)}`,
        attempts: 0,
      });
    }
    const type = headers.headers.ce_type;
    if (this.options.catalog.topicOf(type) !== topic) {
      return dead({
        kind: 'unknown-type',
        reason: `event type ${type} does not belong to ${topic}`,
        attempts: 0,
      });
    }
    let body: unknown;
    try {
      body = JSON.parse(message.value?.toString('utf8') ?? '');
    } catch {
      return dead({ kind: 'invalid-data', reason: 'body is not valid JSON', attempts: 0 });
    }
    const decoded = this.options.catalog.decode(type, body);
    if (!decoded.ok) return dead({ kind: decoded.kind, reason: `schema: ${decoded.reason}`, attempts: 0 });

    const handler = this.options.handlers[type];
    if (!handler) return; // a type this service does not care about

    const event = domainEventFrom(headers.headers, decoded.data);
    const key = message.key?.toString('utf8');
    let delay = this.retry.initialDelayMs;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.withHeartbeats(heartbeat, () => handler(event, { position, key, heartbeat, logger }));
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
          { err: error, attempt, infrastructure, eventId: event.id, type },
          'event handler failed, retrying',
        );
        await sleep(delay);
        delay = Math.min(delay * 2, this.retry.maxDelayMs);
        await heartbeat();
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

  private async deadLetter(payload: EachMessagePayload, letter: DeadLetter, logger: Logger): Promise<void> {
    const { message, partition } = payload;
    const topic = logicalTopic(this.options.topicPrefix, payload.topic);
    logger.error(
      { reason: letter.reason, kind: letter.kind, attempts: letter.attempts },
      'event sent to the DLQ',
    );
    const headers: IHeaders = {
      ...message.headers,
      [DLQ_HEADERS.reason]: letter.reason.slice(0, 2_000),
      [DLQ_HEADERS.errorKind]: letter.kind,
      [DLQ_HEADERS.originalTopic]: topic,
      [DLQ_HEADERS.originalPartition]: String(partition),
      [DLQ_HEADERS.originalOffset]: message.offset,
      [DLQ_HEADERS.consumerGroup]: this.options.groupId,
      [DLQ_HEADERS.attempts]: String(letter.attempts),
      [DLQ_HEADERS.failedAt]: new Date().toISOString(),
    };
    await this.options.dlqProducer.send({
      topic: physicalTopic(this.options.topicPrefix, dlqTopicOf(topic)),
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers }],
    });
  }
}
