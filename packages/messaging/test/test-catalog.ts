// A two-event catalog for exercising the messaging layer without the domain contracts.
import { z } from 'zod';
import type { EventCatalog } from '../src';

const schemas = {
  'recycling.counter.incremented.v1': z.object({
    counterId: z.string().min(1),
    by: z.number().int().positive(),
  }),
  'recycling.counter.reset.v1': z.object({ counterId: z.string().min(1) }),
} as const;

export const testCatalog: EventCatalog = {
  topicOf: (type) => (type in schemas ? 'counters.v1' : undefined),
  keyOf: (_type, data) => (data as { counterId: string }).counterId,
  decode: (type, data) => {
    const schema = schemas[type as keyof typeof schemas];
    if (!schema) return { ok: false, kind: 'unknown-type', reason: `unknown event type ${type}` };
    const parsed = schema.safeParse(data);
    return parsed.success
      ? { ok: true, data: parsed.data }
      : {
          ok: false,
          kind: 'invalid-data',
          reason: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        };
  },
  topics: () => [{ name: 'counters.v1', partitions: 3 }],
};
