// Runs one consumer group per live generation of rollups (the active one, and a rebuild while it
// builds) and reads where they stand. Every replica syncs its consumers with the generations in the
// store, so a rebuild started on one replica is built by the group, and a promotion stops the retired
// group everywhere. A generation that no longer answers reads (retired or discarded) has its counters
// and records deleted once every replica has had time to stop its consumer: they would otherwise grow
// by a whole copy of the history with every rebuild. The service runs it as background work: started
// after messaging, stopped before it (dead letters go through messaging's producer).
import { ConsumerRunner, physicalTopic, registryCatalog, type EventPublisher } from '@recycling/messaging';
import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { RollupGroups } from '../app/context';
import { COUNTED_TOPICS } from '../domain/record-rules';
import type { CounterStore } from '../store/counters';
import type { GenerationDoc, GenerationStore } from '../store/generations';
import type { RecordStore } from '../store/records';
import { rollupBatch } from './rollup-handler';

/**
 * The broker holds a rollup fetch up to 500 ms for 64 KB of events: at a few intakes a second each
 * event was a run of its own (7 store round trips per intake, issue 17), and a dashboard half a
 * second later costs nobody anything. A rebuild's fetches fill at once and are not held.
 */
const ROLLUP_FETCH = { minBytes: 64 * 1024, maxWaitTimeInMs: 500 };

export interface RollupGenerationsDeps {
  /** The client of the generations' consumer groups and of the offset reads. */
  kafka: Kafka;
  /** Messaging's producer, for dead letters. */
  publisher: Pick<EventPublisher, 'rawProducer'>;
  generations: GenerationStore;
  counters: CounterStore;
  records: RecordStore;
  logger: Logger;
  timeZone: string;
  topicPrefix?: string;
  syncIntervalMs?: number;
  /**
   * How long after a generation stopped answering reads its data is deleted; default three sync
   * intervals and at least a minute, so that every replica has stopped its consumer first.
   */
  purgeAfterMs?: number;
}

export class RollupGenerations implements RollupGroups {
  private readonly runners = new Map<number, ConsumerRunner>();
  private admin: Admin | undefined;
  private timer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> = Promise.resolve();
  private purging: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly deps: RollupGenerationsDeps) {}

  /** The generations this replica consumes into now. */
  consuming(): number[] {
    return [...this.runners.keys()].sort((a, b) => a - b);
  }

  groupId(gen: number): string {
    return [this.deps.topicPrefix, 'statistics', `rollups-g${gen}`].filter(Boolean).join('.');
  }

  /** Connects, starts the consumers of the live generations, and syncs them from then on. */
  async start(): Promise<void> {
    try {
      this.admin = this.deps.kafka.admin();
      await this.admin.connect();
      await this.deps.generations.ensureFirst();
      await this.sync();
    } catch (error) {
      await this.stop().catch(() => undefined); // leave nothing running behind
      throw error;
    }
    const every = this.deps.syncIntervalMs ?? 10_000;
    this.timer = setInterval(
      () =>
        void this.sync().catch((err: unknown) => this.deps.logger.warn({ err }, 'generation sync failed')),
      every,
    );
    this.timer.unref();
  }

  /** Stops syncing, purging and every consumer, then disconnects. Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.syncing.catch(() => undefined);
    await this.purging?.catch(() => undefined);
    await Promise.all([...this.runners.values()].map((r) => r.stop()));
    this.runners.clear();
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect();
  }

  private connectedAdmin(): Admin {
    if (!this.admin) throw new Error('the rollup generations are not running');
    return this.admin;
  }

  /** Starts consumers of active and building generations, stops the others. Serialised. */
  sync(): Promise<void> {
    this.syncing = this.syncing.catch(() => undefined).then(() => this.syncOnce());
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    if (this.stopped) return;
    const all = await this.deps.generations.list();
    const live = all.filter((g) => g.status === 'active' || g.status === 'building');
    const wanted = new Set(live.map((g) => g._id));
    for (const [gen, runner] of this.runners) {
      if (!wanted.has(gen)) {
        this.runners.delete(gen);
        await runner.stop();
        this.deps.logger.info({ gen }, 'stopped the consumer of a retired rollup generation');
      }
    }
    for (const gen of wanted) {
      if (this.runners.has(gen)) continue;
      const runner = new ConsumerRunner({
        kafka: this.deps.kafka,
        groupId: this.groupId(gen),
        topics: [...COUNTED_TOPICS],
        // Every counted event type goes to the batch handler, a run at a time; a run that fails is
        // applied again one event at a time by the runner, so a poison event is dead-lettered alone.
        handlers: {},
        batch: rollupBatch({
          gen,
          counters: this.deps.counters,
          records: this.deps.records,
          timeZone: this.deps.timeZone,
        }),
        catalog: registryCatalog,
        dlqProducer: this.deps.publisher.rawProducer,
        logger: this.deps.logger.child({ component: `rollups-g${gen}` }),
        topicPrefix: this.deps.topicPrefix,
        fromBeginning: true,
        partitionsConsumedConcurrently: 3,
        fetch: ROLLUP_FETCH,
      });
      this.runners.set(gen, runner);
      await runner.start();
      this.deps.logger.info({ gen, groupId: this.groupId(gen) }, 'consuming into rollup generation');
    }
    // In the background: deleting a whole generation can take a while and must not hold up consumers.
    if (!this.purging && all.some((g) => this.purgeDue(g, new Date()))) {
      this.purging = this.purgeEnded(new Date())
        .then(() => undefined)
        .catch((err: unknown) => this.deps.logger.warn({ err }, 'purging ended rollup generations failed'))
        .finally(() => (this.purging = undefined));
    }
  }

  private purgeDue(g: GenerationDoc, now: Date): boolean {
    if (g.status !== 'retired' && g.status !== 'discarded') return false;
    if (g.purgedAt) return false;
    const grace = this.deps.purgeAfterMs ?? Math.max(60_000, 3 * (this.deps.syncIntervalMs ?? 10_000));
    // Generations ended before `endedAt` was recorded have no date: they are long over.
    return !g.endedAt || now.getTime() - g.endedAt.getTime() >= grace;
  }

  /** Deletes the counters and records of generations that ended long enough ago. */
  async purgeEnded(now = new Date()): Promise<number[]> {
    const purged: number[] = [];
    for (const g of await this.deps.generations.list()) {
      if (!this.purgeDue(g, now)) continue;
      const counters = await this.deps.counters.purge(g._id);
      const records = await this.deps.records.purge(g._id);
      await this.deps.generations.setStatus(g._id, g.status, { purgedAt: new Date() });
      this.deps.logger.info({ gen: g._id, counters, records }, 'purged an ended rollup generation');
      purged.push(g._id);
    }
    return purged;
  }

  /** High watermarks of every counted partition now. */
  async endOffsets(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const topic of COUNTED_TOPICS) {
      const offsets = await this.connectedAdmin().fetchTopicOffsets(
        physicalTopic(this.deps.topicPrefix, topic),
      );
      for (const p of offsets) out[`${topic}~${p.partition}`] = p.high;
    }
    return out;
  }

  /** Where a generation's consumer group stands, per partition ('-1' or absent: nothing committed). */
  async position(gen: number): Promise<Record<string, string>> {
    const result = await this.connectedAdmin().fetchOffsets({
      groupId: this.groupId(gen),
      topics: COUNTED_TOPICS.map((t) => physicalTopic(this.deps.topicPrefix, t)),
    });
    const out: Record<string, string> = {};
    for (const t of result) {
      const logical =
        COUNTED_TOPICS.find((c) => physicalTopic(this.deps.topicPrefix, c) === t.topic) ?? t.topic;
      for (const p of t.partitions) out[`${logical}~${p.partition}`] = p.offset;
    }
    return out;
  }
}
