// Runbook tool for dead-letter topics (see README, "DLQ runbook").
//   npm run -s dlq -- list <topic>                      what failed, when, why
//   npm run -s dlq -- show <topic> <event-id>           one record with its body
//   npm run -s dlq -- replay <topic> (--all | --event-id <id>... | --kind processing-failed) [--group <g>]
// Options: --brokers host:port (default KAFKA_BROKERS or 127.0.0.1:19092), --prefix <topic prefix>.
import { parseArgs } from 'node:util';
import { UNREPLAYABLE_DLQ_KINDS } from '@recycling/contracts';
import {
  KafkaLogLevel,
  createKafka,
  readDeadLetters,
  replayDeadLetters,
  type DeadLetterRecord,
} from '@recycling/messaging';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    brokers: { type: 'string', default: process.env.KAFKA_BROKERS ?? '127.0.0.1:19092' },
    prefix: { type: 'string', default: process.env.TOPIC_PREFIX ?? '' },
    all: { type: 'boolean', default: false },
    'event-id': { type: 'string', multiple: true },
    kind: { type: 'string' },
    group: { type: 'string' },
  },
});

const [command, topic, eventId] = positionals;
const usage =
  'usage: dlq list <topic> | show <topic> <event-id> | replay <topic> (--all | --event-id <id>... | --kind <kind>) [--group <g>]';

async function main(): Promise<number> {
  if (!command || !topic) {
    console.error(usage);
    return 2;
  }
  const kafka = createKafka({
    brokers: values.brokers,
    clientId: 'dlq-tool',
    logLevel: KafkaLogLevel.NOTHING,
  });
  const prefix = values.prefix || undefined;
  const records = await readDeadLetters(kafka, topic, prefix);
  const line = (r: DeadLetterRecord) =>
    `${r.partition}:${r.offset}  ${r.failedAt ?? '?'}  ${r.eventType ?? '?'}  ${r.eventId ?? '?'}  [${r.errorKind ?? '?'}] group=${r.consumerGroup ?? '?'}  ${r.reason ?? ''}`;

  switch (command) {
    case 'list':
      for (const r of records) console.log(line(r));
      console.log(`${records.length} dead letter(s) on ${topic}.dlq`);
      return 0;
    case 'show': {
      const r = records.find((x) => x.eventId === eventId);
      if (!r) {
        console.error(`no dead letter with event id ${eventId} on ${topic}.dlq`);
        return 1;
      }
      console.log(JSON.stringify({ ...r, value: r.value ? JSON.parse(r.value) : r.value }, null, 2));
      return 0;
    }
    case 'replay': {
      const ids = new Set(values['event-id'] ?? []);
      if (!values.all && ids.size === 0 && !values.kind) {
        console.error(`say what to replay: --all, --event-id <id> or --kind <kind>\n${usage}`);
        return 2;
      }
      const chosen = records.filter(
        (r) =>
          (values.all ||
            ids.has(r.eventId ?? '') ||
            (values.kind !== undefined && r.errorKind === values.kind)) &&
          (values.group === undefined || r.consumerGroup === values.group),
      );
      const foreign = chosen.filter((r) => UNREPLAYABLE_DLQ_KINDS.includes(r.errorKind as never));
      if (foreign.length > 0) {
        console.error(
          `${foreign.length} of these are foreign-city: events of another city's network. Replaying them here ` +
            'would send them straight back to the DLQ; forward them to that network or leave them. Choose ' +
            'the others with --kind processing-failed or --event-id.',
        );
        return 2;
      }
      const sent = await replayDeadLetters(kafka, chosen, prefix);
      console.log(
        `replayed ${sent} of ${records.length} dead letter(s) to ${topic}; consumers skip what they already applied`,
      );
      return 0;
    }
    default:
      console.error(usage);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      `dlq: ${error instanceof Error ? error.message : String(error)} (is the broker up? bash infra/bin/workspace infra status)`,
    );
    process.exit(1);
  },
);
