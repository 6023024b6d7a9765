import type { OutboxPort } from '@recycling/store';
import { OutboxPacer } from '../src/store/outbox-pacer';

// The run outboxes are named to the relay at most two at a time, in order, each once published
// before a third is named (a relay pass must stay under the broker's size limit).

/** A relay that publishes a document when the test says so. */
function fakeRelay() {
  const nudged: string[] = [];
  const published = new Set<string>();
  const outbox: OutboxPort = {
    expect: async () => undefined,
    nudge: (_model, ids) => {
      nudged.push(...ids.map(String));
    },
    publishedAmong: async (ids) => new Set(ids.filter((id) => published.has(id))),
  };
  return { outbox, nudged, publish: (eventId: string) => published.add(eventId) };
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
};

it('names two outbox documents at a time, in order, the next once one is published', async () => {
  const relay = fakeRelay();
  const pacer = new OutboxPacer(relay.outbox, { modelName: 'InvoiceEvents' }, () => undefined);
  await pacer.add(['a', 'b', 'c', 'd'].map((id) => ({ docId: id, lastEventId: `${id}-last` })));
  await until(() => relay.nudged.length === 2);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(relay.nudged).toEqual(['a', 'b']);
  relay.publish('a-last');
  await until(() => relay.nudged.length === 3);
  expect(relay.nudged).toEqual(['a', 'b', 'c']);
  relay.publish('b-last');
  relay.publish('c-last');
  await until(() => relay.nudged.length === 4);
  expect(relay.nudged).toEqual(['a', 'b', 'c', 'd']);
});

it('makes its caller wait while six documents are waiting or in flight', async () => {
  const relay = fakeRelay();
  const pacer = new OutboxPacer(relay.outbox, { modelName: 'InvoiceEvents' }, () => undefined);
  const docs = (ids: string[]) => ids.map((id) => ({ docId: id, lastEventId: `${id}-last` }));
  await pacer.add(docs(['1', '2', '3', '4', '5', '6']));
  let added = false;
  const adding = pacer.add(docs(['7'])).then(() => (added = true));
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(added).toBe(false);
  relay.publish('1-last');
  await adding;
  expect(added).toBe(true);
});
