/**
 * An event as code handles it, independent of transport. `time` is the CloudEvents time (when the
 * event was produced, normally the moment of the state change); business time is data.occurredAt.
 */
export interface DomainEvent<T = unknown, TType extends string = string> {
  /** UUID, unique per event; consumers dedupe on it. */
  readonly id: string;
  readonly type: TType;
  /** urn:recycling:<city code>:<service> */
  readonly source: string;
  /** ISO-8601 UTC */
  readonly time: string;
  /** The aggregate id (pickupId, intakeId, VIN...), handy for filtering without parsing data. */
  readonly subject?: string;
  readonly data: T;
}
