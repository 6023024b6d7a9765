import { z } from 'zod';
import { IsoUtc } from '../scalars';

// A record that a consumer cannot process goes to `<topic>.dlq` with its original key, value and
// headers unchanged (so it can be replayed as it was) plus the headers below saying why.

export const dlqTopicOf = (topic: string): string => `${topic}.dlq`;

export const DLQ_HEADERS = {
  reason: 'dlq-reason',
  errorKind: 'dlq-error-kind',
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  failedAt: 'dlq-failed-at',
  attempts: 'dlq-attempts',
  consumerGroup: 'dlq-consumer-group',
} as const;

/**
 * The kind lets an operator triage without reading messages: the first three are the producer's
 * fault and will fail again on replay; processing-failed may succeed once the cause is fixed;
 * foreign-city is an event of another city's network (its ce_source names another city code) that
 * reached this one through a shared cluster or a wrong prefix: forward it to that network or drop
 * it, never replay it here (it would come straight back).
 */
export const DLQ_ERROR_KINDS = [
  'invalid-envelope',
  'unknown-type',
  'invalid-data',
  'processing-failed',
  'foreign-city',
] as const;
/** Kinds that a replay cannot fix. */
export const UNREPLAYABLE_DLQ_KINDS: readonly DlqErrorKind[] = ['foreign-city'];
export const DlqErrorKind = z.enum(DLQ_ERROR_KINDS);
export type DlqErrorKind = z.infer<typeof DlqErrorKind>;

const Digits = z.string().regex(/^\d+$/);

export const DlqHeaders = z
  .object({
    [DLQ_HEADERS.reason]: z.string().min(1).max(2000).describe('Human-readable reason; no personal data'),
    [DLQ_HEADERS.errorKind]: DlqErrorKind,
    [DLQ_HEADERS.originalTopic]: z.string().min(1),
    [DLQ_HEADERS.originalPartition]: Digits,
    [DLQ_HEADERS.originalOffset]: Digits,
    [DLQ_HEADERS.failedAt]: IsoUtc,
    [DLQ_HEADERS.attempts]: Digits.describe('Processing attempts before giving up'),
    [DLQ_HEADERS.consumerGroup]: z.string().min(1),
  })
  .describe('Headers added to a record sent to a dead-letter topic');
export type DlqHeaders = z.infer<typeof DlqHeaders>;
