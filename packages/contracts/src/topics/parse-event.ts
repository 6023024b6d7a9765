import type { z } from 'zod';
import type { EventDataOf, EventType } from './registry';
import { isEventType, schemaForType } from './registry';

// The one way to read event data: consumers get either typed data or the reason to dead-letter it,
// named like the DLQ error kinds so the reason can go straight into the dlq-error-kind header.

export type ParsedEvent = {
  [T in EventType]: { readonly ok: true; readonly type: T; readonly data: EventDataOf<T> };
}[EventType];

export type ParseEventFailure =
  | {
      readonly ok: false;
      readonly reason: 'unknown-type';
      readonly type: string;
      readonly issues: readonly [];
    }
  | {
      readonly ok: false;
      readonly reason: 'invalid-data';
      readonly type: EventType;
      readonly issues: readonly z.core.$ZodIssue[];
    };

export type ParseEventResult = ParsedEvent | ParseEventFailure;

export const parseEvent = (type: string, data: unknown): ParseEventResult => {
  if (!isEventType(type)) return { ok: false, reason: 'unknown-type', type, issues: [] };
  const result = (schemaForType(type) as z.ZodType).safeParse(data);
  if (!result.success) return { ok: false, reason: 'invalid-data', type, issues: result.error.issues };
  return { ok: true, type, data: result.data } as ParsedEvent;
};
