// The consumer runner's life cycle around kafkajs, on a fake consumer: which partitions a member
// holds is logged at every join, and a crash kafkajs gives up on is followed by a restart here, so a
// consumer never stays stopped while its service looks healthy.
import { toCloudEventHeaders } from '@recycling/contracts';
import type { EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import pino from 'pino';
import { ConsumerRunner, createEventFactory, messageBytes, slicesOf, type EventHandler } from '../src';
import { testCatalog } from './test-catalog';

type Listener = (event: { payload: Record<string, unknown> }) => void;

function fakeKafka() {
  const listeners = new Map<string, Listener[]>();
  let eachBatch: ((p: EachBatchPayload) => Promise<void>) | undefined;
  const calls: string[] = [];
  const consumer = {
    events: { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' },
    on: (name: string, listener: Listener) => {
      listeners.set(name, [...(listeners.get(name) ?? []), listener]);
      return () =>
        listeners.set(
          name,
          (listeners.get(name) ?? []).filter((l) => l !== listener),
        );
    },
    connect: jest.fn(async () => void calls.push('connect')),
    subscribe: jest.fn(async () => void calls.push('subscribe')),
    run: jest.fn(async (options: { eachBatch: (p: EachBatchPayload) => Promise<void> }) => {
      eachBatch = options.eachBatch;
      calls.push('run');
      // kafkajs joins the group in the background once it runs
      setImmediate(() => emit('consumer.group_join', join));
    }),
    disconnect: jest.fn(async () => void calls.push('disconnect')),
  };
  const join: Record<string, unknown> = {
    groupId: 'g',
    memberId: 'm-1',
    duration: 3,
    memberAssignment: { 'p.counters.v1': [2, 0] },
  };
  const emit = (name: string, payload: Record<string, unknown>) => {
    for (const l of listeners.get(name) ?? []) l({ payload });
  };
  return {
    kafka: { consumer: () => consumer } as unknown as Kafka,
    calls,
    emit,
    /** One fetched batch of one partition, as kafkajs hands it over; answers the offsets resolved. */
    deliver: async (
      topic: string,
      partition: number,
      messages: KafkaMessage[],
      heartbeat: () => Promise<void> = async () => undefined,
    ) => {
      const resolved: string[] = [];
      await eachBatch!({
        batch: { topic, partition, messages } as never,
        resolveOffset: (offset: string) => void resolved.push(offset),
        heartbeat,
        commitOffsetsIfNecessary: async () => undefined,
        isRunning: () => true,
        isStale: () => false,
      } as unknown as EachBatchPayload);
      return resolved;
    },
  };
}

function logLines() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}

const runnerOn = (kafka: Kafka, logger: pino.Logger, handlers: Record<string, EventHandler> = {}) =>
  new ConsumerRunner({
    kafka,
    groupId: 'g',
    topics: ['counters.v1'],
    topicPrefix: 'p',
    handlers,
    catalog: testCatalog,
    dlqProducer: {} as never,
    logger,
    heartbeatWhileHandlingMs: 20,
  });

describe('consumer runner life cycle', () => {
  it('logs the partitions it holds after every join', async () => {
    const fake = fakeKafka();
    const { logger, lines } = logLines();
    const runner = runnerOn(fake.kafka, logger);
    await runner.start();
    fake.emit('consumer.group_join', {
      groupId: 'g',
      memberId: 'm-1',
      duration: 5,
      memberAssignment: { 'p.counters.v1': [1] },
    });
    const joins = lines.filter((l) => l.msg === 'consumer joined its group');
    expect(joins.map((l) => l.assignment)).toEqual([{ 'counters.v1': [0, 2] }, { 'counters.v1': [1] }]);
    expect(joins[0]).toMatchObject({ groupId: 'g', memberId: 'm-1' });
    await runner.stop();
  });

  it('leaves a crash kafkajs restarts to kafkajs', async () => {
    const fake = fakeKafka();
    const { logger, lines } = logLines();
    const runner = runnerOn(fake.kafka, logger);
    await runner.start();
    fake.emit('consumer.crash', { groupId: 'g', error: new Error('broker gone'), restart: true });
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(fake.calls).toEqual(['connect', 'subscribe', 'run']);
    expect(lines.some((l) => l.msg === 'consumer crashed; kafkajs restarts it')).toBe(true);
    await runner.stop();
  });

  it('starts the consumer again after a crash kafkajs does not restart', async () => {
    const fake = fakeKafka();
    const { logger, lines } = logLines();
    const runner = runnerOn(fake.kafka, logger);
    await runner.start();
    fake.emit('consumer.crash', { groupId: 'g', error: new Error('not retriable'), restart: false });
    expect(lines.some((l) => l.msg === 'consumer crashed and kafkajs gave up; starting it again')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    expect(fake.calls).toEqual(['connect', 'subscribe', 'run', 'disconnect', 'connect', 'subscribe', 'run']);
    await runner.stop();
  });

  it('does not restart a consumer that is being stopped', async () => {
    const fake = fakeKafka();
    const { logger } = logLines();
    const runner = runnerOn(fake.kafka, logger);
    await runner.start();
    await runner.stop();
    fake.emit('consumer.crash', { groupId: 'g', error: new Error('late'), restart: false });
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    expect(fake.calls).toEqual(['connect', 'subscribe', 'run', 'disconnect']);
  });

  it('keeps telling the group it is alive while a handler is slow (a store that does not answer)', async () => {
    const fake = fakeKafka();
    const { logger } = logLines();
    const runner = runnerOn(fake.kafka, logger, {
      'recycling.counter.incremented.v1': () => new Promise((resolve) => setTimeout(resolve, 200)),
    });
    await runner.start();
    const event = createEventFactory({ catalog: testCatalog, source: 'urn:recycling:000000:messaging' })(
      'recycling.counter.incremented.v1',
      { counterId: 'c-1', by: 1 },
    );
    const heartbeat = jest.fn(async () => undefined);
    const resolved = await fake.deliver(
      'p.counters.v1',
      0,
      [
        {
          key: Buffer.from('c-1'),
          value: Buffer.from(JSON.stringify(event.data)),
          headers: toCloudEventHeaders(event) as never,
          offset: '7',
          timestamp: String(Date.now()),
          attributes: 0,
        } as KafkaMessage,
      ],
      heartbeat,
    );
    expect(resolved).toEqual(['7']);
    expect(heartbeat.mock.calls.length).toBeGreaterThanOrEqual(4);
    const calls = heartbeat.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(heartbeat.mock.calls.length).toBe(calls); // none once the handler returned
    await runner.stop();
  });
});

describe('batches', () => {
  const makeEvent = createEventFactory({ catalog: testCatalog, source: 'urn:recycling:000000:messaging' });
  let offset = 100;
  const messageOf = (type: string, data: Record<string, unknown>, raw?: string): KafkaMessage => {
    const event = makeEvent(type as never, data as never);
    return {
      key: Buffer.from(String(data.counterId)),
      value: Buffer.from(raw ?? JSON.stringify(data)),
      headers: toCloudEventHeaders(event) as never,
      offset: String(offset++),
      timestamp: String(Date.now()),
      attributes: 0,
    } as KafkaMessage;
  };
  const increment = (counterId: string, by = 1) =>
    messageOf('recycling.counter.incremented.v1', { counterId, by });
  const reset = (counterId: string) => messageOf('recycling.counter.reset.v1', { counterId });

  function batchRunner(
    handle: (events: Array<{ by: number; counterId: string }>) => Promise<void>,
    handlers = {},
  ) {
    const fake = fakeKafka();
    const { logger } = logLines();
    const dlq = { send: jest.fn(async () => undefined) };
    const runner = new ConsumerRunner({
      kafka: fake.kafka,
      groupId: 'g',
      topics: ['counters.v1'],
      topicPrefix: 'p',
      handlers,
      batch: {
        types: ['recycling.counter.incremented.v1'],
        handle: (events) => handle(events.map((e) => e.event.data as { by: number; counterId: string })),
        maxEvents: 3,
      },
      catalog: testCatalog,
      dlqProducer: dlq as never,
      logger,
      retry: { attempts: 2, initialDelayMs: 1, maxDelayMs: 1 },
    });
    return { fake, runner, dlq };
  }

  it('hands consecutive events over in runs, keeps order with one-by-one types, and resolves every offset', async () => {
    const calls: string[] = [];
    const { fake, runner } = batchRunner(
      async (events) => void calls.push(`batch ${events.map((e) => e.counterId).join(',')}`),
      {
        'recycling.counter.reset.v1': async (e: { data: { counterId: string } }) =>
          void calls.push(`reset ${e.data.counterId}`),
      },
    );
    await runner.start();
    const messages = [
      increment('a'),
      increment('b'),
      reset('a'),
      increment('c'),
      increment('d'),
      increment('e'),
      increment('f'),
    ];
    const resolved = await fake.deliver('p.counters.v1', 1, messages);
    expect(calls).toEqual(['batch a,b', 'reset a', 'batch c,d,e', 'batch f']);
    expect(resolved.at(-1)).toBe(messages.at(-1)!.offset);
    await runner.stop();
  });

  it('applies a failing batch one event at a time: the poison event is dead-lettered, the others apply', async () => {
    const applied: string[] = [];
    const { fake, runner, dlq } = batchRunner(async (events) => {
      if (events.some((e) => e.counterId === 'poison')) throw new Error('cannot apply');
      applied.push(...events.map((e) => e.counterId));
    });
    await runner.start();
    const resolved = await fake.deliver('p.counters.v1', 0, [
      increment('a'),
      increment('poison'),
      increment('b'),
    ]);
    expect(applied).toEqual(['a', 'b']);
    expect(dlq.send).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(dlq.send.mock.calls[0])).toContain('processing-failed');
    expect(resolved.at(-1)).toBeDefined();
    await runner.stop();
  });

  it('dead-letters a message that fails its schema without breaking the run around it', async () => {
    const batches: string[][] = [];
    const { fake, runner, dlq } = batchRunner(
      async (events) => void batches.push(events.map((e) => e.counterId)),
    );
    await runner.start();
    const bad = messageOf(
      'recycling.counter.incremented.v1',
      { counterId: 'x', by: 1 },
      '{"counterId":"x","by":-5}',
    );
    await fake.deliver('p.counters.v1', 2, [increment('a'), bad, increment('b')]);
    expect(batches).toEqual([['a'], ['b']]);
    expect(JSON.stringify(dlq.send.mock.calls[0])).toContain('invalid-data');
    await runner.stop();
  });
});

describe('events of another city', () => {
  it('are dead-lettered as foreign-city before any handler sees them', async () => {
    const fake = fakeKafka();
    const { logger } = logLines();
    const dlq = { send: jest.fn(async () => undefined) };
    const handled = jest.fn(async () => undefined);
    const runner = new ConsumerRunner({
      kafka: fake.kafka,
      groupId: 'g',
      topics: ['counters.v1'],
      topicPrefix: 'p',
      handlers: { 'recycling.counter.incremented.v1': handled },
      cityCode: '659002',
      catalog: testCatalog,
      dlqProducer: dlq as never,
      logger,
    });
    await runner.start();
    const ours = createEventFactory({ catalog: testCatalog, source: 'urn:recycling:659002:sorting' });
    const theirs = createEventFactory({ catalog: testCatalog, source: 'urn:recycling:650100:sorting' });
    const message = (event: ReturnType<typeof ours>, offset: string): KafkaMessage =>
      ({
        key: Buffer.from('c'),
        value: Buffer.from(JSON.stringify(event.data)),
        headers: toCloudEventHeaders(event) as never,
        offset,
        timestamp: String(Date.now()),
        attributes: 0,
      }) as KafkaMessage;
    await fake.deliver('p.counters.v1', 0, [
      message(theirs('recycling.counter.incremented.v1', { counterId: 'c', by: 1 }), '1'),
      message(ours('recycling.counter.incremented.v1', { counterId: 'c', by: 1 }), '2'),
    ]);
    expect(handled).toHaveBeenCalledTimes(1);
    const headers = (
      dlq.send.mock.calls[0] as unknown as [{ messages: Array<{ headers: Record<string, string> }> }]
    )[0].messages[0]!.headers;
    expect(headers['dlq-error-kind']).toBe('foreign-city');
    expect(headers['dlq-reason']).toContain('650100');
    await runner.stop();
  });
});

describe('producer requests', () => {
  it('are sliced by size, in order, so a relay pass never exceeds the broker’s limit', () => {
    const item = (n: number) => ({ n, message: { key: 'k', value: 'x'.repeat(n) } });
    const slices = slicesOf([item(100), item(100), item(300), item(50), item(1_000)], 400);
    expect(slices.map((s) => s.map((i) => i.n))).toEqual([[100, 100], [300], [50], [1_000]]);
    expect(messageBytes({ key: 'k', value: 'abc', headers: { h: 'v' } })).toBe(1 + 3 + 2 + 64);
  });
});
